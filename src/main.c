/* main.c: the rexin command. Parses the subcommand, loads configuration, opens the store
 * and wires the server. Owns the process-wide objects (config, store, app). */
#include "api/help.h"
#include "api/reports.h"
#include "domain/csv.h"
#include "api/people_import.h"
#include "domain/roles.h"
#include "http/messages.h"
#include "http/server.h"
#include "http/webhook.h"
#include "lib/alloc.h"
#include "lib/config.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/demo_gen.h"
#include "store/seed.h"
#include "store/store.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define REXIN_VERSION "0.1.0"

static const char usage[] =
    "rexin " REXIN_VERSION " - 热心 community volunteer-service platform\n"
    "\n"
    "usage: rexin COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  serve                 run the server (creates the database and demo data on first start)\n"
    "  migrate               apply pending database migrations and exit\n"
    "  migrate --from sqlite:PATH --to postgresql://...   copy a SQLite database to PostgreSQL\n"
    "  user add NAME         create an account (password from REXIN_PASSWORD or a prompt)\n"
    "  user passwd NAME      set an account's password\n"
    "  user grant NAME ROLE ORG    grant ROLE over org unit ORG (id or 12-digit code)\n"
    "  user revoke NAME ROLE ORG   take it back\n"
    "  token create NAME [--name LABEL]   issue an API token for an account (printed once)\n"
    "  token revoke ID       revoke an API token\n"
    "  import people FILE --community ORG [--dry-run] [--skip-invalid] [--json]\n"
    "                        import people from a CSV or .xlsx file\n"
    "  backup FILE           write a consistent copy of the live database to FILE\n"
    "  restore FILE          put a backup back in place (rexin stopped)\n"
    "  report summary --org-unit CODE [--from D] [--to D] [--format table|csv|xlsx|json]\n"
    "                        the summary report of a node (same figures as the API)\n"
    "  demo --scale S        generate demo data: community, district or city (benchmarks)\n"
    "  routes                list the HTTP routes\n"
    "  version               print the version\n"
    "\n"
    "Run `rexin COMMAND --help` for the options of a command.\n";

static struct rx_config cfg;

static int ensure_dir(const char *dir)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST) return 0;
    fprintf(stderr, "rexin: cannot create data directory %s: %s\n", dir, strerror(errno));
    return -1;
}

static int load_config(int argc, char **argv, rx_config_extra_fn extra, void *arg)
{
    char err[512];
    if (rx_config_load(&cfg, argc, argv, extra, arg, err, sizeof err)) {
        fprintf(stderr, "rexin: %s\n", err);
        return -1;
    }
    if (strcmp(cfg.log_level, "debug") == 0) rx_log_set_level(RX_LOG_DEBUG);
    else if (strcmp(cfg.log_level, "warn") == 0) rx_log_set_level(RX_LOG_WARN);
    else if (strcmp(cfg.log_level, "error") == 0) rx_log_set_level(RX_LOG_ERROR);
    return 0;
}

static struct rx_store *open_store_cache(int migrate, int bulk_cache_mib)
{
    char err[1024];
    struct rx_store *s = NULL;
    if (ensure_dir(cfg.data)) return NULL;
    struct rx_store_opts o = {.url = cfg.db, .migrate = migrate, .read_url = cfg.db_read,
                              .writers = (int)cfg.db_writers, .bulk_cache_mib = bulk_cache_mib};
    if (rx_store_open(&s, &o, err, sizeof err) != RX_OK) {
        fprintf(stderr, "rexin: %s\n", err);
        return NULL;
    }
    return s;
}

static struct rx_store *open_store(int migrate)
{
    return open_store_cache(migrate, 0);
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------ serve */

static int lock_data_dir(void);

struct serve_flags {
    int print_config;
};

static int serve_extra(const char *name, const char *value, void *arg)
{
    struct serve_flags *f = arg;
    if (name && strcmp(name, "print-config") == 0) {
        f->print_config = 1;
        return 1;
    }
    return 0;
}

struct seed_job {
    const char *hash;
    int64_t now;
    int created;
};

static int seed_fn(struct rx_db *db, void *ctx)
{
    struct seed_job *j = ctx;
    return rx_seed_first_start(db, j->now, j->hash, &j->created);
}

static int cmd_serve(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin serve [options] [--print-config]\n\noptions:\n");
        rx_config_help(stdout);
        return 0;
    }
    struct serve_flags flags = {0};
    if (load_config(argc, argv, serve_extra, &flags)) return 2;
    if (flags.print_config) {
        rx_config_print(&cfg, stdout);
        return 0;
    }
    /* Block SIGTERM/SIGINT before any thread starts (the store's writer too), so every
     * thread inherits the mask and only sigwait below takes them: a second SIGTERM during
     * the graceful stop must not kill the process through another thread. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct rx_app app;
    memset(&app, 0, sizeof app);
    app.cfg = &cfg;
    if (ensure_dir(cfg.data) || rx_keys_load(cfg.data, &app.keys)) return 1;
    /* One server per SQLite data directory (and `rexin restore` waits for none to run). */
    if (!strstr(cfg.db, "://") && lock_data_dir() < 0) {
        fprintf(stderr, "rexin: another rexin is serving %s (or its lock file cannot be made)\n", cfg.data);
        return 1;
    }
    app.store = open_store(1);
    if (!app.store) return 1;

