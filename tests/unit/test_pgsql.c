/* test_pgsql.c: the mechanical SQLite -> PostgreSQL translation of statements and
 * migrations (store/pgsql.c). Each case is the text a helper would write and the text
 * PostgreSQL must receive. */
#include "testutil.h"
#include "lib/alloc.h"
#include "store/pgsql.h"

/* Tables with an id column, as pg.c reads them from the catalog. */
static int has_id(const char *table, int len, void *arg)
{
    (void)arg;
    static const char *const ids[] = {"users", "audit_log", "org_units", "Weird Name"};
    for (size_t i = 0; i < ARRAY_LEN(ids); i++)
        if ((int)strlen(ids[i]) == len && strncmp(ids[i], table, (size_t)len) == 0) return 1;
    return 0;
}

struct st_case {
    const char *in, *want;
    int nparams;
};

static const struct st_case statements[] = {
    {"SELECT 1", "SELECT 1", 0},
    /* placeholders, but not inside literals, identifiers or comments */
    {"SELECT id FROM users WHERE username = ?1 OR phone = ?1",
     "SELECT id FROM users WHERE username = $1 OR phone = $1", 1},
    {"SELECT '?1', \"?2\" FROM t WHERE a = ?3 -- ?4\n AND b = ?2",
     "SELECT '?1', \"?2\" FROM t WHERE a = $3 -- ?4\n AND b = $2", 3},
    {"SELECT 'it''s ?1' || ?1", "SELECT 'it''s ?1' || $1", 1},
    {"SELECT a /* ?9 */ FROM t WHERE b = ?10", "SELECT a /* ?9 */ FROM t WHERE b = $10", 10},
    /* bare ? numbers on, as in SQLite */
    {"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2", 2},
    {"SELECT * FROM t WHERE a = ?2 AND b = ?", "SELECT * FROM t WHERE a = $2 AND b = $3", 3},
    /* PostgreSQL's own $N (queries_pg.def) are kept and counted */
    {"SELECT $2::bigint, $1", "SELECT $2::bigint, $1", 2},
    /* types */
    {"SELECT CAST(x AS INTEGER), CAST(y AS real) FROM t",
     "SELECT CAST(x AS BIGINT), CAST(y AS DOUBLE PRECISION) FROM t", 0},
    {"SELECT integer_col, realm FROM t", "SELECT integer_col, realm FROM t", 0},
    /* INSERT into a table with an id gets RETURNING id; others do not */
    {"INSERT INTO users(username) VALUES(?1)",
     "INSERT INTO users(username) VALUES($1) RETURNING id", 1},
    {"INSERT INTO users (username) VALUES(?1);",
     "INSERT INTO users (username) VALUES($1) RETURNING id", 1},
    {"INSERT INTO idempotency_keys(user_id, key) VALUES(?1, ?2)",
     "INSERT INTO idempotency_keys(user_id, key) VALUES($1, $2)", 2},
    {"INSERT INTO \"Weird Name\"(a) VALUES(1)",
     "INSERT INTO \"Weird Name\"(a) VALUES(1) RETURNING id", 0},
    {"INSERT INTO users(username) VALUES(?1) RETURNING id, username",
     "INSERT INTO users(username) VALUES($1) RETURNING id, username", 1},
    {"insert into audit_log(at) select at from x",
     "insert into audit_log(at) select at from x RETURNING id", 0},
    {"INSERT INTO users(a) VALUES(1) ON CONFLICT(a) DO NOTHING",
     "INSERT INTO users(a) VALUES(1) ON CONFLICT(a) DO NOTHING RETURNING id", 0},
    /* INSERT OR IGNORE */
    {"INSERT OR IGNORE INTO role_grants(a) VALUES(?1)",
     "INSERT INTO role_grants(a) VALUES($1) ON CONFLICT DO NOTHING", 1},
    {"INSERT OR IGNORE INTO users(a) VALUES(?1)",
     "INSERT INTO users(a) VALUES($1) ON CONFLICT DO NOTHING RETURNING id", 1},
    {"INSERT OR IGNORE INTO users(a) VALUES(?1) RETURNING a",
     "INSERT INTO users(a) VALUES($1) ON CONFLICT DO NOTHING RETURNING a", 1},
    /* null-safe comparisons */
    {"SELECT 1 WHERE a IS ?1 AND b IS NOT c.d AND e IS NULL AND f IS NOT NULL AND g IS NOT "
     "DISTINCT FROM h",
     "SELECT 1 WHERE a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM c.d AND e IS NULL AND f IS "
     "NOT NULL"
     " AND g IS NOT DISTINCT FROM h",
     1},
    {"SELECT x IS TRUE, y IS NOT FALSE", "SELECT x IS TRUE, y IS NOT FALSE", 0},
    /* UPDATE/DELETE/WITH are left alone */
    {"UPDATE users SET a = ?2 WHERE id = ?1", "UPDATE users SET a = $2 WHERE id = $1", 2},
    {"WITH x AS (SELECT 1) INSERT INTO users(a) SELECT * FROM x",
     "WITH x AS (SELECT 1) INSERT INTO users(a) SELECT * FROM x", 0},
    /* an OR that is not OR IGNORE */
    {"INSERT INTO t(a) SELECT a FROM u WHERE a = 1 OR a = 2",
     "INSERT INTO t(a) SELECT a FROM u WHERE a = 1 OR a = 2", 0},
};

