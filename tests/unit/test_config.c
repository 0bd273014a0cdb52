/* test_config.c: where each setting comes from. Precedence: flag, then REXIN_* environment,
 * then the config file (--config, REXIN_CONFIG or DATA/rexin.conf), then the default. */
#include "testutil.h"
#include "lib/config.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;
static char dir[256];

static void clear_env(void)
{
    char names[64][128];
    int n = 0;
    for (char **e = environ; *e && n < 64; e++)
        if (strncmp(*e, "REXIN_", 6) == 0) {
            size_t l = strcspn(*e, "=");
            if (l < sizeof names[0]) {
                memcpy(names[n], *e, l);
                names[n++][l] = 0;
            }
        }
    for (int i = 0; i < n; i++)
        unsetenv(names[i]);
}

static int setup(void **state)
{
    clear_env();
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* rx_config_print output for c. */
static char *printed(const struct rx_config *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    rx_config_print(c, f);
    fclose(f);
    return text;
}

/* The line of `name` in the printout, e.g. "threads = 7    # flag". */
static void expect_line(const char *text, const char *name, const char *value, const char *source)
{
    char want[512];
    snprintf(want, sizeof want, "\n%-20s = %s    # %s\n", name, value, source);
    char with_nl[8192];
    snprintf(with_nl, sizeof with_nl, "\n%s", text);
    if (!strstr(with_nl, want)) fail_msg("missing line '%s' in:\n%s", want + 1, text);
}

#define LOAD(c, ...)                                                                               \
    do {                                                                                           \
        char *argv_[] = {"serve", __VA_ARGS__};                                                    \
        char err_[512] = "";                                                                       \
        int rc_ =                                                                                  \
            rx_config_load(&(c), (int)ARRAY_LEN(argv_), argv_, NULL, NULL, err_, sizeof err_);     \
        if (rc_) fail_msg("load failed: %s", err_);                                                \
    } while (0)

static void test_defaults(void **state)
{
    struct rx_config c;
    char *argv[] = {"serve"};
    char err[256];
    assert_int_equal(rx_config_load(&c, 1, argv, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.data, "./var");
    assert_string_equal(c.db, "sqlite:./var/rexin.db");
    assert_null(c.web);
    assert_null(c.admin_password);
    assert_string_equal(c.log_level, "info");
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.max_connections, 10000); /* raised with the open-file limit (abuse tests) */
    assert_int_equal(c.per_ip_connections, 256);
    assert_int_equal(c.conn_timeout, 30);
    assert_int_equal(c.session_idle, 7200);
    assert_int_equal(c.session_max, 604800);
    assert_int_equal(c.max_body, 1048576);
    assert_null(c.config_file);
    char *text = printed(&c);
    expect_line(text, "listen", "127.0.0.1:8080", "default");
    expect_line(text, "admin-password", "(unset)", "default");
    free(text);
    rx_config_free(&c);
}

static void test_env_and_flags(void **state)
{
    struct rx_config c;
    setenv("REXIN_LISTEN", "0.0.0.0:9000", 1);
    setenv("REXIN_THREADS", "4", 1);
    setenv("REXIN_SESSION_IDLE", "60", 1);
    setenv("REXIN_LOG_LEVEL", "", 1); /* empty: as if unset */
    LOAD(c, "--threads", "7", "--max-body=2048", "--data", dir);
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_int_equal(c.threads, 7);
    assert_int_equal(c.session_idle, 60);
    assert_int_equal(c.max_body, 2048);
    assert_string_equal(c.log_level, "info");
    char *text = printed(&c);
    expect_line(text, "listen", "0.0.0.0:9000", "env");
    expect_line(text, "threads", "7", "flag");
    expect_line(text, "max-body", "2048", "flag");
    expect_line(text, "log-level", "info", "default");
    free(text);
    rx_config_free(&c);
    clear_env();
}

static void test_file_precedence(void **state)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rexin.conf", dir);
    write_file(path,
               "# comment\n\n  threads = 3  \nsession-idle=11\nlog-level = debug\nweb = /srv/www\n"
               "admin-password = file-secret-1\n");
    setenv("REXIN_SESSION_IDLE", "22", 1);
    struct rx_config c;
    LOAD(c, "--data", dir, "--log-level", "warn");
    assert_int_equal(c.threads, 3);           /* file over default */
    assert_int_equal(c.session_idle, 22);     /* env over file */
    assert_string_equal(c.log_level, "warn"); /* flag over file */
    assert_string_equal(c.web, "/srv/www");
    assert_string_equal(c.config_file, path);
    char *text = printed(&c);
    expect_line(text, "threads", "3", "file");
    expect_line(text, "session-idle", "22", "env");
    expect_line(text, "log-level", "warn", "flag");
    expect_line(text, "admin-password", "******", "file");
    assert_null(strstr(text, "file-secret-1"));
    free(text);
    rx_config_free(&c);
    clear_env();

    /* --config and REXIN_CONFIG name another file; DATA/rexin.conf is then not read. */
    char other[512];
    snprintf(other, sizeof other, "%s/other.conf", dir);
    write_file(other, "threads = 9\n");
    LOAD(c, "--data", dir, "--config", other);
    assert_int_equal(c.threads, 9);
    assert_int_equal(c.session_idle, 7200);
    rx_config_free(&c);
    setenv("REXIN_CONFIG", other, 1);
    LOAD(c, "--data", dir);
    assert_int_equal(c.threads, 9);
    rx_config_free(&c);
    clear_env();
    unlink(other);
    unlink(path);
}