    /* First start: demo city and an administrator with a one-time password. */
    char pw[64];
    int generated = 0;
    if (cfg.admin_password && *cfg.admin_password) {
        snprintf(pw, sizeof pw, "%s", cfg.admin_password);
    } else {
        char tok[RX_TOKEN_LEN + 1];
        rx_token_new(tok, "");
        snprintf(pw, sizeof pw, "%.16s", tok);
        generated = 1;
    }
    struct seed_job sj = {.now = (int64_t)time(NULL)};
    char hash[RX_PW_HASH_LEN];
    int64_t orgs = 0;
    rx_db_int(rx_store_reader(app.store), Q_ORG_COUNT, RX_NOARGS, &orgs);
    if (orgs == 0) {
        if (rx_password_hash(pw, hash)) {
            fprintf(stderr, "rexin: cannot hash the admin password\n");
            rx_store_close(app.store);
            return 1;
        }
        sj.hash = hash;
        int rc = rx_store_write(app.store, seed_fn, &sj);
        if (rc) {
            fprintf(stderr, "rexin: cannot create the demo data (error %d)\n", rc);
            rx_store_close(app.store);
            return 1;
        }
    }

    /* Background work: the help-request deadline sweep and webhook deliveries. */
    char err[512];
    struct rx_help_sweeper *sweeper = NULL;
    struct rx_webhook *webhook = NULL;
    if (rx_webhook_start(&app, &webhook, err, sizeof err)) {
        fprintf(stderr, "rexin: %s\n", err);
        rx_store_close(app.store);
        return 1;
    }
    if (rx_help_sweeper_start(&app, &sweeper)) {
        fprintf(stderr, "rexin: cannot start the help-request sweeper\n");
        rx_webhook_stop(webhook);
        rx_store_close(app.store);
        return 1;
    }
    if (rx_server_start(&app, err, sizeof err)) {
        fprintf(stderr, "rexin: %s\n", err);
        rx_help_sweeper_stop(sweeper);
        rx_webhook_stop(webhook);
        rx_store_close(app.store);
        return 1;
    }
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg.listen, ':') - cfg.listen), cfg.listen);
    if (!*host || strcmp(host, "0.0.0.0") == 0) snprintf(host, sizeof host, "127.0.0.1");
    printf("rexin %s: listening on http://%s:%d/ (data %s)\n", REXIN_VERSION, host, app.port, cfg.data);
    if (sj.created) {
        printf("rexin: created the demo city 郑州市 and the administrator account\n");
        if (generated)
            printf("rexin: log in as admin with the one-time password: %s\n", pw);
        else
            printf("rexin: log in as admin with the password from REXIN_ADMIN_PASSWORD\n");
    }
    fflush(stdout);
    sodium_memzero(pw, sizeof pw);

    int sig = 0;
    sigwait(&set, &sig);
    rx_info("msg=\"shutting down\" signal=%d", sig);
    rx_server_stop(&app, 10);
    rx_help_sweeper_stop(sweeper);
    rx_webhook_stop(webhook);
    rx_store_close(app.store);
    rx_info("msg=\"stopped cleanly\"");
    return 0;
}

/* ------------------------------------------------------------------ migrate, backup, routes */

struct migrate_flags {
    const char *from, *to;
};

static int migrate_extra(const char *name, const char *value, void *arg)
{
    struct migrate_flags *f = arg;
    if (name && value && strcmp(name, "from") == 0) f->from = value;
    else if (name && value && strcmp(name, "to") == 0) f->to = value;
    else return 0;
    return 1;
}

static int cmd_migrate(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin migrate [--data DIR] [--db URL]\n"
               "       rexin migrate --from sqlite:PATH --to postgresql://...\n\n"
               "Applies pending migrations. With --from and --to, copies every table of a SQLite\n"
               "database (at the current schema version) into an empty PostgreSQL database in one\n"
               "transaction, keeping ids, then compares row counts and sums; all or nothing.\n"
               "Copy DATA/secret.key to every server that uses the PostgreSQL database.\n");
        return 0;
    }
    struct migrate_flags mf = {0};
    /* --from/--to take their value as --from=X or --from X. */
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0) {
            if (strcmp(argv[i], "--from") == 0) mf.from = argv[i + 1];
            else mf.to = argv[i + 1];
            argv[i] = argv[i + 1] = NULL;
            i++;
        }
    }
    int n = 0;
    for (int i = 0; i < argc; i++)
        if (argv[i]) argv[n++] = argv[i];
    argc = n;
    if (load_config(argc, argv, migrate_extra, &mf)) return 2;
    if (mf.from || mf.to) {
        if (!mf.from || !mf.to) {
            fprintf(stderr, "rexin: migrate needs both --from sqlite:PATH and --to postgresql://...\n");
            return 2;
        }
        char err[1024];
        if (rx_store_copy(mf.from, mf.to, stdout, err, sizeof err) != RX_OK) {
            fprintf(stderr, "rexin: %s\n", err);
            return 1;
        }
        return 0;
    }
    struct rx_store *s = open_store(1);
    if (!s) return 1;
    int have = 0, known = 0;
    rx_store_schema_version(s, &have, &known);
    printf("rexin: database schema is at version %d (this rexin knows %d)\n", have, known);
    rx_store_close(s);
    return 0;
}

struct pos_args {
    const char *v[8];
    int n;
};

static int collect_pos(const char *name, const char *value, void *arg)
{
    struct pos_args *p = arg;
    if (!name) {
        if (p->n >= 8) return 0;
        p->v[p->n++] = value;
        return 1;
    }
    return 0;
}

static int cmd_backup(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin backup FILE [--data DIR]\n\nWrites a consistent copy of the database while"
               " the server keeps running.\nKeep DATA/secret.key with it: without the key, ID numbers"
               " in the copy cannot be read.\n");
        return 0;
    }
    struct pos_args p = {0};
    if (load_config(argc, argv, collect_pos, &p)) return 2;
    if (p.n != 1) {
        fprintf(stderr, "usage: rexin backup FILE\n");
        return 2;
    }
    struct rx_store *s = NULL;
    char err[1024];
    struct rx_store_opts o = {.url = cfg.db, .readonly = 1};
    if (rx_store_open(&s, &o, err, sizeof err) != RX_OK) {
        fprintf(stderr, "rexin: %s\n", err);
        return 1;
    }
    int rc = rx_store_backup(s, p.v[0], err, sizeof err);
    rx_store_close(s);
    if (rc) {
        fprintf(stderr, "rexin: %s\n", err);
        return 1;
    }
    printf("rexin: backed up to %s\n", p.v[0]);
    return 0;
}

