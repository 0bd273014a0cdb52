/* demo_gen.c: see demo_gen.h.
 *
 * Randomness: one xoshiro256** stream per community, seeded from (seed, district, street,
 * community) through splitmix64, so a community's data depends on nothing generated before it.
 * The only state shared across a district is the per-birth-day sequence counter that keeps
 * ID numbers unique (region + birth date + sequence), filled in a fixed order.
 *
 * Speed: every row is one prepared INSERT (statements are cached per connection); a community
 * (3,000 people, their teams and about 30,000 records of history with their rows) is one
 * transaction. */
#include "store/demo_gen.h"
#include "domain/hours.h"
#include "domain/idcard.h"
#include "domain/name.h"
#include "lib/alloc.h"
#include "lib/crypto.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The version of what this file generates: bump it whenever the same seed would give
 * different data (bench/run.mjs keys its cache of generated data by it). */
#define DEMO_GEN_VERSION 3

/* ------------------------------------------------------------------ scales */

struct scale {
    const char *name;
    int districts, streets, communities; /* streets per district, communities per street */
    int residents, volunteers, teams;    /* per community */
};

static const struct scale scales[] = {
    {"community", 1, 1, 1, 3000, 300, 10},
    {"district", 1, 10, 10, 3000, 300, 10},
    {"city", 10, 10, 10, 3000, 300, 10},
};

int rx_demo_scale_parse(const char *s, enum rx_demo_scale *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, scales[i].name) == 0) {
            *out = (enum rx_demo_scale)i;
            return 0;
        }
    return -1;
}

/* ------------------------------------------------------------------ data lists */

/* Zhengzhou's districts and counties not used by the first-start demo tree. */
static const struct {
    const char *name, *code;
} districts[10] = {
    {"中原区", "410102000000"}, {"二七区", "410103000000"}, {"上街区", "410106000000"},
    {"惠济区", "410108000000"}, {"中牟县", "410122000000"}, {"巩义市", "410181000000"},
    {"荥阳市", "410182000000"}, {"新密市", "410183000000"}, {"新郑市", "410184000000"},
    {"登封市", "410185000000"},
};

static const char *const street_words[] = {
    "建设路", "解放路", "人民路", "文化路", "花园路", "桐柏路", "林山寨", "绿东村", "汝河路", "须水",
    "秦岭路", "三官庙", "航海路", "嵩山路", "淮河路", "福华街", "蜜蜂张", "京广路", "大学路", "长江路",
};
#define N_STREET_WORDS (int)(sizeof street_words / sizeof street_words[0])

static const char *const community_words[] = {
    "和平", "幸福", "光明", "友爱", "振兴", "锦绣", "长青", "新华", "红旗", "金桥",
    "福康", "安居", "祥和", "百花", "翠竹", "春晖", "桂园", "松涛", "明珠", "丽景",
};
static const char *const community_forms[] = {"里", "苑", "园", "路", "街"};

/* Common surnames, most frequent first (picked with a skew towards the front). */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "孔",
};
#define N_SURNAMES (int)(sizeof surnames / sizeof surnames[0])

static const char *const given_m[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "建", "国",
    "志", "文", "东", "海", "峰", "亮", "成", "栋", "振", "永", "德", "庆", "保", "全", "金", "春",
};
static const char *const given_f[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "桂", "英", "华", "慧", "燕", "红",
    "梅", "琳", "雪", "婷", "颖", "倩", "洁", "琴", "云", "莉", "兰", "萍", "玉", "晶", "欣", "怡",
    "佳", "悦", "凤", "珍", "淑", "荣", "爱", "月", "彩", "丹", "雅", "璐", "思", "梦", "晓", "春",
};
#define N_GIVEN 48

static const char *const skills[] = {
    "家电维修", "水电维修", "理发", "医疗护理", "法律咨询", "辅导功课", "书法", "唱歌",
    "舞蹈",     "烹饪",     "驾驶", "电脑",     "摄影",     "按摩",     "缝补", "急救",
};
static const char *const interests[] = {
    "广场舞", "太极拳", "戏曲", "合唱", "读书", "园艺", "象棋", "摄影", "手工", "健步走",
};

/* The ten teams of a community: name suffix, main category code, size weight. */
static const struct {
    const char *name, *category, *description, *activity;
    int weight;
} team_kinds[10] = {
    {"志愿服务队", "community", "社区综合志愿服务：清扫家园、帮扶群众", "帮扶群众", 30},
    {"艺术团", "performance", "文艺汇演、广场演出，丰富群众文化生活", "广场文艺汇演", 12},
    {"家电维修队", "appliance_repair", "免费维修家用电器", "家电义务维修", 6},
    {"四点钟课堂", "afterschool", "放学后为孩子辅导功课", "四点钟课堂", 8},
    {"治安巡逻队", "patrol", "每日治安巡逻，守护平安", "治安巡逻", 14},
    {"义务理发队", "haircut", "为老人、残障人士义务理发", "义务理发", 4},
    {"关爱老人服务队", "elder_care", "照料孤寡、独居老人", "上门照料老人", 10},
    {"环保清洁队", "cleaning", "清扫家园，垃圾分类宣传", "清扫家园", 8},
    {"调解队", "mediation", "调解邻里纠纷", "邻里纠纷调解", 4},
    {"书画协会", "calligraphy", "书法绘画交流与教学", "书画交流", 4},
};

