/* activity.h: activities, sign-ups, attendance, service records and the volunteer's file
 * (issue "Activities, sign-up, QR check-in and service records"). Handlers first, then the
 * helpers the files of this area share (activity_common.c).
 *
 * Who may do what:
 *   - anyone logged in sees published, cancelled and finished activities; drafts only those
 *     who may lead them;
 *   - "may lead" an activity: RX_PERM_LEAD_ACTIVITIES over its community, or being the
 *     current leader or deputy of its team;
 *   - records: the volunteer sees their own; staff with people, lead or confirm rights over
 *     the recording community, and the team's leaders, see them; confirming needs
 *     RX_PERM_CONFIRM_RECORDS there (or leading the team) and is never for one's own record;
 *     corrections are decided by staff with RX_PERM_CONFIRM_RECORDS only.
 * Out-of-scope things answer 404. */
#ifndef RX_API_ACTIVITY_H
#define RX_API_ACTIVITY_H
#include "http/http.h"
#include "store/store.h"
#include <stdint.h>

/* activities.c */
void rx_api_activities_list(struct rx_req *r);
void rx_api_activity_create(struct rx_req *r);
void rx_api_activity_get(struct rx_req *r);
void rx_api_activity_update(struct rx_req *r);
void rx_api_activity_cancel(struct rx_req *r);
void rx_api_activity_finish(struct rx_req *r);
void rx_api_series_get(struct rx_req *r);
/* signups.c */
void rx_api_signup_create(struct rx_req *r);
void rx_api_signups_list(struct rx_req *r);
void rx_api_signup_get(struct rx_req *r);
void rx_api_signup_cancel(struct rx_req *r);
void rx_api_my_signups(struct rx_req *r);
/* checkin.c */
void rx_api_checkin_code(struct rx_req *r);
void rx_api_checkin(struct rx_req *r);
void rx_api_attendance_list(struct rx_req *r);
void rx_api_attendance_mark(struct rx_req *r);
/* records.c */
void rx_api_records_list(struct rx_req *r);
void rx_api_record_create(struct rx_req *r);
void rx_api_record_get(struct rx_req *r);
void rx_api_record_update(struct rx_req *r);
void rx_api_record_confirm(struct rx_req *r);
void rx_api_record_reject(struct rx_req *r);
void rx_api_records_confirm_activity(struct rx_req *r);
void rx_api_record_history(struct rx_req *r);
void rx_api_corrections_list(struct rx_req *r);
void rx_api_correction_create(struct rx_req *r);
void rx_api_correction_decide(struct rx_req *r);
/* person_file.c: the other Art. 19 records */
void rx_api_training_list(struct rx_req *r);
void rx_api_training_create(struct rx_req *r);
void rx_api_awards_list(struct rx_req *r);
void rx_api_awards_create(struct rx_req *r);
void rx_api_evaluations_list(struct rx_req *r);
void rx_api_evaluations_create(struct rx_req *r);
void rx_api_complaints_list(struct rx_req *r);
void rx_api_complaints_create(struct rx_req *r);
/* testclock.c */
void rx_api_test_clock(struct rx_req *r);
/* The guard of the test-only routes (the clock, the sweep): 404 unless the server runs with
 * REXIN_TEST_CLOCK=1, 403 unless the caller manages users at a root. 1 when allowed. */
int rx_test_route_allowed(struct rx_req *r);

/* ------------------------------------------------------------------ shared helpers */

/* Columns of a query result written as JSON fields, in SELECT order. */
enum rx_col_type {
    RX_COL_INT,  /* integer or null */
    RX_COL_TEXT, /* text or null */
    RX_COL_TIME, /* unix seconds written as RFC 3339 in +08:00, or null */
    RX_COL_BOOL, /* 0/1 written as false/true */
    RX_COL_JSON, /* stored JSON text, embedded as is (null when NULL) */
};
struct rx_col {
    const char *name;
    enum rx_col_type type;
};
/* Writes the cursor's current row as one object. */
void rx_act_write_row(struct rx_json *w, struct rx_cursor *c, const struct rx_col *cols, int n);
/* The same as key/value pairs into an object the caller has open. */
void rx_act_write_fields(struct rx_json *w, struct rx_cursor *c, const struct rx_col *cols, int n);
/* Runs q and writes every row as an object (the caller opened the array); *pg (may be NULL)
 * gets the count and column 0 of the last row. */
int rx_act_json_rows(struct rx_db *db, enum rx_query q, const struct rx_val *a, int na,
                     struct rx_json *w, const struct rx_col *cols, int n, struct rx_page *pg);
/* Answers a list that is never paged (next_cursor null) of every row of q (rx_list_reply). */
void rx_act_list_reply(struct rx_req *r, enum rx_query q, const struct rx_val *a, int na,
                       const struct rx_col *cols, int n);
/* Exactly one row as one object, or RX_NOTFOUND (nothing written). */
int rx_act_json_row(struct rx_db *db, enum rx_query q, const struct rx_val *a, int na,
                    struct rx_json *w, const struct rx_col *cols, int n);