/* The data directory's lock: held by `serve` (SQLite) for its whole life and by `restore`,
 * so a database is never replaced under a running server. Returns the fd or -1. */
static int lock_data_dir(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/rexin.lock", cfg.data);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int copy_file_synced(const char *from, const char *to, char *err, size_t errlen)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    char buf[65536];
    ssize_t n = 0;
    int rc = in < 0 || out < 0 ? -1 : 0;
    while (!rc && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) rc = -1;
    if (n < 0 || (!rc && fsync(out) != 0)) rc = -1;
    if (rc) snprintf(err, errlen, "cannot copy %.400s to %.400s: %s", from, to, strerror(errno));
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return rc;
}

static int cmd_restore(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin restore BACKUP [--data DIR]\n\nReplaces DATA/rexin.db with BACKUP (made by"
               " `rexin backup`) while rexin is stopped.\nThe backup is checked first (integrity_check,"
               " schema version); the database it replaces is kept as\nDATA/rexin.db.before-restore-TIME"
               " (with its -wal file). DATA/secret.key must be the key the backup was made with.\n");
        return 0;
    }
    struct pos_args p = {0};
    if (load_config(argc, argv, collect_pos, &p)) return 2;
    if (p.n != 1) {
        fprintf(stderr, "usage: rexin restore BACKUP\n");
        return 2;
    }
    const char *db = cfg.db;
    if (strncmp(db, "sqlite:", 7) == 0) db += 7;
    if (strstr(cfg.db, "://")) {
        fprintf(stderr, "rexin: restore is for the embedded SQLite database; use pg_restore for PostgreSQL\n");
        return 2;
    }
    char err[1024];
    if (rx_store_check_sqlite_file(p.v[0], err, sizeof err)) {
        fprintf(stderr, "rexin: %s\n", err);
        return 1;
    }
    if (ensure_dir(cfg.data)) return 1;
    int lock = lock_data_dir();
    if (lock < 0) {
        fprintf(stderr, "rexin: a rexin server is running on %s; stop it first\n", cfg.data);
        return 1;
    }
    char tmp[4200], old[4200], oldwal[4300], wal[4200], shm[4200];
    snprintf(tmp, sizeof tmp, "%s.restore-tmp", db);
    snprintf(old, sizeof old, "%s.before-restore-%lld", db, (long long)time(NULL));
    snprintf(oldwal, sizeof oldwal, "%s-wal", old);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    int rc = copy_file_synced(p.v[0], tmp, err, sizeof err);
    /* The old database and its WAL go aside together; a WAL left beside the restored file
     * would be replayed into it. */
    if (!rc && rename(db, old) != 0 && errno != ENOENT) rc = -1;
    if (!rc && rename(wal, oldwal) != 0 && errno != ENOENT) rc = -1;
    if (!rc) unlink(shm);
    if (!rc && rename(tmp, db) != 0) rc = -1;
    if (!rc) {
        int dfd = open(cfg.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    close(lock);
    if (rc) {
        fprintf(stderr, "rexin: restore failed: %s\n", err[0] ? err : strerror(errno));
        unlink(tmp);
        return 1;
    }
    printf("rexin: restored %s from %s (the previous database is %s)\n", db, p.v[0], old);
    return 0;
}

static int cmd_routes(void)
{
    for (int i = 0; i < rx_routes_count; i++)
        printf("%s %s\n", rx_routes[i].method, rx_routes[i].pattern);
    return 0;
}

/* ------------------------------------------------------------------ demo */

struct demo_flags {
    const char *scale, *seed, *today, *tokens, *history;
    const char **pending; /* "--scale city": the flag whose value is the next argument */
};

/* Takes --name=value and --name value. */
static int demo_extra(const char *name, const char *value, void *arg)
{
    struct demo_flags *f = arg;
    if (!name) {
        if (!f->pending) return 0;
        *f->pending = value;
        f->pending = NULL;
        return 1;
    }
    const char **slot = strcmp(name, "scale") == 0    ? &f->scale
                        : strcmp(name, "seed") == 0   ? &f->seed
                        : strcmp(name, "today") == 0  ? &f->today
                        : strcmp(name, "tokens") == 0 ? &f->tokens
                        : strcmp(name, "history-weeks") == 0 ? &f->history
                                                             : NULL;
    if (!slot) return 0;
    if (value) *slot = value;
    else f->pending = slot;
    return 1;
}

static int cmd_demo(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin demo --scale community|district|city [--seed N] [--today YYYY-MM-DD]\n"
               "                  [--tokens N] [--history-weeks N] [--data DIR]\n\n"
               "Generates realistic, reproducible data (the same seed gives the same data) under the\n"
               "city of a new or first-start database. Accounts get the password REXIN_PASSWORD (or a\n"
               "random one); --tokens N also issues N volunteer API tokens into DATA/demo-tokens.txt.\n"
               "--history-weeks N (default 156, 3 years): held activities, attendance and confirmed\n"
               "service records before --today.\n");
        return 0;
    }
    struct demo_flags f = {0};
    if (load_config(argc, argv, demo_extra, &f)) return 2;
    struct rx_demo_opts o = {.now = (int64_t)time(NULL), .progress = stdout};
    char *end = NULL;
    if (!f.scale || rx_demo_scale_parse(f.scale, &o.scale)) {
        fprintf(stderr, "rexin: --scale community, district or city is needed\n");
        return 2;
    }
    o.seed = f.seed ? strtoull(f.seed, &end, 10) : 1;
    long tokens = f.tokens ? strtol(f.tokens, &end, 10) : 0;
    if ((f.seed || f.tokens) && (!end || *end)) {
        fprintf(stderr, "rexin: --seed and --tokens take numbers\n");
        return 2;
    }
    if (tokens < 0 || tokens > 100000) {
        fprintf(stderr, "rexin: --tokens must be 0..100000\n");
        return 2;
    }
    o.tokens = (int)tokens;
    long weeks = 156;
    if (f.history) {
        end = NULL;
        weeks = strtol(f.history, &end, 10);
        if (!end || *end || weeks < 0 || weeks > 520) {
            fprintf(stderr, "rexin: --history-weeks must be 0..520\n");
            return 2;
        }
    }
    o.history_weeks = (int)weeks;
    if (f.today ? rx_timefmt_date_parse(f.today, strlen(f.today), &o.today) != 0
                : rx_timefmt_date_at(o.now, RX_TIMEFMT_BEIJING, &o.today) != 0) {
        fprintf(stderr, "rexin: --today must be YYYY-MM-DD\n");
        return 2;
    }
    struct rx_keys keys;
    if (ensure_dir(cfg.data) || rx_keys_load(cfg.data, &keys)) return 1;
    o.keys = &keys;
    char pw[256], hash[RX_PW_HASH_LEN];
    const char *env = getenv("REXIN_PASSWORD");
    if (env && strlen(env) >= 8) {
        snprintf(pw, sizeof pw, "%s", env);
    } else {
        char tok[RX_TOKEN_LEN + 1];
        rx_token_new(tok, "");
        snprintf(pw, sizeof pw, "%s", tok);
    }
    if (rx_password_hash(pw, hash)) return 1;
    sodium_memzero(pw, sizeof pw);
    o.user_hash = hash;
    /* a community's transaction (about 100,000 rows) stays in memory instead of spilling */
    struct rx_store *s = open_store_cache(1, 512);
    if (!s) return 1;
    /* A new database gets the first-start tree and admin first (admin password as for serve). */
    struct seed_job sj = {.now = o.now, .hash = hash};
    char ahash[RX_PW_HASH_LEN];
    if (cfg.admin_password && *cfg.admin_password && rx_password_hash(cfg.admin_password, ahash) == 0)
        sj.hash = ahash;
    int rc = rx_store_write(s, seed_fn, &sj);
    FILE *tf = NULL;
    char path[4200];
    if (!rc && o.tokens) {
        snprintf(path, sizeof path, "%s/demo-tokens.txt", cfg.data);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        tf = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!tf) {
            fprintf(stderr, "rexin: cannot write %s: %s\n", path, strerror(errno));
            rc = 1;
        }
        o.tokens_out = tf;
    }
    struct rx_demo_counts n;
    char err[512];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!rc && (rc = rx_demo_generate(s, &o, &n, err, sizeof err)) != 0) fprintf(stderr, "rexin: %s\n", err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (tf && fclose(tf) != 0 && !rc) rc = 1;
    rx_store_close(s);
    if (rc) return 1;
    printf("rexin demo: %s scale, seed %llu, in %.1f s: %lld org units, %lld people (%lld Party members),"
           " %lld volunteers, %lld teams, %lld team memberships, %lld activities, %lld sign-ups,"
           " %lld service records, %lld accounts, %lld tokens\n",
           f.scale, (unsigned long long)o.seed,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, (long long)n.org_units,
           (long long)n.people, (long long)n.party_members, (long long)n.volunteers, (long long)n.teams,
           (long long)n.team_members, (long long)n.activities, (long long)n.signups, (long long)n.records,
           (long long)n.users, (long long)n.tokens);
    return 0;
}

