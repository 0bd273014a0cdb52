/* demo.h: the demo city created on first start, from the seed article (Xinhua, on Zhengzhou's
 * community volunteering). Pure data; src/store/seed.c writes it. */
#ifndef RX_DEMO_H
#define RX_DEMO_H

struct rx_demo_org {
    const char *kind;   /* city, district, street, community, venue */
    const char *name;
    const char *code;   /* 12-digit statistical code, NULL when not known */
    int parent;         /* index of the parent in the table, -1 for the root */
};

extern const struct rx_demo_org rx_demo_orgs[];
extern const int rx_demo_orgs_count;

/* People the article names, with their home node; names only (no ID numbers). */
struct rx_demo_person {
    const char *name;
    int org;            /* index in rx_demo_orgs */
};

/* Party organisations. */
struct rx_demo_branch {
    int org;            /* index in rx_demo_orgs */
    const char *kind;   /* branch 党支部, general_branch 党总支, committee 党委/党工委 */
    const char *name;
    int secretary;      /* index in rx_demo_people, -1 when the article names none */
};

/* Teams. */
struct rx_demo_team {
    int org;            /* the community, index in rx_demo_orgs */
    int branch;         /* leading branch, index in rx_demo_branches */
    const char *name;
    int leader;         /* index in rx_demo_people, -1 when not named */
    const char *category; /* service category code (migration 0002) */
    const char *description;
};

extern const struct rx_demo_person rx_demo_people[];
extern const int rx_demo_people_count;
extern const struct rx_demo_branch rx_demo_branches[];
extern const int rx_demo_branches_count;
extern const struct rx_demo_team rx_demo_teams[];
extern const int rx_demo_teams_count;

#endif