/* Column lists of the shared SELECTs in queries_activity.def. */
extern const struct rx_col rx_activity_cols[];
extern const int rx_activity_ncols;
extern const struct rx_col rx_signup_cols[];
extern const int rx_signup_ncols;
extern const struct rx_col rx_record_cols[];
extern const int rx_record_ncols;

/* Unix seconds as RFC 3339 in Beijing time; out needs 26 bytes. */
void rx_act_time(int64_t t, char *out);
/* Reads an RFC 3339 field (with offset) into *t; records a field error when malformed.
 * Returns 1 when present and valid, 0 when absent or null, -1 on error. */
int rx_act_in_time(struct rx_req *r, json_t *obj, const char *field, const char *label,
                   int required, int64_t *t);
/* Reads a YYYY-MM-DD field; same returns. out needs 11 bytes. */
int rx_act_in_date(struct rx_req *r, json_t *obj, const char *field, const char *label,
                   int required, char *out);
/* A query parameter that is a date (YYYY-MM-DD, the whole Beijing day) or an RFC 3339 time;
 * end_of_day picks the end of a date. 0 absent, 1 ok, -1 field error recorded. */
int rx_act_query_time(struct rx_req *r, const char *name, int end_of_day, int64_t *t);

/* The facts of one activity the rules look at. Strings live in r->arena. */
struct rx_activity {
    int64_t id, org_unit_id, team_id, category_id, series_id; /* series_id 0 = none */
    const char *path;                                         /* org_units.path of its community */
    const char *title, *status, *kind, *service_date, *skills_required, *team_name;
    int64_t starts_at, ends_at;
    int64_t capacity, places_taken;
    int64_t signup_opens_at, signup_closes_at; /* 0 = not set */
    int64_t min_age;                           /* -1 = none */
    int64_t district_id;
};
/* Loads an activity; RX_NOTFOUND when it does not exist. Does not check visibility. */
int rx_act_load(struct rx_req *r, int64_t id, struct rx_activity *a);
/* Loads and checks the caller may see it; answers 404 and returns 0 otherwise. */
int rx_act_load_visible(struct rx_req *r, int64_t id, struct rx_activity *a);
/* 1 when category id may be used at the community at `path`: a national category, or a local
 * one of that community or above it (activities and records alike). */
int rx_act_category_usable(struct rx_req *r, int64_t id, const char *path);
/* 1 when the caller may lead the activity (see the top of this file). */
int rx_act_can_lead(struct rx_req *r, const struct rx_activity *a);
/* rx_act_load_visible, then 403 unless the caller may lead the activity. */
int rx_act_load_led(struct rx_req *r, int64_t id, struct rx_activity *a);
/* 1 when the caller is a current leader or deputy of the team (or its recorded leader). */
int rx_act_leads_team(struct rx_req *r, int64_t team_id);

/* Writes a notification for a person (and their account, if they have one). payload is JSON. */
int rx_act_notify(struct rx_req *r, int64_t person_id, const char *kind, const char *payload);

/* The per-activity check-in secret: HMAC of the activity id under the server's key. */
void rx_act_checkin_secret(struct rx_req *r, int64_t activity_id, unsigned char out[32]);

/* Promotes waitlisted sign-ups (head first) into free places, skipping people who would
 * overlap; notifies each. *promoted (may be NULL) gets the first promoted sign-up id. */
int rx_act_promote(struct rx_req *r, const struct rx_activity *a, int64_t *promoted);

/* Missed check-outs, part of the periodic sweep (api/help_sweep.c runs it in its write job
 * and in POST /api/v1/test/sweep): every attendance still open after its activity's check-out
 * window closed (end + 2 h) gets the record that finishing the activity would give it
 * (pending, no_checkout, minutes to the scheduled end) unless it has one, and is closed
 * (checkout_via 'closed', checkout_at left NULL). Runs as the system: audit entries have no
 * user. Idempotent. Counts into *closed and *flagged (got a record now). */
struct rx_app;
int rx_act_sweep_missed_checkouts(struct rx_app *app, struct rx_db *db, int64_t now, int *closed,
                                  int *flagged);

/* Person merges (api/people.c), in the merge's write step: rx_act_merge_places finds, before
 * the merge, the activities where the loser's confirmed place will be given up because the
 * survivor holds one too (*ids in the arena, *n of them); after the merge,
 * rx_act_promote_each promotes their waitlists as a cancellation would. */
int rx_act_merge_places(struct rx_req *r, int64_t survivor, int64_t loser, int64_t **ids, int *n);
int rx_act_promote_each(struct rx_req *r, const int64_t *ids, int n);

/* Minutes one person may be credited on one day: the configured daily cap when it is a sane
 * value (1..1440), else the hours rule's default (domain/hours.h). */
long rx_act_daily_cap(const struct rx_req *r);

/* The service record for one attendance, by the hours rule (domain/hours.h): created when
 * there is none, recomputed while pending; a confirmed one is left alone (*locked = 1).
 * checkout 0 = never checked out. *record_id gets the record (0 when none was due). */
int rx_act_attendance_record(struct rx_req *r, const struct rx_activity *a, int64_t person_id,
                             int64_t checkin, int64_t checkout, int64_t *record_id, int *locked);

#endif