/* ------------------------------------------------------------------ user, token */

static int read_password(char *out, size_t n, const char *prompt)
{
    const char *env = getenv("REXIN_PASSWORD");
    if (env) {
        snprintf(out, n, "%s", env);
        return 0;
    }
    struct termios old, quiet;
    int tty = isatty(0) && tcgetattr(0, &old) == 0;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSAFLUSH, &quiet);
    }
    char *ok = fgets(out, (int)n, stdin);
    if (tty) {
        tcsetattr(0, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (!ok) return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

struct user_job {
    const char *op, *username, *role, *org, *hash, *display, *phone, *label;
    int64_t now, id;
    char token[RX_TOKEN_LEN + 8];
    char msg[256];
};

static int lookup_org(struct rx_db *db, const char *org, int64_t *id)
{
    char *end;
    long long v = strtoll(org, &end, 10);
    if (strlen(org) == 12 && !*end) return rx_db_int(db, Q_ORG_BY_CODE, RX_ARGS(RX_T(org)), id);
    if (!*end && v > 0) {
        struct rx_cursor c;
        int rc = rx_db_query(db, Q_ORG_PATH, RX_ARGS(RX_I(v)), &c);
        int found = !rc && rx_cursor_next(&c) == 1;
        rx_cursor_close(&c);
        *id = v;
        return found ? RX_OK : RX_NOTFOUND;
    }
    return rx_db_int(db, Q_ORG_BY_NAME, RX_ARGS(RX_T(org)), id);
}

static int user_fn(struct rx_db *db, void *ctx)
{
    struct user_job *j = ctx;
    int64_t uid = 0, changes = 0;
    int rc;
    if (strcmp(j->op, "revoke_token") == 0) {
        rc = rx_db_exec(db, Q_TOKEN_REVOKE, RX_ARGS(RX_I(j->id), RX_I(j->now)), &changes, NULL);
        if (!rc && !changes) snprintf(j->msg, sizeof j->msg, "no active token %lld", (long long)j->id);
        return rc;
    }
    if (strcmp(j->op, "add") == 0) {
        rc = rx_db_exec(db, Q_USER_INSERT,
                        RX_ARGS(RX_T(j->username), RX_T(j->phone), RX_T(j->display ? j->display : j->username),
                                RX_NUL, RX_T(j->hash), RX_I(j->now)),
                        NULL, &uid);
        if (rc == RX_CONSTRAINT) snprintf(j->msg, sizeof j->msg, "user %s already exists", j->username);
        j->id = uid;
        return rc;
    }
    rc = rx_db_int(db, Q_USER_ID_BY_NAME, RX_ARGS(RX_T(j->username)), &uid);
    if (rc) {
        snprintf(j->msg, sizeof j->msg, "no user named %s", j->username);
        return rc;
    }
    if (strcmp(j->op, "passwd") == 0) {
        rc = rx_db_exec(db, Q_USER_SET_PASSWORD, RX_ARGS(RX_I(uid), RX_T(j->hash), RX_I(j->now)), NULL, NULL);
        if (!rc) rc = rx_db_exec(db, Q_SESSION_DELETE_USER, RX_ARGS(RX_I(uid)), NULL, NULL);
        return rc;
    }
    if (strcmp(j->op, "token") == 0) {
        char hash[RX_HASH_HEX_LEN + 1];
        rx_token_new(j->token, "rx_");
        rx_sha256_hex(j->token, strlen(j->token), hash);
        return rx_db_exec(db, Q_TOKEN_INSERT, RX_ARGS(RX_T(hash), RX_I(uid), RX_T(j->label), RX_I(j->now)), NULL,
                          &j->id);
    }
    int64_t org = 0;
    rc = lookup_org(db, j->org, &org);
    if (rc) {
        snprintf(j->msg, sizeof j->msg, "no org unit %s", j->org);
        return rc;
    }
    if (strcmp(j->op, "grant") == 0)
        rc = rx_db_exec(db, Q_GRANT_INSERT, RX_ARGS(RX_I(uid), RX_T(j->role), RX_I(org), RX_I(j->now)), &changes,
                        NULL);
    else
        rc = rx_db_exec(db, Q_GRANT_DELETE, RX_ARGS(RX_I(uid), RX_T(j->role), RX_I(org)), &changes, NULL);
    if (!rc && !changes) snprintf(j->msg, sizeof j->msg, "nothing to change");
    return rc;
}

struct user_flags {
    struct pos_args pos;
    const char *display, *phone, *label;
};

static int user_extra(const char *name, const char *value, void *arg)
{
    struct user_flags *f = arg;
    if (!name) return collect_pos(name, value, &f->pos);
    if (strcmp(name, "display-name") == 0 && value) f->display = value;
    else if (strcmp(name, "phone") == 0 && value) f->phone = value;
    else if (strcmp(name, "name") == 0 && value) f->label = value;
    else return 0;
    return 1;
}

/* ------------------------------------------------------------------ report */

struct report_flags {
    struct pos_args pos;
    const char *q[8][2]; /* query parameters for the report */
    int n;
};

static int report_extra(const char *name, const char *value, void *arg)
{
    static const char *const map[][2] = {
        {"org-unit", "org_unit"}, {"from", "from"},         {"to", "to"},
        {"format", "format"},     {"category", "category"}, {"team", "team"},
        {"party-member", "party_member"}, {"group-by", "group_by"}};
    struct report_flags *f = arg;
    if (!name) return collect_pos(name, value, &f->pos);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(name, map[i][0]) != 0 || !value || f->n >= 8) continue;
        f->q[f->n][0] = map[i][1];
        f->q[f->n][1] = value;
        f->n++;
        return 1;
    }
    return 0;
}