static void expect_error(char **argv, int argc, const char *part)
{
    struct rx_config c;
    char err[512] = "";
    assert_int_equal(rx_config_load(&c, argc, argv, NULL, NULL, err, sizeof err), -1);
    if (!strstr(err, part)) fail_msg("error '%s' lacks '%s'", err, part);
    rx_config_free(&c);
}

static void test_errors(void **state)
{
    char *a1[] = {"serve", "--threads", "many"};
    expect_error(a1, 3, "threads");
    char *a2[] = {"serve", "--threads=-1"};
    expect_error(a2, 2, "non-negative");
    char *a3[] = {"serve", "--no-such-flag"};
    expect_error(a3, 2, "unknown option '--no-such-flag'");
    char *a4[] = {"serve", "--listen"};
    expect_error(a4, 2, "needs a value");
    char *a5[] = {"serve", "stray"};
    expect_error(a5, 2, "unexpected argument 'stray'");
    char *a6[] = {"serve", "--config", "/nonexistent/rexin.conf"};
    expect_error(a6, 3, "cannot read config file");
    char path[512];
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    write_file(path, "threads = 2\nthis line has no equals\n");
    char *a7[] = {"serve", "--config", path};
    expect_error(a7, 3, "bad.conf:2: expected name = value");
    write_file(path, "max-body = lots\n");
    expect_error(a7, 3, "max-body");
    unlink(path);
    setenv("REXIN_CONN_TIMEOUT", "soon", 1);
    char *a8[] = {"serve"};
    expect_error(a8, 1, "conn-timeout");
    clear_env();
}

struct seen {
    const char *pos[4];
    int npos;
    const char *label;
    int flag;
};

static int extra(const char *name, const char *value, void *arg)
{
    struct seen *s = arg;
    if (!name) {
        if (s->npos >= 4) return 0;
        s->pos[s->npos++] = value;
        return 1;
    }
    if (strcmp(name, "print-config") == 0) return s->flag = 1;
    if (strcmp(name, "name") == 0 && value) {
        s->label = value;
        return 1;
    }
    return 0;
}

static void test_extra_flags(void **state)
{
    struct rx_config c;
    char err[256];
    struct seen s = {0};
    char *argv[] = {"token", "create",         "--name", "ci bot",
                    "admin", "--print-config", "--data", dir};
    assert_int_equal(rx_config_load(&c, 8, argv, extra, &s, err, sizeof err), 0);
    assert_int_equal(s.npos, 2);
    assert_string_equal(s.pos[0], "create");
    assert_string_equal(s.pos[1], "admin");
    assert_string_equal(s.label, "ci bot");
    assert_int_equal(s.flag, 1);
    assert_string_equal(c.data, dir);
    rx_config_free(&c);
    struct seen t = {0};
    char *argv2[] = {"token", "--name=x"};
    assert_int_equal(rx_config_load(&c, 2, argv2, extra, &t, err, sizeof err), 0);
    assert_string_equal(t.label, "x");
    rx_config_free(&c);
    struct seen u = {0};
    char *argv3[] = {"token", "--name"}; /* no value at all */
    assert_int_equal(rx_config_load(&c, 2, argv3, extra, &u, err, sizeof err), -1);
    rx_config_free(&c);
}

int main(void)
{
    /* Work in an empty directory so ./var/rexin.conf of a developer cannot leak in. */
    snprintf(dir, sizeof dir, "/tmp/rexin-test-config-XXXXXX");
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, setup),
        cmocka_unit_test_setup(test_env_and_flags, setup),
        cmocka_unit_test_setup(test_file_precedence, setup),
        cmocka_unit_test_setup(test_errors, setup),
        cmocka_unit_test_setup(test_extra_flags, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return rc;
}
