/* config.c: the config file reader (src/lib/config.c, `name = value` lines), as
 * `rexin serve --config FILE` runs it. Each input is written to a temporary file and
 * loaded. Properties: it either loads or says why (a non-empty message), never overflows or
 * leaks; every number loaded is non-negative; every string is NUL-terminated; a setting
 * given by flag is never overridden by the file; rx_config_print works on the result. */
#include "fuzzutil.h"
#include "lib/config.h"
#include <unistd.h>

static char path[64];
static FILE *devnull;

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(path, sizeof path, "/tmp/rexin-fuzz-config-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    close(fd);
    atexit(cleanup);
    devnull = fopen("/dev/null", "w");
    /* settings from the environment would mask what the file says */
    for (char **e = environ; e && *e;) {
        if (strncmp(*e, "REXIN_", 6) == 0) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
            unsetenv(name);
        } else {
            e++;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "w");
    if (!f) abort();
    if (size) fwrite(data, 1, size, f);
    fclose(f);
    char *argv[] = {"serve", "--config", path, "--threads", "3", NULL};
    struct rx_config c;
    char err[512] = "";
    int rc = rx_config_load(&c, 5, argv, NULL, NULL, err, sizeof err);
    if (rc == 0) {
        FZ_CHECK(c.threads == 3, "flag overridden by the file: threads %ld", c.threads);
        FZ_CHECK(c.max_connections >= 0 && c.per_ip_connections >= 0 && c.conn_timeout >= 0 &&
                     c.session_idle >= 0 && c.session_max >= 0 && c.max_body >= 0,
                 "negative number loaded");
        FZ_CHECK(c.listen && c.data && c.db && c.config_file, "missing setting");
        rx_config_print(&c, devnull);
    } else {
        FZ_CHECK(err[0], "failed without a message");
    }
    rx_config_free(&c);
    return 0;
}
