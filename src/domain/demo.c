/* demo.c: the organisations named in the seed article. Where the article names a
 * community but not its street (荣华社区, 代书胡同社区, 西堡社区), the community hangs directly
 * under its district rather than under an invented street. */
#include "domain/demo.h"
#include <stddef.h>

const struct rx_demo_org rx_demo_orgs[] = {
    /* 0 */ {"city", "郑州市", "410100000000", -1},
    /* 1 */ {"district", "金水区", "410105000000", 0},
    /* 2 */ {"district", "管城回族区", "410104000000", 0},
    /* 3 */ {"district", "郑东新区", NULL, 0},
    /* 4 */ {"street", "凤凰台街道", NULL, 1},
    /* 5 */ {"street", "西大街街道", NULL, 2},
    /* 6 */ {"street", "商都路街道", NULL, 3},
    /* 7 */ {"community", "荣华社区", NULL, 1},
    /* 8 */ {"community", "英协社区", NULL, 4},
    /* 9 */ {"community", "平等街社区", NULL, 5},
    /* 10 */ {"community", "代书胡同社区", NULL, 2},
    /* 11 */ {"community", "西堡社区", NULL, 2},
    /* 12 */ {"venue", "体育公园党群服务中心", NULL, 6},
};
const int rx_demo_orgs_count = (int)(sizeof rx_demo_orgs / sizeof rx_demo_orgs[0]);
