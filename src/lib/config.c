/* config.c: see config.h. One table lists every setting once; flags, environment variables,
 * file keys and --print-config all come from it. */
#include "lib/config.h"
#include "lib/alloc.h"
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum kind { STR, LONG };
struct opt {
    const char *name; /* flag and file key (with '-'); env is REXIN_ + upper, '-' -> '_' */
    enum kind kind;
    size_t off;
    const char *def;
    int secret;
    const char *help;
};

#define S(f) offsetof(struct rx_config, f)
static const struct opt opts[] = {
    {"listen", STR, S(listen), "127.0.0.1:8080", 0, "address to serve on (HOST:PORT)"},
    {"data", STR, S(data), "./var", 0, "data directory"},
    {"db", STR, S(db), NULL, 0, "database URL (default sqlite:DATA/rexin.db; or postgresql://...)"},
    {"db-read", STR, S(db_read), NULL, 0, "PostgreSQL read replica for reports (postgresql://...)"},
    {"read-your-writes", LONG, S(read_your_writes), "5", 0,
     "seconds a user's reads stay on the primary after they wrote"},
    {"db-writers", LONG, S(db_writers), "4", 0, "PostgreSQL writer connections"},
    {"trusted-proxies", STR, S(trusted_proxies), NULL, 0,
     "reverse proxies whose X-Real-IP header names the client (comma-separated addresses)"},
    {"web", STR, S(web), NULL, 0, "serve the web UI from this directory"},
    {"public-url", STR, S(public_url), NULL, 0, "external URL (https:// enables Secure cookies)"},
    {"admin-password", STR, S(admin_password), NULL, 1, "admin password on first start"},
    {"log-level", STR, S(log_level), "info", 0, "debug, info, warn or error"},
    {"star-thresholds", STR, S(star_thresholds), "100,300,600,1000,1500", 0,
     "hours for each star level"},
    {"threads", LONG, S(threads), "0", 0, "HTTP threads (0: one per core)"},
    {"max-connections", LONG, S(max_connections), "10000", 0, "total connection limit"},
    {"per-ip-connections", LONG, S(per_ip_connections), "256", 0, "connections per address"},
    {"conn-timeout", LONG, S(conn_timeout), "30", 0, "idle connection timeout in seconds"},
    {"session-idle", LONG, S(session_idle), "7200", 0, "session idle expiry in seconds"},
    {"session-max", LONG, S(session_max), "604800", 0, "absolute session expiry in seconds"},
    {"daily-cap-minutes", LONG, S(daily_cap_minutes), "480", 0, "service minutes cap per day"},
    {"min-record-minutes", LONG, S(min_record_minutes), "10", 0, "shortest creditable service"},
    {"max-body", LONG, S(max_body), "1048576", 0, "request body limit in bytes"},
    {"help-urgent-minutes", LONG, S(help_urgent_minutes), "120", 0,
     "minutes to accept an urgent help request before it escalates"},
    {"help-normal-minutes", LONG, S(help_normal_minutes), "1440", 0,
     "minutes to accept any other help request before it escalates"},
    {"help-sweep-seconds", LONG, S(help_sweep_seconds), "60", 0,
     "seconds between sweeps for overdue and stalled help requests (0: off)"},
    {"answer-cache-mib", LONG, S(answer_cache_mib), "8", 0,
     "MiB per HTTP thread for credentials and answers kept until the next commit (SQLite; 0: off)"},
    {"webhook-url", STR, S(webhook_url), NULL, 0,
     "POST each notification to this http:// URL (HTTPS: through a local relay)"},
    {"webhook-secret", STR, S(webhook_secret), NULL, 1,
     "key for the webhook's X-Rexin-Signature (HMAC-SHA256)"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

enum source { SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_FLAG };
static const char *const source_names[] = {"default", "file", "env", "flag"};

static int set(struct rx_config *c, const struct opt *o, const char *v, char *err, size_t errlen)
{
    char *base = (char *)c;
    if (o->kind == STR) {
        char **p = (char **)(base + o->off);
        char *d = v ? rx_strdup(v) : NULL;
        if (v && !d) return snprintf(err, errlen, "out of memory"), -1;
        rx_free(*p);
        *p = d;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 0) {
        snprintf(err, errlen, "%s: '%s' is not a non-negative whole number", o->name, v);
        return -1;
    }
    *(long *)(base + o->off) = n;
    return 0;
}

static const struct opt *find(const char *name)
{
    for (size_t i = 0; i < NOPTS; i++)
        if (strcmp(opts[i].name, name) == 0) return &opts[i];
    return NULL;
}

static void env_name(const char *name, char *out, size_t n)
{
    size_t k = (size_t)snprintf(out, n, "REXIN_");
    for (; *name && k + 1 < n; name++) out[k++] = *name == '-' ? '_' : (char)toupper(*name);
    out[k] = 0;
}

static int load_file(struct rx_config *c, const char *path, int must, unsigned char *src,
                     char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must) return 0;
        snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (*p == '#' || *p == 0) continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected name = value", path, lineno);
            rc = -1;
            break;
        }
        char *ke = eq;
        while (ke > p && isspace((unsigned char)ke[-1])) ke--;
        *ke = 0;
        char *v = eq + 1;
        while (isspace((unsigned char)*v)) v++;
        size_t vl = strlen(v);
        while (vl && isspace((unsigned char)v[vl - 1])) v[--vl] = 0;
        const struct opt *o = find(p);
        if (!o) {
            snprintf(err, errlen, "%s:%d: unknown setting '%s'", path, lineno, p);
            rc = -1;
            break;
        }
        if (src[o - opts] > SRC_FILE) continue;
        if (set(c, o, v, err, errlen)) {
            rc = -1;
            break;
        }
        src[o - opts] = SRC_FILE;
    }
    fclose(f);
    if (rc == 0) c->config_file = rx_strdup(path);
    return rc;
}

