/* polstatus.c: see polstatus.h. One table: code, official Chinese name, English key, English
 * name, and the other spellings seen on community sheets. */
#include "domain/polstatus.h"
#include <string.h>

static const struct {
    const char *code;
    const char *zh;       /* GB/T 4762 name */
    const char *key;      /* English key accepted by the API */
    const char *en;       /* English name */
    const char *alias[4]; /* other spellings */
} table[] = {
    {"01",
     "中共党员",
     "cpc_member",
     "Member of the Communist Party of China",
     {"党员", "中国共产党党员", "共产党员", NULL}},
    {"02",
     "中共预备党员",
     "cpc_probationary",
     "Probationary member of the CPC",
     {"预备党员", "中国共产党预备党员", NULL}},
    {"03",
     "共青团员",
     "cyl_member",
     "Member of the Communist Youth League",
     {"团员", "中国共产主义青年团团员", "共青团", NULL}},
    {"04",
     "民革党员",
     "rckmt_member",
     "Member of the Revolutionary Committee of the Kuomintang",
     {"民革会员", "民革", NULL}},
    {"05", "民盟盟员", "cdl_member", "Member of the China Democratic League", {"民盟", NULL}},
    {"06",
     "民建会员",
     "cndca_member",
     "Member of the China National Democratic Construction Association",
     {"民建", NULL}},
    {"07",
     "民进会员",
     "capd_member",
     "Member of the China Association for Promoting Democracy",
     {"民进", NULL}},
    {"08",
     "农工党党员",
     "cpwdp_member",
     "Member of the Chinese Peasants' and Workers' Democratic Party",
     {"农工党", NULL}},
    {"09", "致公党党员", "czgp_member", "Member of the China Zhi Gong Party", {"致公党", NULL}},
    {"10", "九三学社社员", "jiusan_member", "Member of the Jiusan Society", {"九三学社", NULL}},
    {"11",
     "台盟盟员",
     "tdsgl_member",
     "Member of the Taiwan Democratic Self-Government League",
     {"台盟", NULL}},
    {"12", "无党派人士", "non_party", "Non-party personage", {"无党派", "无党派民主人士", NULL}},
    {"13", "群众", "masses", "Ordinary citizen (群众)", {"普通群众", "无", NULL}},
    {RX_POLSTATUS_DEMOCRATIC,
     "民主党派成员",
     "democratic_party",
     "Member of a democratic party",
     {"民主党派", NULL}},
};
#define N (sizeof table / sizeof table[0])

static int eq(const char *a, size_t n, const char *b)
{
    return b && strlen(b) == n && memcmp(a, b, n) == 0;
}

static int eq_ascii_ci(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}

const char *rx_polstatus_parse(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 1 && s[0] >= '1' && s[0] <= '9') return table[s[0] - '1'].code;
    for (size_t i = 0; i < N; i++) {
        if (eq(s, n, table[i].code) || eq(s, n, table[i].zh) || eq_ascii_ci(s, n, table[i].key))
            return table[i].code;
        for (int k = 0; k < 4 && table[i].alias[k]; k++)
            if (eq(s, n, table[i].alias[k])) return table[i].code;
    }
    return NULL;
}

const char *rx_polstatus_name_zh(const char *code)
{
    for (size_t i = 0; code && i < N; i++)
        if (strcmp(table[i].code, code) == 0) return table[i].zh;
    return NULL;
}

const char *rx_polstatus_name_en(const char *code)
{
    for (size_t i = 0; code && i < N; i++)
        if (strcmp(table[i].code, code) == 0) return table[i].en;
    return NULL;
}

bool rx_polstatus_is_cpc(const char *code)
{
    return code && (strcmp(code, "01") == 0 || strcmp(code, "02") == 0);
}
