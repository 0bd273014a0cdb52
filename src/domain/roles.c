/* roles.c: the permission matrix. Rows are roles, columns rx_perm. */
#include "domain/roles.h"
#include <string.h>

#define B(p) (1u << (p))
static const struct {
    const char *role;
    unsigned perms;
} matrix[] = {
    {"resident", 0},
    {"volunteer", B(RX_PERM_READ_ORG)},
    {"team_leader", B(RX_PERM_READ_ORG) | B(RX_PERM_LEAD_ACTIVITIES) | B(RX_PERM_CONFIRM_RECORDS)},
    {"social_worker", B(RX_PERM_READ_ORG) | B(RX_PERM_READ_PEOPLE) | B(RX_PERM_MANAGE_PEOPLE) |
                          B(RX_PERM_SENSITIVE) | B(RX_PERM_DISPATCH) | B(RX_PERM_LEAD_ACTIVITIES) |
                          B(RX_PERM_REPORTS)},
    {"community_admin", B(RX_PERM_READ_ORG) | B(RX_PERM_MANAGE_ORG) | B(RX_PERM_READ_PEOPLE) |
                            B(RX_PERM_MANAGE_PEOPLE) | B(RX_PERM_SENSITIVE) | B(RX_PERM_MANAGE_TEAMS) |
                            B(RX_PERM_LEAD_ACTIVITIES) | B(RX_PERM_DISPATCH) |
                            B(RX_PERM_CONFIRM_RECORDS) | B(RX_PERM_REPORTS) | B(RX_PERM_MANAGE_USERS) |
                            B(RX_PERM_AUDIT)},
    /* Street, district and city staff manage the units below them and read reports; they
     * do not see vulnerable-resident flags or ID numbers (community staff only). */
    {"street_admin", B(RX_PERM_READ_ORG) | B(RX_PERM_MANAGE_ORG) | B(RX_PERM_READ_PEOPLE) |
                         B(RX_PERM_MANAGE_PEOPLE) | B(RX_PERM_MANAGE_TEAMS) | B(RX_PERM_DISPATCH) |
                         B(RX_PERM_CONFIRM_RECORDS) | B(RX_PERM_REPORTS) | B(RX_PERM_MANAGE_USERS) |
                         B(RX_PERM_AUDIT)},
    {"district_admin", B(RX_PERM_READ_ORG) | B(RX_PERM_MANAGE_ORG) | B(RX_PERM_READ_PEOPLE) |
                           B(RX_PERM_MANAGE_PEOPLE) | B(RX_PERM_MANAGE_TEAMS) | B(RX_PERM_REPORTS) |
                           B(RX_PERM_MANAGE_USERS) | B(RX_PERM_AUDIT)},
    {"city_admin", B(RX_PERM_READ_ORG) | B(RX_PERM_MANAGE_ORG) | B(RX_PERM_READ_PEOPLE) |
                       B(RX_PERM_MANAGE_PEOPLE) | B(RX_PERM_MANAGE_TEAMS) | B(RX_PERM_REPORTS) |
                       B(RX_PERM_MANAGE_USERS) | B(RX_PERM_AUDIT)},
    {"auditor", B(RX_PERM_READ_ORG) | B(RX_PERM_READ_PEOPLE) | B(RX_PERM_REPORTS) | B(RX_PERM_AUDIT)},
};

int rx_role_allows(const char *role, enum rx_perm perm)
{
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++)
        if (strcmp(matrix[i].role, role) == 0) return (matrix[i].perms >> perm) & 1u;
    return 0;
}

int rx_role_valid(const char *role)
{
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++)
        if (strcmp(matrix[i].role, role) == 0) return 1;
    return 0;
}
