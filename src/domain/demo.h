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

#endif