int rx_config_load(struct rx_config *c, int argc, char **argv, rx_config_extra_fn extra,
                   void *arg, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    unsigned char *sources = c->sources;
    _Static_assert(NOPTS <= sizeof c->sources, "sources too small");
    for (size_t i = 0; i < NOPTS; i++) {
        sources[i] = SRC_DEFAULT;
        if (opts[i].def && set(c, &opts[i], opts[i].def, err, errlen)) return -1;
    }
    /* Flags first into a staging pass so they win over env and file. */
    const char *config_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (extra && extra(NULL, a, arg)) continue;
            snprintf(err, errlen, "unexpected argument '%s'", a);
            return -1;
        }
        char name[64];
        const char *val = NULL;
        const char *eq = strchr(a + 2, '=');
        size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nl >= sizeof name) {
            snprintf(err, errlen, "unknown option '%s'", a);
            return -1;
        }
        memcpy(name, a + 2, nl);
        name[nl] = 0;
        const struct opt *o = find(name);
        if (strcmp(name, "config") == 0 || o) {
            if (eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else {
                snprintf(err, errlen, "option --%s needs a value", name);
                return -1;
            }
            if (!o) {
                config_path = val;
                continue;
            }
            if (set(c, o, val, err, errlen)) return -1;
            sources[o - opts] = SRC_FLAG;
            continue;
        }
        if (extra && extra(name, eq ? eq + 1 : NULL, arg)) continue;
        /* An extra flag that wants a value may have it in the next argument. */
        if (extra && !eq && i + 1 < argc && extra(name, argv[i + 1], arg)) {
            i++;
            continue;
        }
        snprintf(err, errlen, "unknown option '--%s' (see --help)", name);
        return -1;
    }
    for (size_t i = 0; i < NOPTS; i++) {
        if (sources[i] == SRC_FLAG) continue;
        char en[64];
        env_name(opts[i].name, en, sizeof en);
        const char *v = getenv(en);
        if (v && *v) {
            if (set(c, &opts[i], v, err, errlen)) return -1;
            sources[i] = SRC_ENV;
        }
    }
    if (!config_path) config_path = getenv("REXIN_CONFIG");
    if (config_path) {
        if (load_file(c, config_path, 1, sources, err, errlen)) return -1;
    } else {
        char p[4096];
        snprintf(p, sizeof p, "%s/rexin.conf", c->data);
        if (load_file(c, p, 0, sources, err, errlen)) return -1;
    }
    if (!c->db) {
        char p[4200];
        snprintf(p, sizeof p, "sqlite:%s/rexin.db", c->data);
        c->db = rx_strdup(p);
        if (!c->db) return snprintf(err, errlen, "out of memory"), -1;
    }
    return 0;
}

void rx_config_print(const struct rx_config *c, FILE *out)
{
    const char *base = (const char *)c;
    for (size_t i = 0; i < NOPTS; i++) {
        const struct opt *o = &opts[i];
        fprintf(out, "%-20s = ", o->name);
        if (o->kind == LONG) fprintf(out, "%ld", *(const long *)(base + o->off));
        else {
            const char *v = *(char *const *)(base + o->off);
            if (!v) fprintf(out, "(unset)");
            else if (o->secret) fprintf(out, "******");
            else fprintf(out, "%s", v);
        }
        fprintf(out, "    # %s\n", source_names[c->sources[i]]);
    }
    fprintf(out, "%-20s = %s\n", "config", c->config_file ? c->config_file : "(none)");
}

void rx_config_help(FILE *out)
{
    for (size_t i = 0; i < NOPTS; i++) {
        char en[64];
        env_name(opts[i].name, en, sizeof en);
        fprintf(out, "  --%-20s %s [%s%s%s]\n", opts[i].name, opts[i].help, en,
                opts[i].def ? ", default " : "", opts[i].def ? opts[i].def : "");
    }
    fprintf(out, "  --%-20s read settings from this file [REXIN_CONFIG, default DATA/rexin.conf]\n",
            "config");
}

void rx_config_free(struct rx_config *c)
{
    char *base = (char *)c;
    for (size_t i = 0; i < NOPTS; i++)
        if (opts[i].kind == STR) {
            rx_free(*(char **)(base + opts[i].off));
            *(char **)(base + opts[i].off) = NULL;
        }
    rx_free(c->config_file);
    c->config_file = NULL;
}