/* Lays out CSV text as aligned columns (display width: CJK characters count two). */
static void print_table(const char *csv, size_t n)
{
    struct rx_csv t;
    struct rx_csv_error e;
    if (rx_csv_parse(csv, n, NULL, &t, &e) != RX_CSV_OK) {
        fwrite(csv, 1, n, stdout);
        return;
    }
    size_t w[32] = {0};
    for (size_t i = 0; i < t.nrows; i++)
        for (size_t j = 0; j < t.rows[i].nfields && j < 32; j++) {
            size_t cw = 0;
            for (const unsigned char *p = (const unsigned char *)t.rows[i].fields[j].s; *p; p++)
                if ((*p & 0xC0) != 0x80) cw += *p >= 0xE0 ? 2 : 1;
            if (cw > w[j]) w[j] = cw;
        }
    for (size_t i = 0; i < t.nrows; i++) {
        for (size_t j = 0; j < t.rows[i].nfields && j < 32; j++) {
            const char *s = t.rows[i].fields[j].s;
            size_t cw = 0;
            for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                if ((*p & 0xC0) != 0x80) cw += *p >= 0xE0 ? 2 : 1;
            printf("%s%s", j ? "  " : "", s);
            if (j + 1 < t.rows[i].nfields)
                for (size_t k = cw; k < w[j]; k++) putchar(' ');
        }
        putchar('\n');
    }
    rx_csv_free(&t);
}