static void test_statements(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(statements); i++) {
        int np = -1;
        char *out = rx_pgsql_statement(statements[i].in, has_id, NULL, &np);
        assert_non_null(out);
        if (strcmp(out, statements[i].want) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, out, statements[i].want);
        assert_int_equal(np, statements[i].nparams);
        rx_free(out);
    }
}

static void test_no_has_id(void **state)
{
    (void)state;
    int np;
    char *out = rx_pgsql_statement("INSERT INTO users(a) VALUES(?1)", NULL, NULL, &np);
    assert_string_equal(out, "INSERT INTO users(a) VALUES($1)");
    rx_free(out);
}

struct mig_case {
    const char *in, *want;
};

static const struct mig_case migrations[] = {
    {"CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  n INTEGER NOT NULL DEFAULT 0,\n  r REAL,\n  b "
     "BLOB\n);",
     "CREATE TABLE t (\n  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n  n BIGINT NOT "
     "NULL DEFAULT 0,\n"
     "  r DOUBLE PRECISION,\n  b BYTEA\n);"},
    {"CREATE TABLE t (id integer primary key autoincrement, x TEXT)",
     "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x TEXT)"},
    {"ALTER TABLE people ADD COLUMN merged_into INTEGER REFERENCES people(id); -- INTEGER here",
     "ALTER TABLE people ADD COLUMN merged_into BIGINT REFERENCES people(id); -- INTEGER here"},
    {"INSERT INTO c(name) VALUES ('INTEGER PRIMARY KEY');",
     "INSERT INTO c(name) VALUES ('INTEGER PRIMARY KEY');"},
    /* composite keys keep their column types only */
    {"CREATE TABLE k (a INTEGER NOT NULL, b TEXT, PRIMARY KEY (a, b))",
     "CREATE TABLE k (a BIGINT NOT NULL, b TEXT, PRIMARY KEY (a, b))"},
    /* SQLite triggers become plpgsql functions */
    {"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log\n  BEGIN SELECT RAISE(ABORT, "
     "'append_only'); END;",
     "CREATE FUNCTION \"audit_no_update_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "    PERFORM rx_raise( 'append_only');\n  RETURN NEW;\nEND $rx$;\n"
     "CREATE TRIGGER \"audit_no_update\" BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION "
     "\"audit_no_update_fn\"();"},
    {"CREATE TRIGGER t_del BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;",
     "CREATE FUNCTION \"t_del_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "    PERFORM rx_raise( 'no');\n  RETURN OLD;\nEND $rx$;\n"
     "CREATE TRIGGER \"t_del\" BEFORE DELETE ON t FOR EACH ROW EXECUTE FUNCTION \"t_del_fn\"();"},
    /* WHEN with a sub-select and CASE ... END inside; UPDATE OF columns kept */
    {"CREATE TRIGGER k BEFORE UPDATE OF a, b ON t\n  WHEN NEW.a > (SELECT CASE WHEN x THEN 1 ELSE "
     "2 END FROM u) AND OLD.b <> NEW.b\n"
     "  BEGIN SELECT RAISE(ABORT, 'k_code'); END;\nCREATE INDEX i ON t(a);",
     "CREATE FUNCTION \"k_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "  IF ( NEW.a > (SELECT CASE WHEN x THEN 1 ELSE 2 END FROM u) AND OLD.b <> NEW.b\n  ) THEN\n"
     "    PERFORM rx_raise( 'k_code');\n  END IF;\n  RETURN NEW;\nEND $rx$;\n"
     "CREATE TRIGGER \"k\" BEFORE UPDATE OF a, b ON t FOR EACH ROW EXECUTE FUNCTION "
     "\"k_fn\"();\nCREATE INDEX i ON t(a);"},
    /* AFTER triggers with several statements, an upsert and a CASE in the body */
    {"CREATE TRIGGER r AFTER INSERT ON rec FOR EACH ROW WHEN NEW.status = 'ok'\nBEGIN\n"
     "  UPDATE s SET n = n + CASE WHEN NEW.x THEN 1 ELSE 0 END WHERE id = NEW.s_id;\n"
     "  INSERT INTO roll(k, n) VALUES(NEW.k, CAST(NEW.m AS INTEGER)) ON CONFLICT(k) DO UPDATE SET "
     "n = roll.n + excluded.n;\nEND;",
     "CREATE FUNCTION \"r_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "  IF ( NEW.status = 'ok'\n) THEN\n"
     "   \n  UPDATE s SET n = n + CASE WHEN NEW.x THEN 1 ELSE 0 END WHERE id = NEW.s_id;\n"
     "  INSERT INTO roll(k, n) VALUES(NEW.k, CAST(NEW.m AS BIGINT)) ON CONFLICT(k) DO UPDATE SET n "
     "= roll.n + excluded.n;\n"
     "  END IF;\n  RETURN NULL;\nEND $rx$;\n"
     "CREATE TRIGGER \"r\" AFTER INSERT ON rec FOR EACH ROW EXECUTE FUNCTION \"r_fn\"();"},
    /* several refusals in one body: each SELECT becomes PERFORM */
    {"CREATE TRIGGER m BEFORE INSERT ON v\n  BEGIN\n    SELECT RAISE(ABORT, 'a')\n      WHERE "
     "(SELECT x FROM p WHERE id = NEW.p) IS NOT NULL;\n"
     "    SELECT RAISE(ABORT, 'b') WHERE NEW.d < NEW.s;\n  END;",
     "CREATE FUNCTION \"m_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "   \n    PERFORM rx_raise( 'a')\n      WHERE (SELECT x FROM p WHERE id = NEW.p) IS NOT "
     "NULL;\n"
     "    PERFORM rx_raise( 'b') WHERE NEW.d < NEW.s;\n  RETURN NEW;\nEND $rx$;\n"
     "CREATE TRIGGER \"m\" BEFORE INSERT ON v FOR EACH ROW EXECUTE FUNCTION \"m_fn\"();"},
    /* null-safe comparisons in a WHEN */
    {"CREATE TRIGGER l BEFORE UPDATE ON c WHEN NEW.n IS NOT OLD.n BEGIN SELECT RAISE(ABORT, "
     "'locked'); END;",
     "CREATE FUNCTION \"l_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n"
     "  IF ( NEW.n IS DISTINCT FROM OLD.n ) THEN\n    PERFORM rx_raise( 'locked');\n  END IF;\n  "
     "RETURN NEW;\nEND $rx$;\n"
     "CREATE TRIGGER \"l\" BEFORE UPDATE ON c FOR EACH ROW EXECUTE FUNCTION \"l_fn\"();"},
    /* INSTEAD OF (views) and RAISE(IGNORE) are left for a hand-written migrations_pg file */
    {"CREATE TRIGGER v INSTEAD OF INSERT ON vw BEGIN SELECT 1; END;",
     "CREATE TRIGGER v INSTEAD OF INSERT ON vw BEGIN SELECT 1; END;"},
    /* DROP TRIGGER names no table in SQLite: found in pg_trigger, function dropped too */
    {"DROP TRIGGER locked;",
     "DO $rx$ DECLARE t text; BEGIN\n"
     "  SELECT tgrelid::regclass::text INTO t FROM pg_trigger WHERE tgname = 'locked' AND NOT "
     "tgisinternal LIMIT 1;\n"
     "  IF t IS NOT NULL THEN EXECUTE format('DROP TRIGGER %I ON %s', 'locked', t); END IF;\n"
     "  EXECUTE format('DROP FUNCTION IF EXISTS %I()', 'locked_fn');\n"
     "END $rx$;"},
    {"DROP TRIGGER IF EXISTS \"q\";",
     "DO $rx$ DECLARE t text; BEGIN\n"
     "  SELECT tgrelid::regclass::text INTO t FROM pg_trigger WHERE tgname = 'q' AND NOT "
     "tgisinternal LIMIT 1;\n"
     "  IF t IS NOT NULL THEN EXECUTE format('DROP TRIGGER %I ON %s', 'q', t); END IF;\n"
     "  EXECUTE format('DROP FUNCTION IF EXISTS %I()', 'q_fn');\n"
     "END $rx$;"},
    /* plpgsql bodies in dollar quotes are not touched */
    {"CREATE FUNCTION f() RETURNS integer AS $$ SELECT ?1::INTEGER $$ LANGUAGE sql",
     "CREATE FUNCTION f() RETURNS BIGINT AS $$ SELECT ?1::INTEGER $$ LANGUAGE sql"},
};

static void test_migrations(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(migrations); i++) {
        char *out = rx_pgsql_migration(migrations[i].in);
        assert_non_null(out);
        if (strcmp(out, migrations[i].want) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, out, migrations[i].want);
        rx_free(out);
    }
}

static void test_out_of_memory(void **state)
{
    (void)state;
    rx_alloc_fail_after(0);
    char *out = rx_pgsql_statement("SELECT ?1", NULL, NULL, NULL);
    char *mig = rx_pgsql_migration("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    rx_alloc_fail_after(-1);
    assert_null(out);
    assert_null(mig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_no_has_id),
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
