/* demo_gen.h: `rexin demo --scale community|district|city`: realistic, reproducible data in
 * bulk for benchmarks and demonstrations.
 *
 * What one seed gives (the same seed gives the same people, names, ID numbers, teams and
 * memberships on every run; only ciphertexts, password salts and tokens differ):
 *   community  1 community (in 1 street of 1 district), 3,000 residents, 300 volunteers, 10 teams;
 *   district   1 district of 10 streets x 10 communities: 300,000 residents, 30,000 volunteers;
 *   city       10 districts of 100 communities: 3,000,000 residents, 300,000 volunteers;
 * and every team two published activities a week for the next 4 weeks (80 per community).
 * The districts are Zhengzhou's own (real 12-digit codes) under the database's city node, so
 * they sit beside the first-start demo tree. Per community: a Party branch, residents with
 * valid 18-digit ID numbers (GB 11643 check character from domain/idcard), phones, political
 * status (about 8% Party members, who get a membership in the branch), skills and vulnerable
 * flags; 10% of them volunteers (adults) with ZZ-numbers; 10 teams led by volunteers, each
 * volunteer in one or two teams; a community_admin account; street and district admins.
 *
 * Writes: one write job (one transaction, prepared statements through the store API) per
 * district head, street and community.
 *
 * History (--history-weeks, 156 by default): every team held one activity a week before
 * today, with sign-ups, QR attendance and confirmed service records (about 30,000 a community,
 * 3 million a district, 30 million a city), summed into the rollups by the same triggers as
 * the API's records. And today, a volunteer service day per community (09:00-17:00) with the
 * token holders signed up, for the check-in benchmark. */
#ifndef RX_DEMO_GEN_H
#define RX_DEMO_GEN_H
#include "lib/timefmt.h"
#include <stdint.h>
#include <stdio.h>

struct rx_store;
struct rx_keys;

enum rx_demo_scale { RX_DEMO_COMMUNITY = 0, RX_DEMO_DISTRICT = 1, RX_DEMO_CITY = 2 };

struct rx_demo_opts {
    enum rx_demo_scale scale;
    uint64_t seed;              /* same seed, same data */
    struct rx_date today;       /* dates (birth, registration, joining) are before this day */
    int64_t now;                /* created_at of every row */
    const struct rx_keys *keys; /* seals ID numbers and hashes them for look-up */
    const char *user_hash;      /* argon2id hash given to every generated account */
    int tokens;                 /* volunteer accounts to create with an API token each */
    FILE *tokens_out;           /* gets "TOKEN PERSON_ID COMMUNITY_ID" per token; NULL: none */
    FILE *progress;             /* one line per district; NULL: quiet */
    int history_weeks;          /* weeks of held activities and records before today */
};

struct rx_demo_counts {
    int64_t org_units, branches, people, party_members, volunteers, teams, team_members, users,
        tokens, activities, signups, records;
};

/* "community", "district", "city" into *out; -1 when unknown. */
int rx_demo_scale_parse(const char *s, enum rx_demo_scale *out);

/* Generates the data of one scale into an open store (which must have its city node, i.e.
 * the first-start seed). Refuses (RX_CONSTRAINT, message in err) when the districts it would
 * create already exist. Counts what it wrote into *n. */
int rx_demo_generate(struct rx_store *s, const struct rx_demo_opts *o, struct rx_demo_counts *n,
                     char *err, size_t errlen);

#endif
