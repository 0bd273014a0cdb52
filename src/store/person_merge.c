/* person_merge.c: see person_merge.h. */
#include "store/person_merge.h"
#include "store/store.h"

/* Statements take ?1 survivor, ?2 loser and, when nargs is 3, ?3 now. Steps for one table stay
 * together: team memberships first settle teams both belong to, then move the rest; Party
 * memberships first end the older of two current ones. */
struct step {
    enum rx_query q;
    int nargs;
};

static const struct step moves[] = {
    {Q_RP_MERGE_USERS, 2},
    {Q_RP_MERGE_VOLUNTEER_RETIRE, 3},
    {Q_RP_MERGE_VOLUNTEER, 2},
    {Q_RP_MERGE_GUARDIANS, 2},
    {Q_RP_MERGE_TEAM_JOINED, 2},
    {Q_RP_MERGE_TEAM_DUPS, 2},
    {Q_RP_MERGE_TEAM_MEMBERS, 2},
    {Q_RP_MERGE_TEAM_LEADERS, 2},
    {Q_RP_MERGE_MEMBERSHIP_CLOSE, 2},
    {Q_RP_MERGE_MEMBERSHIPS, 2},
    {Q_RP_MERGE_BRANCH_SECRETARIES, 2},
    /* Tables added by later modules (activities, sign-ups, records, requests ...) go here. */
};

/* After the moves: the loser becomes a pointer, then the survivor completes itself. */
static const struct step finish[] = {
    {Q_RP_MERGE_MARK, 3},
    {Q_RP_MERGE_REPOINT, 2},
    {Q_RP_MERGE_FILL, 3},
    {Q_RP_SYNC_POLSTATUS, 1},
};

static int run(struct rx_db *db, const struct step *s, int64_t survivor, int64_t loser, int64_t now,
               int64_t *changes)
{
    const struct rx_val a[3] = {RX_I(survivor), RX_I(loser), RX_I(now)};
    return rx_db_exec(db, s->q, a, s->nargs, changes, NULL);
}

int rx_store_person_merge(struct rx_db *db, int64_t survivor, int64_t loser, int64_t now)
{
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        int rc = run(db, &moves[i], survivor, loser, now, NULL);
        if (rc) return rc;
    }
    for (size_t i = 0; i < sizeof finish / sizeof finish[0]; i++) {
        int64_t changes = 0;
        int rc = run(db, &finish[i], survivor, loser, now, &changes);
        if (rc) return rc;
        if (finish[i].q == Q_RP_MERGE_MARK && changes != 1) return RX_NOTFOUND;
    }
    return RX_OK;
}
