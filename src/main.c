/* main.c: the rexin command. Parses the subcommand, loads configuration, opens the store
 * and wires the server. Owns the process-wide objects (config, store, app). */
#include "domain/roles.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/config.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/seed.h"
#include "store/store.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    "  user add NAME         create an account (password from REXIN_PASSWORD or a prompt)\n"
    "  user passwd NAME      set an account's password\n"
    "  user grant NAME ROLE ORG    grant ROLE over org unit ORG (id or 12-digit code)\n"
    "  user revoke NAME ROLE ORG   take it back\n"
    "  token create NAME [--name LABEL]   issue an API token for an account (printed once)\n"
    "  token revoke ID       revoke an API token\n"
    "  backup FILE           write a consistent copy of the live database to FILE\n"
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

static struct rx_store *open_store(int migrate)
{
    char err[1024];
    struct rx_store *s = NULL;
    if (ensure_dir(cfg.data)) return NULL;
    struct rx_store_opts o = {.url = cfg.db, .migrate = migrate};
    if (rx_store_open(&s, &o, err, sizeof err) != RX_OK) {
        fprintf(stderr, "rexin: %s\n", err);
        return NULL;
    }
    return s;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------ serve */

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

    char err[512];
    if (rx_server_start(&app, err, sizeof err)) {
        fprintf(stderr, "rexin: %s\n", err);
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
    rx_store_close(app.store);
    rx_info("msg=\"stopped cleanly\"");
    return 0;
}

/* ------------------------------------------------------------------ migrate, backup, routes */

static int cmd_migrate(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: rexin migrate [--data DIR] [--db URL]\n\nApplies pending migrations.\n");
        return 0;
    }
    if (load_config(argc, argv, NULL, NULL)) return 2;
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

static int cmd_routes(void)
{
    for (int i = 0; i < rx_routes_count; i++)
        printf("%s %s\n", rx_routes[i].method, rx_routes[i].pattern);
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
    else if (strcmp(cmd, "user") == 0) rc = cmd_user(argc - 1, argv + 1, 0);
    else if (strcmp(cmd, "token") == 0) rc = cmd_user(argc - 1, argv + 1, 1);
    else if (strcmp(cmd, "routes") == 0) rc = cmd_routes();
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
