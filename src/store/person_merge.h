/* person_merge.h: moving everything attached to one person record onto another, the store
 * half of POST /api/v1/people/merge. The list of tables with a person reference lives in
 * person_merge.c, in one place: a module that adds a table with a person_id column adds its
 * statement there (in its own queries_*.def) so merges keep moving everything. */
#ifndef RX_PERSON_MERGE_H
#define RX_PERSON_MERGE_H
#include <stdint.h>

struct rx_db;

/* Marks the loser merged_into the survivor (and records merged into the loser before, too),
 * then moves what is attached to it: accounts, volunteer registration (unless the survivor has
 * one: the loser's is then retired), guardianships, team memberships and leaderships, Party
 * memberships and branch secretaryships, sign-ups (one per activity: the one holding a place;
 * promoting a waitlist into a place given up is the caller's, api/activity.h), attendance,
 * service records (one more version each; rollups follow), file entries, notifications,
 * certificates not yet issued (issued ones stay: frozen); fills the survivor's blank
 * fields from the loser; sets the survivor's political status from a current membership.
 * Runs inside the caller's write transaction; returns the first store error (a sign-up that
 * would overlap another of the survivor's, say: the whole merge is then undone). */
int rx_store_person_merge(struct rx_db *db, int64_t survivor, int64_t loser, int64_t now);

#endif
