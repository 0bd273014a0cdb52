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

/* The people, branches and teams of the article. Only what it says: leaders and
 * secretaries it names, the category each team's work falls in, its words as description. */
const struct rx_demo_person rx_demo_people[] = {
    /* 0 */ {"周淑枝", 7},
    /* 1 */ {"卢义勇", 7},
    /* 2 */ {"王宽", 8},
    /* 3 */ {"胡东乔", 9},
    /* 4 */ {"陈思", 10},
    /* 5 */ {"李培会", 10},
    /* 6 */ {"孙瑜希", 11},
    /* 7 */ {"张俊忠", 6},
};
const int rx_demo_people_count = (int)(sizeof rx_demo_people / sizeof rx_demo_people[0]);

const struct rx_demo_branch rx_demo_branches[] = {
    /* 0 */ {7, "branch", "荣华社区党支部", -1},
    /* 1 */ {8, "branch", "英协社区党支部", -1},
    /* 2 */ {9, "branch", "平等街社区党支部", -1},
    /* 3 */ {10, "branch", "代书胡同社区党支部", 4},
    /* 4 */ {11, "branch", "西堡社区党支部", -1},
    /* 5 */ {6, "committee", "商都路街道党工委", 7},
};
const int rx_demo_branches_count = (int)(sizeof rx_demo_branches / sizeof rx_demo_branches[0]);

const struct rx_demo_team rx_demo_teams[] = {
    {7, 0, "党员老妈妈服务队", 0, "community",
     "上世纪90年代末由党员周淑枝建立，从整治楼院环境和治安开始；照顾老人、义务理发、治安巡逻、调解纠纷、"
     "交通协管。从最初的十几个老党员发展到200多人，累计服务群众9万多人次。"},
    {8, 1, "党员志愿服务队", 2, "special_groups", "优秀党员王宽16年卖唱救孤，带动了社区的党员志愿服务队伍建设。"},
    {9, 2, "党员家门口志愿服务队", 3, "haircut", "老党员胡东乔30年如一日义务为社区群众理发。"},
    {10, 3, "书梦艺术团", -1, "performance", "30多人，每周一、周四下午排练，每逢重大节日为社区居民义务表演节目。"},
    {10, 3, "老年书画协会", -1, "calligraphy", "社区党支部牵头创设的老年书画组织。"},
    {10, 3, "校外课堂（四点钟课堂）", -1, "afterschool", "放学后的四点钟课堂志愿服务。"},
    {10, 3, "巾帼志愿者", -1, "resident_help", "社区妇女志愿者队伍，帮扶群众。"},
    {10, 3, "家电维修队", -1, "appliance_repair", "为社区居民义务维修家电。"},
    {11, 4, "党员志愿服务队", -1, "community",
     "党员志愿者45人，每年参与志愿服务平均90次，个人服务时长超过35小时，服务群众1800余人。"},
};
const int rx_demo_teams_count = (int)(sizeof rx_demo_teams / sizeof rx_demo_teams[0]);
