/* config.h: rexin's settings. Each value comes from, in order of precedence: a command-line
 * flag (--name value), the environment (REXIN_NAME), a config file (name = value lines;
 * --config FILE or DATA_DIR/rexin.conf), then the built-in default. `rexin serve
 * --print-config` shows the effective values with secrets hidden and where each came from.
 * Strings in the struct are owned by the struct; rx_config_free releases them. */
#ifndef RX_CONFIG_H
#define RX_CONFIG_H
#include <stdio.h>

struct rx_config {
    char *listen;          /* HOST:PORT; port 0 picks a free one */
    char *data;            /* data directory (database, key, uploads) */
    char *db;              /* database URL; default sqlite:DATA/rexin.db */
    char *db_read;         /* PostgreSQL read replica for report routes, NULL = none */
    char *trusted_proxies; /* addresses whose X-Real-IP header is believed, NULL = none */
    char *web;             /* serve the web UI from this directory instead of the embedded one */
    char *public_url;      /* how users reach us (https://... turns on Secure cookies) */
    char *admin_password;  /* initial admin password on first start (secret) */
    char *log_level;       /* debug, info, warn, error */
    char *star_thresholds; /* hours per star level, "100,300,600,1000,1500" */
    char *webhook_url;     /* forward notifications to this http:// URL (none when unset) */
    char *webhook_secret;  /* HMAC-SHA256 key for the webhook's signature header (secret) */
    char *config_file;     /* the file read, if any */
    long threads;          /* HTTP threads; 0 = one per core */
    long max_connections;  /* total open connections */
    long per_ip_connections; /* open connections from one address */
    long conn_timeout;     /* seconds of silence before a connection is dropped */
    long session_idle;     /* seconds of inactivity that end a session */
    long session_max;      /* absolute session lifetime in seconds */
    long daily_cap_minutes;   /* most minutes one person can be credited per day */
    long min_record_minutes;  /* attendance shorter than this earns no record */
    long max_body;         /* request body limit in bytes */
    long read_your_writes; /* seconds a user's reads avoid the replica after a write */
    long db_writers;       /* PostgreSQL writer threads/connections */
    long help_urgent_minutes; /* an urgent help request is escalated if not accepted by then */
    long help_normal_minutes; /* the same for other requests */
    long help_sweep_seconds;  /* how often overdue and stalled requests are looked for; 0 = never */
    long answer_cache_mib;    /* per HTTP thread, for answers kept until the next commit; 0 = off */
    unsigned char sources[32]; /* where each value came from, for --print-config */
};

/* Fills c from defaults, the file, the environment and argv (argv[0] is the subcommand).
 * Unknown flags are errors unless `extra` accepts them: extra(name, value, arg) returns 1
 * when it used the flag. Returns 0, or -1 with a message in err. */
typedef int (*rx_config_extra_fn)(const char *name, const char *value, void *arg);
int rx_config_load(struct rx_config *c, int argc, char **argv, rx_config_extra_fn extra,
                   void *arg, char *err, size_t errlen);
void rx_config_print(const struct rx_config *c, FILE *out);
void rx_config_help(FILE *out);
void rx_config_free(struct rx_config *c);

#endif
