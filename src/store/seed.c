/* seed.c: see seed.h. */
#include "store/seed.h"
#include "domain/demo.h"
#include "domain/name.h"
#include <string.h>
#include "store/store.h"

/* People, Party branches and teams of the article (demo.c), over the org ids just made. */
static int seed_registry(struct rx_db *db, int64_t now, const int64_t *org)
{
    int64_t person[16] = {0}, branch[16] = {0}; /* the table refers only to earlier rows */
    int rc = RX_OK;
    for (int i = 0; !rc && i < rx_demo_people_count && i < 16; i++) {
        /* The comparison key the people API would store, so search and the duplicate check
         * treat demo people like everyone else. */
        const char *name = rx_demo_people[i].name;
        char key[RX_NAME_SIZE];
        if (rx_name_normalize(name, strlen(name), key, sizeof key, NULL) != RX_NAME_OK)
            return RX_ERROR;
        rc = rx_db_exec(db, Q_ROG_SEED_PERSON,
                        RX_ARGS(RX_I(org[rx_demo_people[i].org]), RX_T(name), RX_I(now), RX_T(key)),
                        NULL, &person[i]);
    }
    for (int i = 0; !rc && i < rx_demo_branches_count && i < 16; i++) {
        const struct rx_demo_branch *b = &rx_demo_branches[i];
        rc = rx_db_exec(db, Q_ROG_BRANCH_INSERT,
                        RX_ARGS(RX_I(org[b->org]), RX_T(b->kind), RX_T(b->name),
                                b->secretary >= 0 ? RX_I(person[b->secretary]) : RX_NUL, RX_I(now)),
                        NULL, &branch[i]);
    }
    for (int i = 0; !rc && i < rx_demo_teams_count; i++) {
        const struct rx_demo_team *t = &rx_demo_teams[i];
        int64_t cat = 0;
        rc = rx_db_int(db, Q_ROG_CAT_BY_CODE, RX_ARGS(RX_T(t->category)), &cat);
        if (!rc)
            rc = rx_db_exec(db, Q_ROG_TEAM_INSERT,
                            RX_ARGS(RX_I(org[t->org]), RX_I(branch[t->branch]), RX_T(t->name),
                                    t->leader >= 0 ? RX_I(person[t->leader]) : RX_NUL, RX_I(cat), RX_NUL,
                                    RX_T(t->description), RX_NUL, RX_I(now)),
                            NULL, NULL);
    }
    return rc;
}

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
    rc = seed_registry(db, now, ids);
    if (rc) return rc;
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
