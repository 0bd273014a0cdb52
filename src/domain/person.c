/* person.c: see person.h. */
#include "domain/person.h"
#include "domain/polstatus.h"
#include "lib/utf8.h"
#include <stdio.h>
#include <string.h>

static void add_err(struct rx_person_error *errs, int *n, const char *field, const char *code)
{
    if (*n < RX_PERSON_MAX_ERRORS) errs[*n] = (struct rx_person_error){field, code};
    if (*n < RX_PERSON_MAX_ERRORS) (*n)++;
}

/* Trims ASCII whitespace and U+3000; returns the view, NULL when nothing is left. */
static const char *trimmed(const char *s, size_t *n)
{
    if (!s) return NULL;
    size_t len = strlen(s);
    for (;;) {
        if (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
            s++, len--;
        else if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3, len -= 3;
        else
            break;
    }
    for (;;) {
        if (len &&
            (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
            len--;
        else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
            len -= 3;
        else
            break;
    }
    *n = len;
    return len ? s : NULL;
}

static int eqs(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int eqci(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != lit[i]) return 0;
    }
    return 1;
}

char rx_person_parse_sex(const char *s, size_t n, bool loose)
{
    if (eqs(s, n, "M")) return 'M';
    if (eqs(s, n, "F")) return 'F';
    if (!loose) return 0;
    if (eqs(s, n, "男") || eqci(s, n, "m") || eqci(s, n, "male") || eqs(s, n, "男性")) return 'M';
    if (eqs(s, n, "女") || eqci(s, n, "f") || eqci(s, n, "female") || eqs(s, n, "女性")) return 'F';
    return 0;
}

int rx_person_parse_id_type(const char *s, size_t n, bool loose)
{
    enum rx_idcard_doctype t;
    if (rx_idcard_doctype_parse(s, n, &t) == RX_IDCARD_OK) return (int)t;
    if (!loose) return -1;
    static const struct {
        const char *label;
        int type;
    } labels[] = {
        {"居民身份证", RX_IDCARD_RESIDENT_ID},
        {"身份证", RX_IDCARD_RESIDENT_ID},
        {"二代身份证", RX_IDCARD_RESIDENT_ID},
        {"中华人民共和国居民身份证", RX_IDCARD_RESIDENT_ID},
        {"港澳台居民居住证", RX_IDCARD_HK_MO_TW_RESIDENCE},
        {"居住证", RX_IDCARD_HK_MO_TW_RESIDENCE},
        {"护照", RX_IDCARD_PASSPORT},
        {"其他", RX_IDCARD_OTHER},
        {"其它", RX_IDCARD_OTHER},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (eqs(s, n, labels[i].label)) return labels[i].type;
    return -1;
}

/* Reads 1..max digits at s[*i]; -1 when none. */
static int digits(const char *s, size_t n, size_t *i, int max)
{
    int v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0'), k++;
    return k ? v : -1;
}

int rx_person_parse_date(const char *s, size_t n, bool strict, struct rx_date *out)
{
    if (rx_timefmt_date_parse(s, n, out) == RX_TIMEFMT_OK) return 0;
    if (strict) return -1;
    size_t i = 0;
    /* 19500305 */
    if (n == 8) {
        int all = 1;
        for (size_t k = 0; k < 8; k++)
            all &= s[k] >= '0' && s[k] <= '9';
        if (all) {
            int y = digits(s, n, &i, 4), m = digits(s, n, &i, 2), d = digits(s, n, &i, 2);
            if (!rx_timefmt_date_valid(y, m, d)) return -1;
            *out = (struct rx_date){y, m, d};
            return 0;
        }
    }
    /* An Excel serial day number (what a date cell holds), optionally with a ".0". */
    {
        size_t k = 0;
        int v = digits(s, n, &k, 7);
        if (v > 0 && (k == n || (s[k] == '.' && k + 1 < n))) {
            int zero_frac = 1;
            for (size_t j = k + 1; j < n && k < n; j++)
                zero_frac &= s[j] == '0';
            if (k == n || zero_frac) {
                /* Serial 1 is 1900-01-01; Excel counts a 29 February 1900 that never was. */
                struct rx_date base = {1899, 12, v > 60 ? 30 : 31};
                int64_t days = rx_timefmt_date_to_days(&base) + v;
                if (v != 60 && rx_timefmt_date_from_days(days, out) == RX_TIMEFMT_OK) return 0;
                return -1;
            }
        }
    }
    /* 1950/3/5, 1950.3.5, 1950-3-5, 1950年3月5日 */
    int y = digits(s, n, &i, 4);
    if (y < 0 || i != 4) return -1;
    const char *seps[] = {"/", ".", "-", "年"};
    const char *sep = NULL;
    for (int k = 0; k < 4 && !sep; k++)
        if (i + strlen(seps[k]) <= n && memcmp(s + i, seps[k], strlen(seps[k])) == 0) sep = seps[k];
    if (!sep) return -1;
    i += strlen(sep);
    int m = digits(s, n, &i, 2);
    const char *sep2 = strcmp(sep, "年") == 0 ? "月" : sep;
    if (m < 0 || i + strlen(sep2) > n || memcmp(s + i, sep2, strlen(sep2)) != 0) return -1;
    i += strlen(sep2);
    int d = digits(s, n, &i, 2);
    if (d < 0) return -1;
    if (strcmp(sep, "年") == 0 && i + 3 <= n && memcmp(s + i, "日", 3) == 0) i += 3;
    if (i != n || !rx_timefmt_date_valid(y, m, d)) return -1;
    *out = (struct rx_date){y, m, d};
    return 0;
}

int rx_person_check(const struct rx_person_text *in, unsigned flags, const struct rx_date *today,
                    struct rx_person_fields *out, struct rx_person_error *errs)
{
    int ne = 0;
    bool loose = flags & RX_PERSON_LOOSE;
    size_t n;
    const char *s;
    memset(out, 0, sizeof *out);

    /* name */
    if ((s = trimmed(in->name, &n))) {
        int rc = rx_name_normalize(s, n, out->name_norm, sizeof out->name_norm, NULL);
        if (rc)
            add_err(errs, &ne, "name", rx_name_strerror(rc));
        else
            out->has_name = true;
    } else if (!(flags & RX_PERSON_PARTIAL) || in->name) {
        add_err(errs, &ne, "name", in->name ? "name_empty" : "required");
    }

    /* identity document */
    int type = RX_IDCARD_RESIDENT_ID, type_ok = 1;
    if ((s = trimmed(in->id_type, &n))) {
        type = rx_person_parse_id_type(s, n, loose);
        if (type < 0) {
            add_err(errs, &ne, "id_type", "id_document_type");
            type_ok = 0;
        }
    }
    struct rx_idcard info = {0}; /* filled for a valid resident ID */
    if ((s = trimmed(in->id_number, &n))) {
        if (type_ok) {
            int rc = rx_idcard_doc_normalize((enum rx_idcard_doctype)type, s, n, today,
                                             out->id_number, sizeof out->id_number, &info);
            if (rc) {
                add_err(errs, &ne, "id_number", rx_idcard_strerror(rc));
            } else {
                out->has_id = true;
                out->id_type = (enum rx_idcard_doctype)type;
                rx_idcard_mask(out->id_number, strlen(out->id_number), out->id_masked,
                               sizeof out->id_masked);
                snprintf(out->id_lookup, sizeof out->id_lookup, "%s:%s",
                         rx_idcard_doctype_code(out->id_type), out->id_number);
            }
        }
    } else if (trimmed(in->id_type, &n) && type_ok) {
        add_err(errs, &ne, "id_number", "required");
    }
    bool resident = out->has_id && out->id_type == RX_IDCARD_RESIDENT_ID;

    /* sex */
    if ((s = trimmed(in->sex, &n))) {
        char sx = rx_person_parse_sex(s, n, loose);
        if (!sx)
            add_err(errs, &ne, "sex", "invalid");
        else if (resident && sx != info.sex)
            add_err(errs, &ne, "sex", "sex_mismatch");
        else
            out->sex = sx;
    }
    if (resident) {
        out->sex = info.sex;
        out->sex_from_id = true;
    }

    /* birth date */
    if ((s = trimmed(in->birth_date, &n))) {
        struct rx_date d;
        if (rx_person_parse_date(s, n, !loose, &d) || d.year < 1900) {
            add_err(errs, &ne, "birth_date", "invalid_date");
        } else if (today && rx_timefmt_date_cmp(&d, today) > 0) {
            add_err(errs, &ne, "birth_date", "birth_date_future");
        } else if (resident && rx_timefmt_date_cmp(&d, &info.birth_date) != 0) {
            add_err(errs, &ne, "birth_date", "birth_date_mismatch");
        } else {
            rx_timefmt_date_format(&d, out->birth_date, sizeof out->birth_date);
        }
    }
    if (resident) {
        memcpy(out->birth_date, info.birth, sizeof out->birth_date);
        out->birth_from_id = true;
    }

    /* phone */
    if ((s = trimmed(in->phone, &n))) {
        if (rx_phone_normalize(s, n, out->phone, sizeof out->phone)) {
            out->phone[0] = 0;
            add_err(errs, &ne, "phone", "invalid_phone");
        }
    }

    /* political status */
    if ((s = trimmed(in->political_status, &n))) {
        out->political_status = rx_polstatus_parse(s, n);
        if (!out->political_status)
            add_err(errs, &ne, "political_status", "invalid_political_status");
    }
    return ne;
}

const char *rx_tag_check(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t b = 0, e = n;
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    *start = b;
    *len = e - b;
    if (e == b) return "tag_empty";
    int rc = rx_utf8_check_text(s + b, e - b, RX_TAG_MAX_CP, RX_UTF8_SINGLE_LINE);
    if (rc == RX_UTF8_ETOOLONG) return "tag_too_long";
    if (rc) return "tag_invalid";
    return NULL;
}

int rx_tags_split(const char *s, size_t n, rx_tag_fn fn, void *arg)
{
    static const char *const seps[] = {"\xE3\x80\x81" /* 、 */,
                                       "\xEF\xBC\x8C" /* ， */,
                                       ",",
                                       ";",
                                       "\xEF\xBC\x9B" /* ； */,
                                       "/",
                                       "\n",
                                       "\r"};
    int count = 0;
    size_t start = 0, i = 0;
    while (i <= n) {
        size_t seplen = 0;
        if (i < n)
            for (size_t k = 0; k < sizeof seps / sizeof seps[0] && !seplen; k++) {
                size_t l = strlen(seps[k]);
                if (i + l <= n && memcmp(s + i, seps[k], l) == 0) seplen = l;
            }
        if (i == n || seplen) {
            size_t b = start, e = i;
            while (b < e && (s[b] == ' ' || s[b] == '\t'))
                b++;
            while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
            if (e > b) {
                fn(s + b, e - b, arg);
                count++;
            }
            if (i == n) break;
            i += seplen;
            start = i;
        } else {
            i++;
        }
    }
    return count;
}

bool rx_vulnerable_flag_valid(const char *s)
{
    return s && (strcmp(s, "lonely_elderly") == 0 || strcmp(s, "lives_alone") == 0 ||
                 strcmp(s, "disabled") == 0 || strcmp(s, "very_old") == 0);
}

const char *rx_vulnerable_flag_zh(const char *s)
{
    static const char *const flags[][2] = {{"lonely_elderly", "孤寡"},
                                           {"lives_alone", "独居"},
                                           {"disabled", "残障"},
                                           {"very_old", "高龄"}};
    for (size_t i = 0; s && i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(s, flags[i][0]) == 0) return flags[i][1];
    return NULL;
}

int rx_person_age(const char *birth_date, const struct rx_date *today)
{
    struct rx_date b;
    int years;
    if (!birth_date || rx_timefmt_date_parse(birth_date, strlen(birth_date), &b)) return -1;
    if (rx_timefmt_age(&b, today, &years)) return -1;
    return years;
}
