/* seed.c: see seed.h. */
#include "store/seed.h"
#include "domain/demo.h"
#include "store/store.h"

int rx_seed_first_start(struct rx_db *db, int64_t now, const char *admin_hash, int *created)
{
    int64_t n = 0;
    *created = 0;
    int rc = rx_db_int(db, Q_ORG_COUNT, RX_NOARGS, &n);
    if (rc || n > 0) return rc;
    int64_t ids[64] = {0}; /* parents come before children in the table */
    for (int i = 0; i < rx_demo_orgs_count && i < 64; i++) {
        const struct rx_demo_org *o = &rx_demo_orgs[i];
        rc = rx_db_exec(db, Q_ORG_INSERT,
                        RX_ARGS(o->parent >= 0 ? RX_I(ids[o->parent]) : RX_NUL, RX_T(o->kind),
                                RX_T(o->name), RX_T(o->code), RX_I(now)),
                        NULL, &ids[i]);
        if (!rc) rc = rx_db_exec(db, Q_ORG_SET_PATH, RX_ARGS(RX_I(ids[i])), NULL, NULL);
        if (rc) return rc;
    }
    int64_t uid = 0;
    rc = rx_db_exec(db, Q_USER_INSERT,
                    RX_ARGS(RX_T("admin"), RX_NUL, RX_T("系统管理员"), RX_NUL, RX_T(admin_hash), RX_I(now)),
                    NULL, &uid);
    if (!rc)
        rc = rx_db_exec(db, Q_GRANT_INSERT, RX_ARGS(RX_I(uid), RX_T("city_admin"), RX_I(ids[0]), RX_I(now)),
                        NULL, NULL);
    if (!rc) *created = 1;
    return rc;
}
