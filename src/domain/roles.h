/* roles.h: what each role may do (DESIGN.md §1). Pure table, no I/O. A role is granted over
 * a node of the organisation tree and covers its subtree; which node is the caller's
 * business (api/authz.c), what the role allows is decided here. */
#ifndef RX_ROLES_H
#define RX_ROLES_H

enum rx_perm {
    RX_PERM_READ_ORG,        /* see the tree, teams, activities in scope */
    RX_PERM_MANAGE_ORG,      /* create, rename, move org units and branches */
    RX_PERM_READ_PEOPLE,     /* see people (masked) in scope */
    RX_PERM_MANAGE_PEOPLE,   /* add, edit, import, merge people */
    RX_PERM_SENSITIVE,       /* vulnerable flags, reveal ID numbers (own community staff) */
    RX_PERM_MANAGE_TEAMS,    /* teams and memberships */
    RX_PERM_LEAD_ACTIVITIES, /* create activities, take attendance, confirm records */
    RX_PERM_DISPATCH,        /* dispatch help requests */
    RX_PERM_CONFIRM_RECORDS, /* confirm, reject, decide corrections */
    RX_PERM_REPORTS,         /* read reports */
    RX_PERM_MANAGE_USERS,    /* accounts and role grants */
    RX_PERM_AUDIT,           /* read the audit log */
    RX_PERM__COUNT
};

/* 1 when `role` allows `perm`; 0 for unknown roles. */
int rx_role_allows(const char *role, enum rx_perm perm);
/* 1 when role is one of the nine known names. */
int rx_role_valid(const char *role);

#endif
