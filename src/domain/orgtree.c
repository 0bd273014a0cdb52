/* orgtree.c: see orgtree.h. The table below is the whole rule; keep it in step with the
 * org_units_kind_* triggers of migration 0003. */
#include "domain/orgtree.h"
#include <stddef.h>
#include <string.h>

static const struct {
    const char *child;
    const char *parents[4]; /* NULL-terminated; "" stands for "no parent" (a root) */
} allowed[] = {
    {"city", {"", NULL}},
    {"district", {"city", NULL}},
    {"street", {"district", NULL}},
    {"community", {"street", "district", NULL}},
    {"venue", {"district", "street", "community", NULL}},
};

int rx_orgtree_kind_valid(const char *kind)
{
    if (!kind) return 0;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(allowed[i].child, kind) == 0) return 1;
    return 0;
}

int rx_orgtree_child_allowed(const char *parent_kind, const char *child_kind)
{
    if (!child_kind) return 0;
    const char *p = parent_kind ? parent_kind : "";
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        if (strcmp(allowed[i].child, child_kind) != 0) continue;
        for (int k = 0; allowed[i].parents[k]; k++)
            if (strcmp(allowed[i].parents[k], p) == 0) return 1;
        return 0;
    }
    return 0;
}

int rx_orgtree_code_valid(const char *code)
{
    if (!code || strlen(code) != 12) return 0;
    for (int i = 0; i < 12; i++)
        if (code[i] < '0' || code[i] > '9') return 0;
    return 1;
}

int rx_orgtree_path_depth(const char *path)
{
    if (!path || path[0] != '/' || !path[1]) return -1;
    int depth = 0, digits = 0;
    for (const char *s = path + 1; *s; s++) {
        if (*s == '/') {
            if (!digits) return -1;
            depth++;
            digits = 0;
        } else if (*s >= '0' && *s <= '9') {
            digits++;
        } else {
            return -1;
        }
    }
    return digits ? -1 : depth;
}
