/* person_merge.c: see person_merge.h. */
#include "store/person_merge.h"
#include "store/store.h"

/* Statements take ?1 survivor, ?2 loser and, when nargs is 3, ?3 now. Steps for one table stay
 * together: conflicts first (teams both belong to, two current Party memberships, sign-ups
 * for one activity), then the move. */
struct step {
    enum rx_query q;
    int nargs;
};

/* First the loser becomes a pointer to the survivor (later tables' triggers allow moving
 * locked rows only to a person's merged_into), then everything moves, then the survivor
 * completes itself. */
static const struct step steps[] = {
    {Q_RP_MERGE_MARK, 3},
    {Q_RP_MERGE_REPOINT, 2},
    /* registry (0002-0004) */
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
    /* activities (0005) */
    {Q_RP_MERGE_SIGNUP_KEEP_PLACE, 3},
    {Q_RP_MERGE_SIGNUP_DUPS, 3},
    {Q_RP_MERGE_SIGNUPS, 3},
    {Q_RP_MERGE_ATTENDANCE, 3},
    {Q_RP_MERGE_RECORDS, 3},
    {Q_RP_MERGE_FILE_DUPS, 2},
    {Q_RP_MERGE_FILE_ENTRIES, 2},
    {Q_RP_MERGE_NOTIFICATIONS, 2},
    /* certificates (0006): only those not issued yet; issued ones are frozen documents and
     * keep the person they were issued to (the list follows merged_into to find them) */
    {Q_CERT_MERGE_REQUESTED, 2},
    /* help requests (0008); their event log keeps who it named at the time */
    {Q_HELP_MERGE_REQUESTER, 2},
    {Q_HELP_MERGE_ASSIGNEE, 2},
    /* Tables added by later modules (time bank ...) go here. */
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
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int64_t changes = 0;
        int rc = run(db, &steps[i], survivor, loser, now, &changes);
        if (rc) return rc;
        if (steps[i].q == Q_RP_MERGE_MARK && changes != 1) return RX_NOTFOUND;
    }
    return RX_OK;
}