/* Upcoming activities: each team holds two a week for the next WEEKS_AHEAD weeks, in 21
 * weekly slots (7 days x 3 times) that never overlap within a community, so one volunteer can
 * sign up for all of them. Times are Beijing's. */
#define WEEKS_AHEAD 4
static const struct {
    int start_min, end_min;
} day_slots[3] = {{9 * 60, 11 * 60}, {14 * 60 + 30, 16 * 60 + 30}, {19 * 60, 20 * 60 + 30}};

/* ------------------------------------------------------------------ random numbers */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = seed ^ (a * 0x100000001b3ULL) ^ (b << 20) ^ (c << 40);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n). */
static int rng_below(struct rng *r, int n)
{
    return (int)((rng_next(r) >> 33) % (uint64_t)n);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Skewed towards 0: index i has weight falling like a square root. */
static int rng_skewed(struct rng *r, int n)
{
    double u = rng_unit(r);
    return (int)(u * u * n);
}

/* ------------------------------------------------------------------ generation state */

#define BIRTH_BASE_YEAR 1925
#define MAX_DAYS (110 * 366)

struct person {
    int64_t id;
    int age;
    char sex;
    char birth[RX_TIMEFMT_DATE_SIZE];
    int party; /* 0 none, 1 full, 2 probationary */
    int64_t party_since; /* day number the membership began */
};

/* A team membership, for the history: who, and from which day. */
struct member {
    int person;     /* index into the community's people */
    int64_t joined; /* day number */
};

struct gen {
    struct rx_db *db;
    const struct rx_demo_opts *o;
    const struct scale *sc;
    struct rx_demo_counts *n;
    int district;                     /* index into districts[] */
    int64_t city_id, district_id;
    int64_t today_days;               /* day number of o->today */
    int64_t base_days;                /* day number of BIRTH_BASE_YEAR-01-01 */
    unsigned short *seq;              /* per birth day: ID sequence numbers used (k per sex) */
    int64_t category[10];             /* team_kinds[i].category ids */
    int tokens_left;                  /* still to issue */
    int tokens_per_community;
    int64_t volunteer_seq;            /* last ZZ number in this district */
    int street, comm;                 /* the street (of the district) and community being made */
    int64_t street_id;
    char street_code[24];
    char err[256];
};

static int fail(struct gen *g, int rc, const char *what)
{
    if (!g->err[0])
        snprintf(g->err, sizeof g->err, "%s: %s", what, rc == RX_CONSTRAINT ? rx_db_errmsg(g->db) : "store error");
    return rc;
}

static int org_insert(struct gen *g, int64_t parent, const char *kind, const char *name, const char *code,
                      int64_t *id)
{
    int rc = rx_db_exec(g->db, Q_ORG_INSERT,
                        RX_ARGS(RX_I(parent), RX_T(kind), RX_T(name), RX_T(code), RX_I(g->o->now)), NULL, id);
    if (!rc) rc = rx_db_exec(g->db, Q_ORG_SET_PATH, RX_ARGS(RX_I(*id)), NULL, NULL);
    if (rc) return fail(g, rc, "org unit");
    g->n->org_units++;
    return RX_OK;
}

static void date_of(int64_t days, char out[RX_TIMEFMT_DATE_SIZE])
{
    struct rx_date d;
    rx_timefmt_date_from_days(days, &d);
    rx_timefmt_date_format(&d, out, RX_TIMEFMT_DATE_SIZE);
}

/* An account with a grant; user id into *uid (may be NULL). */
static int account(struct gen *g, const char *username, const char *display, int64_t person_id, const char *role,
                   int64_t org_id, int64_t *uid)
{
    int64_t id = 0;
    int rc = rx_db_exec(g->db, Q_USER_INSERT,
                        RX_ARGS(RX_T(username), RX_NUL, RX_T(display), person_id ? RX_I(person_id) : RX_NUL,
                                RX_T(g->o->user_hash), RX_I(g->o->now)),
                        NULL, &id);
    if (!rc)
        rc = rx_db_exec(g->db, Q_GRANT_INSERT, RX_ARGS(RX_I(id), RX_T(role), RX_I(org_id), RX_I(g->o->now)), NULL,
                        NULL);
    if (rc) return fail(g, rc, "account");
    g->n->users++;
    if (uid) *uid = id;
    return RX_OK;
}

/* ------------------------------------------------------------------ one person */

static void make_name(struct rng *r, char sex, char *out, size_t n)
{
    const char *const *given = sex == 'M' ? given_m : given_f;
    const char *s = surnames[rng_skewed(r, N_SURNAMES)];
    if (rng_below(r, 10) < 7)
        snprintf(out, n, "%s%s%s", s, given[rng_below(r, N_GIVEN)], given[rng_below(r, N_GIVEN)]);
    else
        snprintf(out, n, "%s%s", s, given[rng_below(r, N_GIVEN)]);
}

/* Age in years, shaped like a Chinese city: 18% under 15, 63% 15-59, 19% 60 and over. */
static int make_age(struct rng *r)
{
    int u = rng_below(r, 100);
    if (u < 18) return rng_below(r, 15);
    if (u < 81) return 15 + rng_below(r, 45);
    int a = 60 + rng_skewed(r, 36);
    return a > 99 ? 99 : a;
}

/* JSON array of k distinct tags from list[0..n). */
static void tags(struct rng *r, const char *const *list, int n, int k, char *out, size_t outsz)
{
    int used[16] = {0}, len = snprintf(out, outsz, "[");
    for (int i = 0; i < k && i < n && i < 16; i++) {
        int t = rng_below(r, n);
        while (used[t % 16]) t = (t + 1) % n;
        used[t % 16] = 1;
        len += snprintf(out + len, outsz - (size_t)len, "%s\"%s\"", i ? "," : "", list[t]);
    }
    snprintf(out + len, outsz - (size_t)len, "]");
}

static int make_person(struct gen *g, struct rng *r, int64_t community_id, struct person *p)
{
    char name[64], norm[RX_NAME_SIZE], idno[RX_IDCARD_LEN + 1], masked[RX_IDCARD_BUF_SIZE];
    char lookup[64], hash[65], phone[16], sk[256], in[256], avail[128], vuln[96];
    p->sex = rng_below(r, 2) ? 'M' : 'F';
    p->age = make_age(r);
    make_name(r, p->sex, name, sizeof name);
    size_t nl = 0;
    if (rx_name_normalize(name, strlen(name), norm, sizeof norm, &nl)) return fail(g, RX_ERROR, "name");

    /* Birth day: `age` years before today, then a free (region, day, sequence) for the ID. */
    int64_t day = g->today_days - (int64_t)p->age * 365 - p->age / 4 - rng_below(r, 365);
    if (day < g->base_days) day = g->base_days;
    unsigned k;
    for (;;) {
        int64_t idx = day - g->base_days;
        unsigned short *c = &g->seq[idx * 2 + (p->sex == 'M')];
        if (*c < 499) {
            k = (*c)++;
            break;
        }
        day++; /* 499 people of one sex born on one day in one district: the next day */
    }
    date_of(day, p->birth);
    char digits[18];
    snprintf(digits, sizeof digits, "%.6s%.4s%.2s%.2s%03u", districts[g->district].code, p->birth, p->birth + 5,
             p->birth + 8, 2 * k + (p->sex == 'M' ? 1u : 2u));
    memcpy(idno, digits, 17);
    idno[17] = rx_idcard_check_char(digits);
    idno[18] = 0;
    struct rx_idcard check;
    if (!idno[17] || rx_idcard_parse(idno, 18, &g->o->today, &check) != RX_IDCARD_OK || check.sex != p->sex ||
        rx_idcard_mask(idno, 18, masked, sizeof masked))
        return fail(g, RX_ERROR, "id number"); /* cannot happen: the generator would be wrong */
    snprintf(lookup, sizeof lookup, "resident_id:%s", idno);
    rx_lookup_hash(g->o->keys, lookup, strlen(lookup), hash);
    char *sealed = NULL;
    if (rx_seal(g->o->keys, idno, 18, &sealed)) return fail(g, RX_NOMEM, "seal");

    int has_phone = p->age >= 12 && rng_below(r, 100) < 88;
    if (has_phone)
        snprintf(phone, sizeof phone, "1%d%09d", 3 + rng_below(r, 7), rng_below(r, 1000000000));
    int u = rng_below(r, 1000);
    const char *pol = "13"; /* 群众 */
    p->party = 0;
    if (p->age >= 18 && u < 80) pol = "01", p->party = 1;        /* 中共党员 */
    else if (p->age >= 18 && u < 90) pol = "02", p->party = 2;   /* 中共预备党员 */
    else if (p->age >= 14 && p->age <= 28 && u < 400) pol = "03"; /* 共青团员 */
    tags(r, skills, 16, p->age >= 16 && rng_below(r, 3) == 0 ? 1 + rng_below(r, 2) : 0, sk, sizeof sk);
    tags(r, interests, 10, rng_below(r, 3), in, sizeof in);
    snprintf(avail, sizeof avail, "[]");
    int vl = snprintf(vuln, sizeof vuln, "[");
    if (p->age >= 80) vl += snprintf(vuln + vl, sizeof vuln - (size_t)vl, "\"very_old\"");
    if (p->age >= 65 && rng_below(r, 100) < 6)
        vl += snprintf(vuln + vl, sizeof vuln - (size_t)vl, "%s\"lives_alone\"", vl > 1 ? "," : "");
    if (p->age >= 70 && rng_below(r, 100) < 2)
        vl += snprintf(vuln + vl, sizeof vuln - (size_t)vl, "%s\"lonely_elderly\"", vl > 1 ? "," : "");
    if (rng_below(r, 100) < 1)
        vl += snprintf(vuln + vl, sizeof vuln - (size_t)vl, "%s\"disabled\"", vl > 1 ? "," : "");
    snprintf(vuln + vl, sizeof vuln - (size_t)vl, "]");

    char sex[2] = {p->sex, 0};
    int rc = rx_db_exec(g->db, Q_DEMO_PERSON_INSERT,
                        RX_ARGS(RX_I(community_id), RX_T(name), RX_T(norm), RX_T(sealed), RX_T(hash),
                                RX_T(masked), RX_T(sex), RX_T(p->birth), has_phone ? RX_T(phone) : RX_NUL,
                                RX_T(pol), RX_T(sk), RX_T(in), RX_T(avail), RX_T(vuln), RX_I(g->district_id),
                                RX_I(g->o->now)),
                        NULL, &p->id);
    rx_free(sealed);
    if (rc) return fail(g, rc, "person");
    g->n->people++;
    return RX_OK;
}

/* ------------------------------------------------------------------ history */

/* Beijing midnight of a day number, in unix seconds. */
static int64_t midnight_of(int64_t day)
{
    return day * 86400 - RX_TIMEFMT_BEIJING * 60;
}

/* Each team held two activities a week (in its two weekly slots, like the coming weeks) for
 * the o->history_weeks weeks before today, now finished; each member who had joined by then came
 * with probability 7/10 (up to the capacity): a sign-up (attended), an attendance scanned in
 * and out by QR, and a confirmed service record whose minutes follow the hours rule
 * (domain/hours.h) and whose Party flag says whether the volunteer was a member that day.
 * Rows go in through the same statements' triggers as the API's: places_taken, the record's
 * first version and every rollup (0005, 0007) are kept by the database; a held performance
 * counts its session and audience when it is finished (activities_session_held). About
 * 30,000 records per community over 3 years: 3 million a district, 30 million a city. */
static int history(struct gen *g, struct rng *r, int64_t cid, const struct person *people,
                   const struct member *members, const int *nmembers, const int64_t *team_ids, int nt)
{
    const int nv = g->sc->volunteers;
    struct rx_hours_rules rules;
    rx_hours_rules_default(&rules);
    int64_t *sid = rx_calloc((size_t)nv, sizeof *sid);
    int *who = rx_calloc((size_t)nv, sizeof *who);
    if (!sid || !who) {
        rx_free(sid);
        rx_free(who);
        return fail(g, RX_NOMEM, "memory");
    }
    int rc = RX_OK;
    char venue[128];
    snprintf(venue, sizeof venue, "社区党群服务中心");
    for (int w = g->o->history_weeks; w >= 1 && !rc; w--) {
        for (int k = 0; k < 2 * nt && !rc; k++) {
            int t = k / 2, slot = k, dow = slot % 7, ts = slot / 7;
            int64_t day = g->today_days - (int64_t)w * 7 + dow;
            int64_t start = midnight_of(day) + day_slots[ts].start_min * 60;
            int64_t end = midnight_of(day) + day_slots[ts].end_min * 60;
            char sdate[RX_TIMEFMT_DATE_SIZE];
            date_of(day, sdate);
            int n = 0;
            for (int i = 0; i < nmembers[t]; i++) {
                const struct member *m = &members[t * nv + i];
                if (m->joined < day && rng_below(r, 10) < 7) who[n++] = m->person;
            }
            int capacity = 10 + rng_below(r, 41);
            if (capacity < n) capacity = n;
            if (capacity < 1) capacity = 1;
            int perf = t == 1;
            int64_t aid = 0;
            rc = rx_db_exec(g->db, Q_ACT_INSERT,
                            RX_ARGS(RX_I(cid), RX_I(team_ids[t]), RX_I(g->category[t]), RX_NUL,
                                    RX_T(team_kinds[t].activity), RX_T(team_kinds[t].description), RX_T(venue),
                                    RX_I(start), RX_I(end), RX_T(sdate), RX_I(capacity), RX_NUL, RX_NUL, RX_T("[]"),
                                    RX_NUL, RX_T(perf ? "performance" : "service"), RX_T("published"), RX_NUL,
                                    RX_I(start - 14 * 86400)),
                            NULL, &aid);
            if (rc) {
                fail(g, rc, "history activity");
                break;
            }
            g->n->activities++;
            for (int i = 0; i < n && !rc; i++) {
                rc = rx_db_exec(g->db, Q_DEMO_SIGNUP_INSERT,
                                RX_ARGS(RX_I(aid), RX_I(people[who[i]].id), RX_T("attended"), RX_I(g->district_id),
                                        RX_I(start - (1 + rng_below(r, 10)) * 86400), RX_I(start), RX_I(start),
                                        RX_I(end)),
                                NULL, &sid[i]);
                if (rc) fail(g, rc, "history sign-up");
                g->n->signups++;
            }
            for (int i = 0; i < n && !rc; i++) {
                const struct person *p = &people[who[i]];
                struct rx_hours_attendance at = {
                    .start = start,
                    .end = end,
                    .checkin = start - 60 * rng_below(r, 20),
                    .checkout = end - 60 * 20 + 60 * rng_below(r, 40),
                };
                struct rx_hours_result res;
                if (rx_hours_compute(&at, &rules, &res) != RX_HOURS_OK) {
                    rc = fail(g, RX_ERROR, "history hours");
                    break;
                }
                rc = rx_db_exec(g->db, Q_DEMO_ATT_INSERT,
                                RX_ARGS(RX_I(aid), RX_I(p->id), RX_I(sid[i]), RX_I(at.checkin), RX_I(at.checkout),
                                        RX_I(g->district_id)),
                                NULL, NULL);
                if (!rc)
                    rc = rx_db_exec(g->db, Q_DEMO_REC_INSERT,
                                    RX_ARGS(RX_I(p->id), RX_I(aid), RX_I(team_ids[t]), RX_I(g->category[t]), RX_I(cid),
                                            RX_T(sdate), RX_I(res.minutes), RX_I(perf ? 0 : rng_below(r, 4)),
                                            RX_T(team_kinds[t].activity), RX_I(p->party && p->party_since <= day),
                                            RX_I(end + 3600), RX_I(g->district_id), RX_I(at.checkout)),
                                    NULL, NULL);
                if (rc) fail(g, rc, "history attendance");
                g->n->records++;
            }
            /* held: finishing it counts a performance's session and audience */
            if (!rc)
                rc = rx_db_exec(g->db, Q_ACT_FINISH, RX_ARGS(RX_I(aid), perf ? RX_I(50 + rng_below(r, 251)) : RX_NUL,
                                                             RX_I(end + 3600)),
                                NULL, NULL);
            if (rc) fail(g, rc, "history finish");
        }
    }
    rx_free(sid);
    rx_free(who);
    return rc;
}

/* Today, from 09:00 to 17:00, a volunteer service day in every community with the token
 * holders signed up (confirmed): what the check-in benchmark scans into. */
static int event_today(struct gen *g, struct rng *r, int64_t cid, int64_t team_id, const struct person *people,
                       const int *cand, int ntok, const char *venue)
{
    if (ntok <= 0 || !team_id) return RX_OK;
    char sdate[RX_TIMEFMT_DATE_SIZE];
    date_of(g->today_days, sdate);
    int64_t start = midnight_of(g->today_days) + 9 * 3600, aid = 0;
    int rc = rx_db_exec(g->db, Q_ACT_INSERT,
                        RX_ARGS(RX_I(cid), RX_I(team_id), RX_I(g->category[0]), RX_NUL, RX_T("社区志愿服务日"),
                                RX_T("全体志愿者集中服务"), RX_T(venue), RX_I(start), RX_I(start + 8 * 3600), RX_T(sdate),
                                RX_I(ntok + 10 + rng_below(r, 10)), RX_NUL, RX_NUL, RX_T("[]"), RX_NUL, RX_T("service"),
                                RX_T("published"), RX_NUL, RX_I(g->o->now)),
                        NULL, &aid);
    if (rc) return fail(g, rc, "event");
    g->n->activities++;
    for (int v = 0; v < ntok && !rc; v++) {
        rc = rx_db_exec(g->db, Q_DEMO_SIGNUP_INSERT,
                        RX_ARGS(RX_I(aid), RX_I(people[cand[v]].id), RX_T("confirmed"), RX_I(g->district_id),
                                RX_I(g->o->now), RX_I(g->o->now), RX_I(start), RX_I(start + 8 * 3600)),
                        NULL, NULL);
        if (rc) return fail(g, rc, "event sign-up");
        g->n->signups++;
    }
    return RX_OK;
}

/* ------------------------------------------------------------------ one community */

static int community(struct gen *g, int64_t street_id, const char *code, const char *name, struct rng *r)
{
    const struct scale *sc = g->sc;
    int64_t cid = 0, branch = 0;
    int rc = org_insert(g, street_id, "community", name, code, &cid);
    if (rc) return rc;
    char bname[128];
    snprintf(bname, sizeof bname, "%s党支部", name);
    rc = rx_db_exec(g->db, Q_DEMO_BRANCH_INSERT,
                    RX_ARGS(RX_I(cid), RX_T("branch"), RX_T(bname), RX_I(g->district_id), RX_I(g->o->now)), NULL,
                    &branch);
    if (rc) return fail(g, rc, "party branch");
    g->n->branches++;

    struct person *people = rx_calloc((size_t)sc->residents, sizeof *people);
    int *cand = rx_calloc((size_t)sc->residents, sizeof *cand);
    /* per team: its members (at most every volunteer) */
    struct member *members = rx_calloc((size_t)sc->teams * (size_t)sc->volunteers, sizeof *members);
    int nmembers[10] = {0};
    if (!people || !cand || !members) {
        rc = fail(g, RX_NOMEM, "memory");
        goto out;
    }
    int64_t secretary = 0;
    int ncand = 0;
    for (int i = 0; i < sc->residents; i++) {
        struct person *p = &people[i];
        if ((rc = make_person(g, r, cid, p))) goto out;
        if (p->party) {
            char since[RX_TIMEFMT_DATE_SIZE];
            int64_t born = g->today_days - (int64_t)p->age * 365;
            int joined_age = 18 + rng_below(r, p->age - 17 > 40 ? 40 : p->age - 17);
            int64_t d = born + (int64_t)joined_age * 365 + rng_below(r, 365);
            if (p->party == 2 || d > g->today_days - 1) d = g->today_days - 1 - rng_below(r, 300);
            date_of(d, since);
            p->party_since = d;
            rc = rx_db_exec(g->db, Q_DEMO_PARTY_MEMBERSHIP_INSERT,
                            RX_ARGS(RX_I(p->id), RX_I(branch), RX_T(p->party == 1 ? "full" : "probationary"),
                                    RX_T(since), RX_I(g->o->now)),
                            NULL, NULL);
            if (rc) {
                fail(g, rc, "party membership");
                goto out;
            }
            g->n->party_members++;
            if (!secretary && p->party == 1 && p->age >= 35 && p->age <= 65) secretary = p->id;
        }
        if (p->age >= 19 && p->age <= 75) cand[ncand++] = i; /* surely 18 on any registration day */
    }
    if (secretary &&
        (rc = rx_db_exec(g->db, Q_DEMO_BRANCH_SET_SECRETARY, RX_ARGS(RX_I(branch), RX_I(secretary)), NULL, NULL))) {
        fail(g, rc, "secretary");
        goto out;
    }

    /* Volunteers: a random choice of adults, Party members favoured ("45 Party-member volunteers"). */
    int nv = sc->volunteers < ncand ? sc->volunteers : ncand;
    for (int i = 0; i < ncand; i++) {
        int j = i + rng_below(r, ncand - i);
        int t = cand[i];
        cand[i] = cand[j];
        cand[j] = t;
    }
    for (int i = 0, pm = 0; i < ncand && pm < nv; i++) /* move Party members forward, a third of the slots */
        if (people[cand[i]].party && rng_below(r, 3) == 0) {
            int t = cand[pm];
            cand[pm++] = cand[i];
            cand[i] = t;
        }
    int tokens_here = g->tokens_left < g->tokens_per_community ? g->tokens_left : g->tokens_per_community;
    for (int v = 0; v < nv; v++) {
        struct person *p = &people[cand[v]];
        char vno[32], reg[RX_TIMEFMT_DATE_SIZE];
        int64_t adult = g->today_days - (int64_t)(p->age - 18) * 365;
        int64_t d = g->today_days - 1 - rng_below(r, 5 * 365);
        if (d < adult + 2) d = adult + 2 + rng_below(r, 30);
        if (d >= g->today_days) d = g->today_days - 1;
        date_of(d, reg);
        snprintf(vno, sizeof vno, "ZZ%.6s%07lld", districts[g->district].code, (long long)++g->volunteer_seq);
        rc = rx_db_exec(g->db, Q_DEMO_VOLUNTEER_INSERT,
                        RX_ARGS(RX_I(p->id), RX_T(vno), RX_I(cid), RX_T(reg), RX_I(g->district_id), RX_I(g->o->now)),
                        NULL, NULL);
        if (rc) {
            fail(g, rc, "volunteer");
            goto out;
        }
        g->n->volunteers++;
        snprintf(p->birth, sizeof p->birth, "%s", reg); /* from here on: the registration date */
        if (v < tokens_here) {
            char user[40], tok[RX_TOKEN_LEN + 8], th[RX_HASH_HEX_LEN + 1];
            int64_t uid = 0;
            snprintf(user, sizeof user, "v_%s", vno);
            if ((rc = account(g, user, user, p->id, "volunteer", cid, &uid))) goto out;
            rx_token_new(tok, "rx_");
            rx_sha256_hex(tok, strlen(tok), th);
            rc = rx_db_exec(g->db, Q_TOKEN_INSERT, RX_ARGS(RX_T(th), RX_I(uid), RX_T("demo"), RX_I(g->o->now)), NULL,
                            NULL);
            if (rc) {
                fail(g, rc, "token");
                goto out;
            }
            if (g->o->tokens_out)
                fprintf(g->o->tokens_out, "%s %lld %lld\n", tok, (long long)p->id, (long long)cid);
            g->n->tokens++;
            g->tokens_left--;
        }
    }

    /* Teams: the first volunteers lead them, the next ones are their deputies; every other
     * volunteer joins one team by weight, and a quarter of them a second one. */
    int nt = sc->teams < nv ? sc->teams : nv, wsum = 0;
    int64_t team_ids[10], founded_days[10];
    for (int t = 0; t < nt; t++) {
        char tname[160], founded[RX_TIMEFMT_DATE_SIZE];
        snprintf(tname, sizeof tname, "%s%s", name, team_kinds[t].name);
        founded_days[t] = g->today_days - 200 - rng_below(r, 10 * 365);
        date_of(founded_days[t], founded);
        rc = rx_db_exec(g->db, Q_DEMO_TEAM_INSERT,
                        RX_ARGS(RX_I(cid), RX_I(branch), RX_T(tname), RX_I(people[cand[t]].id), RX_I(g->category[t]),
                                RX_T(founded), RX_T(team_kinds[t].description), RX_I(g->district_id),
                                RX_I(g->o->now)),
                        NULL, &team_ids[t]);
        if (rc) {
            fail(g, rc, "team");
            goto out;
        }
        g->n->teams++;
        wsum += team_kinds[t].weight;
    }
    for (int v = 0; v < nv && nt > 0; v++) {
        struct person *p = &people[cand[v]];
        int teams[2], roles[2], k = 0; /* roles: 0 member, 1 deputy, 2 leader */
        if (v < 2 * nt) {
            teams[k] = v % nt;
            roles[k++] = v < nt ? 2 : 1;
        }
        int joins = v < 2 * nt ? (rng_below(r, 4) == 0) : 1 + (rng_below(r, 4) == 0);
        for (int j = 0; j < joins; j++) {
            int x = rng_below(r, wsum), t = 0;
            while (t < nt - 1 && x >= team_kinds[t].weight) x -= team_kinds[t].weight, t++;
            if (k == 1 && t == teams[0]) t = (t + 1) % nt;
            teams[k] = t;
            roles[k++] = 0;
        }
        struct rx_date reg;
        rx_timefmt_date_parse(p->birth, 10, &reg);
        int64_t reg_days = rx_timefmt_date_to_days(&reg);
        for (int j = 0; j < k; j++) {
            static const char *const role_names[] = {"member", "deputy", "leader"};
            int t = teams[j];
            int64_t from = reg_days > founded_days[t] ? reg_days : founded_days[t], span = g->today_days - from;
            char joined[RX_TIMEFMT_DATE_SIZE];
            date_of(from + (roles[j] == 2 || span < 2 ? 0 : rng_below(r, (int)span)), joined);
            rc = rx_db_exec(g->db, Q_DEMO_TEAM_MEMBER_INSERT,
                            RX_ARGS(RX_I(team_ids[t]), RX_I(p->id), RX_T(role_names[roles[j]]), RX_T(joined),
                                    RX_I(g->district_id), RX_I(g->o->now)),
                            NULL, NULL);
            if (rc) {
                fail(g, rc, "team member");
                goto out;
            }
            g->n->team_members++;
            struct member *m = &members[t * sc->volunteers + nmembers[t]++];
            m->person = cand[v];
            rx_timefmt_date_parse(joined, 10, &reg);
            m->joined = rx_timefmt_date_to_days(&reg);
        }
    }

    /* Published activities in the coming weeks: what the read and sign-up benchmarks use. */
    char venue[128];
    snprintf(venue, sizeof venue, "%s党群服务中心", name);
    for (int t = 0; t < nt; t++) {
        for (int k = 0; k < 2; k++) {
            int slot = t * 2 + k, dow = slot % 7, ts = slot / 7;
            for (int w = 0; w < WEEKS_AHEAD; w++) {
                int64_t day = g->today_days + 1 + w * 7 + dow;
                int64_t midnight = day * 86400 - RX_TIMEFMT_BEIJING * 60; /* 00:00 in Beijing */
                char sdate[RX_TIMEFMT_DATE_SIZE];
                date_of(day, sdate);
                rc = rx_db_exec(g->db, Q_ACT_INSERT,
                                RX_ARGS(RX_I(cid), RX_I(team_ids[t]), RX_I(g->category[t]), RX_NUL,
                                        RX_T(team_kinds[t].activity), RX_T(team_kinds[t].description), RX_T(venue),
                                        RX_I(midnight + day_slots[ts].start_min * 60),
                                        RX_I(midnight + day_slots[ts].end_min * 60), RX_T(sdate),
                                        RX_I(10 + rng_below(r, 41)), RX_NUL, RX_NUL, RX_T("[]"), RX_NUL,
                                        RX_T(t == 1 ? "performance" : "service"), RX_T("published"), RX_NUL,
                                        RX_I(g->o->now)),
                                NULL, NULL);
                if (rc) {
                    fail(g, rc, "activity");
                    goto out;
                }
                g->n->activities++;
            }
        }
    }

    if ((rc = history(g, r, cid, people, members, nmembers, team_ids, nt))) goto out;
    if ((rc = event_today(g, r, cid, nt > 0 ? team_ids[0] : 0, people, cand, tokens_here, venue))) goto out;

    char user[40], disp[160];
    snprintf(user, sizeof user, "ca%s", code);
    snprintf(disp, sizeof disp, "%s管理员", name);
    rc = account(g, user, disp, secretary, "community_admin", cid, NULL);
out:
    rx_free(people);
    rx_free(cand);
    rx_free(members);
    return rc;
}

/* ------------------------------------------------------------------ one district */

/* A district's head: its node and admin, the categories its teams use. */
static int district_job(struct rx_db *db, void *ctx)
{
    struct gen *g = ctx;
    g->db = db;
    int64_t exists = 0;
    if (rx_db_int(db, Q_ORG_BY_CODE, RX_ARGS(RX_T(districts[g->district].code)), &exists) == RX_OK) {
        snprintf(g->err, sizeof g->err, "district %s (%s) already exists: generate into a new data directory",
                 districts[g->district].name, districts[g->district].code);
        return RX_CONSTRAINT;
    }
    for (int t = 0; t < 10; t++) {
        int rc = rx_db_int(db, Q_DEMO_CATEGORY_BY_CODE, RX_ARGS(RX_T(team_kinds[t].category)), &g->category[t]);
        if (rc) return fail(g, rc, "service category");
    }
    int rc = org_insert(g, g->city_id, "district", districts[g->district].name, districts[g->district].code,
                        &g->district_id);
    if (rc) return rc;
    char user[40], disp[160];
    snprintf(user, sizeof user, "da%s", districts[g->district].code);
    snprintf(disp, sizeof disp, "%s管理员", districts[g->district].name);
    return account(g, user, disp, 0, "district_admin", g->district_id, NULL);
}

/* Street g->street of the district: its node and admin. */
static int street_job(struct rx_db *db, void *ctx)
{
    struct gen *g = ctx;
    g->db = db;
    char sname[64], user[40], disp[160];
    snprintf(g->street_code, sizeof g->street_code, "%.6s%03d000", districts[g->district].code,
             (g->street + 1) % 1000);
    snprintf(sname, sizeof sname, "%s街道", street_words[(g->district * 3 + g->street) % N_STREET_WORDS]);
    int rc = org_insert(g, g->district_id, "street", sname, g->street_code, &g->street_id);
    if (rc) return rc;
    snprintf(user, sizeof user, "sa%s", g->street_code);
    snprintf(disp, sizeof disp, "%s管理员", sname);
    return account(g, user, disp, 0, "street_admin", g->street_id, NULL);
}

static int community_body(struct rx_db *db, void *ctx)
{
    struct gen *g = ctx;
    g->db = db;
    char ccode[24], cname[64];
    int k = g->street * g->sc->communities + g->comm;
    snprintf(ccode, sizeof ccode, "%.9s%03d", g->street_code, (g->comm + 1) % 1000);
    snprintf(cname, sizeof cname, "%s%s社区", community_words[k % 20], community_forms[(k / 20) % 5]);
    struct rng r;
    rng_seed(&r, g->o->seed, (uint64_t)g->district + 1, (uint64_t)g->street + 1, (uint64_t)g->comm + 1);
    return community(g, g->street_id, ccode, cname, &r);
}

/* One community, one transaction (about 100,000 rows with its history). Its history's
 * sign-ups cannot overlap (a community's weekly slots never do, and volunteers serve in their
 * own community), so the trigger that checks every new place against all of the person's
 * others, which would make 3 years of history quadratic per volunteer, is set aside for the
 * load and restored as it was, inside the same transaction. */
static int community_job(struct rx_db *db, void *ctx)
{
    return rx_db_without_trigger(db, "signups_no_overlap_ins", community_body, ctx);
}

/* The jobs of district g->district, in order. */
static int district(struct rx_store *s, struct gen *g)
{
    int rc = rx_store_write(s, district_job, g);
    for (g->street = 0; !rc && g->street < g->sc->streets; g->street++) {
        rc = rx_store_write(s, street_job, g);
        for (g->comm = 0; !rc && g->comm < g->sc->communities; g->comm++) rc = rx_store_write(s, community_job, g);
    }
    return rc;
}

int rx_demo_generate(struct rx_store *s, const struct rx_demo_opts *o, struct rx_demo_counts *n, char *err,
                     size_t errlen)
{
    const struct scale *sc = &scales[o->scale];
    memset(n, 0, sizeof *n);
    struct gen g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.sc = sc;
    g.n = n;
    if (rx_db_int(rx_store_reader(s), Q_DEMO_CITY, RX_NOARGS, &g.city_id) != RX_OK) {
        snprintf(err, errlen, "the database has no city to put the districts under");
        return RX_NOTFOUND;
    }
    struct rx_date base = {BIRTH_BASE_YEAR, 1, 1};
    g.base_days = rx_timefmt_date_to_days(&base);
    g.today_days = rx_timefmt_date_to_days(&o->today);
    int64_t span = g.today_days - g.base_days + 400;
    if (span <= 0 || span > MAX_DAYS) {
        snprintf(err, errlen, "today must be between %d and %d", BIRTH_BASE_YEAR + 1, BIRTH_BASE_YEAR + 109);
        return RX_ERROR;
    }
    int ncomm = sc->districts * sc->streets * sc->communities;
    g.tokens_left = o->tokens;
    g.tokens_per_community = (o->tokens + ncomm - 1) / ncomm;
    if (g.tokens_per_community > sc->volunteers) {
        snprintf(err, errlen, "at most %d tokens at this scale", sc->volunteers * ncomm);
        return RX_ERROR;
    }
    g.seq = rx_calloc((size_t)span * 2, sizeof *g.seq);
    if (!g.seq) return RX_NOMEM;
    int rc = RX_OK;
    for (int d = 0; d < sc->districts && !rc; d++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        memset(g.seq, 0, (size_t)span * 2 * sizeof *g.seq);
        g.district = d;
        g.volunteer_seq = 0;
        int64_t before = n->people;
        rc = district(s, &g);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (o->progress && !rc)
            fprintf(o->progress, "rexin demo: %s %s: %lld people in %.1f s\n", districts[d].name, districts[d].code,
                    (long long)(n->people - before),
                    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    rx_free(g.seq);
    if (rc) snprintf(err, errlen, "%s", g.err[0] ? g.err : "the store refused the data");
    return rc;
}