static int cmd_report(int argc, char **argv)
{
    if (wants_help(argc, argv) || argc < 2) {
        printf("usage: rexin report summary --org-unit CODE|ID [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "         [--category ID] [--team ID] [--party-member true|false] [--group-by child]\n"
               "         [--format table|csv|xlsx|json]\n"
               "Prints the summary report (GET /api/v1/reports/summary) of a node from the rollups;\n"
               "xlsx goes to standard output, so redirect it to a file.\n");
        return argc < 2 ? 2 : 0;
    }
    struct report_flags f = {0};
    if (load_config(argc, argv, report_extra, &f)) return 2;
    if (f.pos.n != 1 || strcmp(f.pos.v[0], "summary") != 0) {
        fprintf(stderr, "rexin: see rexin report --help\n");
        return 2;
    }
    const char *format = "table";
    for (int i = 0; i < f.n; i++)
        if (strcmp(f.q[i][0], "format") == 0) format = f.q[i][1];
    struct rx_store *store = open_store(0);
    if (!store) return 1;
    struct rx_app app;
    memset(&app, 0, sizeof app);
    app.cfg = &cfg;
    app.store = store;
    struct rx_req r;
    memset(&r, 0, sizeof r);
    rx_arena_init(&r.arena, 256u << 20);
    rx_buf_init(&r.out, 256u << 20);
    rx_buf_init(&r.field_errors, 64 * 1024);
    r.app = &app;
    r.now = (int64_t)time(NULL);
    r.method = "GET";
    r.path = "/api/v1/reports/summary";
    r.ip = "cli";
    r.db = rx_store_reader(store);
    r.qk[r.n_query] = "format";
    r.qv[r.n_query++] = format;
    for (int i = 0; i < f.n; i++)
        if (strcmp(f.q[i][0], "format") != 0) {
            r.qk[r.n_query] = f.q[i][0];
            r.qv[r.n_query++] = f.q[i][1];
        }
    int rc = 0;
    if (!r.db) {
        fprintf(stderr, "rexin: cannot read the database\n");
        rc = 1;
    } else {
        rpt_cli_summary(&r);
        if (r.status >= 400 || !r.status) {
            fprintf(stderr, "rexin: %.*s\n", (int)r.out.len, r.out.data ? r.out.data : "failed");
            rc = 1;
        } else if (r.has_body_fd) {
            char buf[65536];
            ssize_t n;
            lseek(r.body_fd, 0, SEEK_SET);
            while ((n = read(r.body_fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
            close(r.body_fd);
        } else if (strcmp(format, "table") == 0) {
            print_table(r.out.data ? r.out.data : "", r.out.len);
        } else {
            fwrite(r.out.data ? r.out.data : "", 1, r.out.len, stdout);
            if (strcmp(format, "csv") != 0) putchar('\n'); /* json and the rest end a line */
        }
    }
    rx_buf_free(&r.out);
    rx_buf_free(&r.field_errors);
    rx_arena_free(&r.arena);
    rx_store_close(store);
    return rc;
}

static int cmd_user(int argc, char **argv, int token)
{
    if (wants_help(argc, argv) || argc < 2) {
        if (token)
            printf("usage: rexin token create USERNAME [--name=LABEL]\n       rexin token revoke ID\n");
        else
            printf("usage: rexin user add USERNAME [--display-name=NAME] [--phone=PHONE]\n"
                   "       rexin user passwd USERNAME\n"
                   "       rexin user grant USERNAME ROLE ORG\n"
                   "       rexin user revoke USERNAME ROLE ORG\n"
                   "Passwords come from REXIN_PASSWORD or are asked for on the terminal.\n"
                   "ROLE: resident volunteer team_leader social_worker community_admin street_admin\n"
                   "      district_admin city_admin auditor. ORG: id, 12-digit code or exact name.\n");
        return argc < 2 ? 2 : 0;
    }
    struct user_flags f = {0};
    if (load_config(argc, argv, user_extra, &f)) return 2;
    struct user_job j = {.now = (int64_t)time(NULL)};
    const char *op = f.pos.n > 0 ? f.pos.v[0] : "";
    char pw[256], hash[RX_PW_HASH_LEN];
    if (token) {
        if (strcmp(op, "create") == 0 && f.pos.n == 2) {
            j.op = "token";
            j.username = f.pos.v[1];
            j.label = f.label ? f.label : "api";
        } else if (strcmp(op, "revoke") == 0 && f.pos.n == 2) {
            j.op = "revoke_token";
        } else {
            fprintf(stderr, "rexin: see rexin token --help\n");
            return 2;
        }
    } else if ((strcmp(op, "add") == 0 || strcmp(op, "passwd") == 0) && f.pos.n == 2) {
        j.op = op;
        j.username = f.pos.v[1];
        j.display = f.display;
        j.phone = f.phone;
        if (read_password(pw, sizeof pw, "password: ") || strlen(pw) < 8) {
            fprintf(stderr, "rexin: a password of at least 8 characters is needed (REXIN_PASSWORD)\n");
            return 2;
        }
        if (rx_password_hash(pw, hash)) return 1;
        sodium_memzero(pw, sizeof pw);
        j.hash = hash;
    } else if ((strcmp(op, "grant") == 0 || strcmp(op, "revoke") == 0) && f.pos.n == 4) {
        j.op = op;
        j.username = f.pos.v[1];
        j.role = f.pos.v[2];
        j.org = f.pos.v[3];
        if (!rx_role_valid(j.role)) {
            fprintf(stderr, "rexin: unknown role %s (see rexin user --help)\n", j.role);
            return 2;
        }
    } else {
        fprintf(stderr, "rexin: see rexin user --help\n");
        return 2;
    }
    struct rx_store *s = open_store(1);
    if (!s) return 1;
    int rc;
    if (strcmp(j.op, "revoke_token") == 0) {
        char *end;
        long long id = strtoll(f.pos.v[1], &end, 10);
        if (*end || id <= 0) {
            fprintf(stderr, "rexin: token id must be a number\n");
            rx_store_close(s);
            return 2;
        }
        j.id = id;
    }
    rc = rx_store_write(s, user_fn, &j);
    rx_store_close(s);
    if (rc || j.msg[0]) {
        fprintf(stderr, "rexin: %s\n", j.msg[0] ? j.msg : "failed");
        return rc ? 1 : 0;
    }
    if (strcmp(j.op, "token") == 0)
        printf("token %lld for %s (shown once; keep it secret):\n%s\n", (long long)j.id, j.username, j.token);
    else
        printf("rexin: done\n");
    return 0;
}

/* ------------------------------------------------------------------ import */

struct import_flags {
    struct pos_args pos;
    const char *community;
    int want_community, dry_run, skip_invalid, json;
};

static int import_extra(const char *name, const char *value, void *arg)
{
    struct import_flags *f = arg;
    if (!name) {
        if (f->want_community) {
            f->community = value;
            f->want_community = 0;
            return 1;
        }
        return collect_pos(name, value, &f->pos);
    }
    if (strcmp(name, "community") == 0) {
        if (value) f->community = value;
        else f->want_community = 1;
    } else if (strcmp(name, "dry-run") == 0 && !value) f->dry_run = 1;
    else if (strcmp(name, "skip-invalid") == 0 && !value) f->skip_invalid = 1;
    else if (strcmp(name, "json") == 0 && !value) f->json = 1;
    else return 0;
    return 1;
}

struct progress {
    const char *what;
    int tty;
    int last; /* last percentage drawn */
};

static void draw_progress(void *arg, size_t done, size_t total)
{
    struct progress *p = arg;
    if (!p->tty || !total) return;
    int pct = (int)(done * 100 / total);
    if (pct == p->last && done != total) return;
    p->last = pct;
    char bar[41];
    int fill = pct * 40 / 100;
    for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
    bar[40] = 0;
    fprintf(stderr, "\r%-9s [%s] %3d%% %zu/%zu", p->what, bar, pct, done, total);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

struct import_job {
    struct rx_import *im;
    struct rx_import_opts *o;
    struct rx_import_counts k;
    int skip_invalid;
    int64_t now;
    const char *file;
};

static int import_fn(struct rx_db *db, void *ctx)
{
    struct import_job *j = ctx;
    int rc = rx_import_apply(db, j->im, j->o, j->now, &j->k);
    if (rc) return rc;
    if (j->k.rejected && !j->skip_invalid) return RX_ABORT; /* all or nothing */
    char detail[512];
    const char *base = strrchr(j->file, '/') ? strrchr(j->file, '/') + 1 : j->file;
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, sizeof detail);
    rx_json_init(&w, &b);
    rx_json_obj(&w);
    rx_json_kstr(&w, "source", "cli");
    rx_json_kstr(&w, "file", base);
    rx_json_kint(&w, "community_id", j->o->community_id);
    rx_json_kint(&w, "rows", (int64_t)j->k.rows);
    rx_json_kint(&w, "created", (int64_t)j->k.created);
    rx_json_kint(&w, "updated", (int64_t)j->k.updated);
    rx_json_kint(&w, "unchanged", (int64_t)j->k.unchanged);
    rx_json_kint(&w, "rejected", (int64_t)j->k.rejected);
    rx_json_end(&w);
    snprintf(detail, sizeof detail, "%s", b.err ? "{}" : b.data);
    rx_buf_free(&b);
    return rx_db_exec(db, Q_AUDIT_INSERT,
                      RX_ARGS(RX_I(j->now), RX_NUL, RX_NUL, RX_T("import"), RX_T("org_unit"),
                              RX_I(j->o->community_id), RX_T(detail)),
                      NULL, NULL);
}

static char *read_file(const char *path, size_t max, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = rx_malloc(max + 1);
    *n = buf ? fread(buf, 1, max + 1, f) : 0;
    int bad = !buf || ferror(f) || *n > max;
    fclose(f);
    if (bad) {
        rx_free(buf);
        errno = buf ? EFBIG : ENOMEM;
        return NULL;
    }
    return buf;
}

static void print_rows(struct rx_import *im, int only_rejected, int english)
{
    char errs[2048];
    for (size_t i = 0; i < rx_import_row_count(im); i++) {
        size_t number;
        const char *action = rx_import_row_action(im, i, &number);
        int rejected = strcmp(action, "reject") == 0;
        if (only_rejected && !rejected) continue;
        rx_import_row_errors(im, i, english, errs, sizeof errs);
        printf(english ? "row %-7zu %-9s %s\n" : "第 %zu 行  %-9s %s\n", number, action, errs);
    }
}

static int cmd_import(int argc, char **argv)
{
    if (wants_help(argc, argv) || argc < 2) {
        printf("usage: rexin import people FILE --community ORG [--dry-run] [--skip-invalid] [--json]\n"
               "\n"
               "Imports people from FILE (CSV in UTF-8, UTF-8 with BOM, GB18030 or UTF-16; or the first\n"
               "sheet of an .xlsx) into community ORG (id, 12-digit code or exact name). The first row\n"
               "names the columns: 姓名/name (required), 证件类型/id_type, 身份证号/证件号码/id_number,\n"
               "性别/sex, 出生日期/birth_date, 手机/电话/phone, 政治面貌/political_status, 特长/skills,\n"
               "兴趣/interests, 备注/notes. A known ID number fills that person's blank fields.\n"
               "  --dry-run       report what would happen, row by row; write nothing\n"
               "  --skip-invalid  import the good rows even when others are rejected\n"
               "                  (without it, one bad row means nothing is imported)\n"
               "  --json          print the full report as JSON\n");
        return argc < 2 ? 2 : 0;
    }
    struct import_flags f = {0};
    if (load_config(argc, argv, import_extra, &f)) return 2;
    if (f.pos.n != 2 || strcmp(f.pos.v[0], "people") != 0 || !f.community) {
        fprintf(stderr, "usage: rexin import people FILE --community ORG [--dry-run] [--skip-invalid]\n");
        return 2;
    }
    const char *lang = getenv("LANG");
    int english = !(lang && strncmp(lang, "zh", 2) == 0);
    size_t n = 0;
    char *data = read_file(f.pos.v[1], (size_t)64 << 20, &n);
    if (!data) {
        fprintf(stderr, "rexin: cannot read %s: %s\n", f.pos.v[1], strerror(errno));
        return 1;
    }
    struct rx_keys keys;
    if (ensure_dir(cfg.data) || rx_keys_load(cfg.data, &keys)) {
        rx_free(data);
        return 1;
    }
    struct rx_store *s = open_store(1);
    if (!s) {
        rx_free(data);
        return 1;
    }
    int ret = 1;
    struct rx_import *im = NULL;
    struct rx_db *rd = rx_store_reader(s);
    int64_t org = 0;
    struct rx_cursor c;
    const char *kind = NULL;
    char kindbuf[32] = "";
    if (rd && lookup_org(rd, f.community, &org) == RX_OK &&
        rx_db_query(rd, Q_RP_ORG_INFO, RX_ARGS(RX_I(org)), &c) == RX_OK) {
        if (rx_cursor_next(&c) == 1) snprintf(kindbuf, sizeof kindbuf, "%s", rx_cursor_text(&c, 1));
        rx_cursor_close(&c);
        kind = kindbuf;
    }
    if (!kind || !kind[0]) {
        fprintf(stderr, "rexin: no org unit %s\n", f.community);
        goto out;
    }
    if (strcmp(kind, "community") != 0) {
        fprintf(stderr, "rexin: %s is a %s, not a community\n", f.community, kind);
        goto out;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t now = (int64_t)time(NULL);
    struct rx_date today;
    rx_timefmt_date_at(now, RX_TIMEFMT_BEIJING, &today);
    struct rx_import_error err;
    if (isatty(2)) fprintf(stderr, "reading   %s ...\n", f.pos.v[1]);
    if (rx_import_parse(data, n, &keys, &today, &im, &err)) {
        const struct rx_message *m = rx_message_find(err.code);
        fprintf(stderr, "rexin: cannot import %s: %s%s%s", f.pos.v[1], m ? (english ? m->en : m->zh) : err.code,
                err.detail[0] ? ": " : "", err.detail);
        if (err.row) fprintf(stderr, " (row %zu%s", err.row, err.column ? "" : ")");
        if (err.row && err.column) fprintf(stderr, ", column %zu)", err.column);
        fprintf(stderr, "\n");
        goto out;
    }
    rx_free(data);
    data = NULL;
    struct progress pr = {.what = "checking", .tty = isatty(2), .last = -1};
    struct rx_import_opts o = {.community_id = org, .dry_run = 1, .nscope = -1, .source = "cli",
                               .progress = draw_progress, .progress_arg = &pr};
    struct rx_import_counts k;
    int rc = rx_import_apply(rd, im, &o, now, &k);
    if (rc) {
        fprintf(stderr, "rexin: database error %d while checking rows\n", rc);
        goto out;
    }
    int committed = 0;
    if (!f.dry_run && (!k.rejected || f.skip_invalid)) {
        pr = (struct progress){.what = "importing", .tty = isatty(2), .last = -1};
        o.dry_run = 0;
        struct import_job j = {.im = im, .o = &o, .skip_invalid = f.skip_invalid, .now = now, .file = f.pos.v[1]};
        rc = rx_store_write(s, import_fn, &j);
        k = j.k;
        if (rc && rc != RX_ABORT) {
            fprintf(stderr, "rexin: database error %d; nothing was imported\n", rc);
            goto out;
        }
        committed = rc == RX_OK;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (f.json) {
        struct rx_buf b;
        struct rx_json w;
        rx_buf_init(&b, (size_t)512 << 20);
        rx_json_init(&w, &b);
        rx_import_report(im, &o, committed, NULL, &w);
        if (!b.err) printf("%s\n", b.data);
        rx_buf_free(&b);
    } else {
        print_rows(im, !f.dry_run, english);
    }
    const char *how = f.dry_run ? (english ? "dry run, nothing written" : "试运行，未写入")
                      : committed ? (english ? "imported" : "已导入")
                                  : (english ? "rejected rows: nothing imported" : "有被拒绝的行，未导入任何数据");
    fprintf(stderr,
            english ? "rexin: %zu rows: %zu created, %zu updated, %zu unchanged, %zu rejected (%s) in %.2f s\n"
                    : "rexin: 共 %zu 行：新增 %zu，更新 %zu，无变化 %zu，拒绝 %zu（%s），用时 %.2f 秒\n",
            k.rows, k.created, k.updated, k.unchanged, k.rejected, how, secs);
    ret = (f.dry_run || committed) ? 0 : 1;
out:
    rx_import_free(im);
    rx_free(data);
    rx_store_close(s);
    sodium_memzero(&keys, sizeof keys);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (rx_crypto_init()) {
        fprintf(stderr, "rexin: libsodium failed to initialise\n");
        return 1;
    }
    const char *cmd = argv[1];
    int rc;
    if (strcmp(cmd, "serve") == 0) rc = cmd_serve(argc - 1, argv + 1);
    else if (strcmp(cmd, "migrate") == 0) rc = cmd_migrate(argc - 1, argv + 1);
    else if (strcmp(cmd, "backup") == 0) rc = cmd_backup(argc - 1, argv + 1);
    else if (strcmp(cmd, "restore") == 0) rc = cmd_restore(argc - 1, argv + 1);
    else if (strcmp(cmd, "demo") == 0) rc = cmd_demo(argc - 1, argv + 1);
    else if (strcmp(cmd, "user") == 0) rc = cmd_user(argc - 1, argv + 1, 0);
    else if (strcmp(cmd, "token") == 0) rc = cmd_user(argc - 1, argv + 1, 1);
    else if (strcmp(cmd, "import") == 0) rc = cmd_import(argc - 1, argv + 1);
    else if (strcmp(cmd, "routes") == 0) rc = cmd_routes();
    else if (strcmp(cmd, "report") == 0) rc = cmd_report(argc - 1, argv + 1);
    else if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("rexin %s\n", REXIN_VERSION);
        rc = 0;
    } else {
        fprintf(stderr, "rexin: unknown command '%s'\n\n%s", cmd, usage);
        rc = 2;
    }
    rx_config_free(&cfg);
    return rc;
}
