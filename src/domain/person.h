/* person.h: the rules a person's record obeys, shared by the API (typed JSON) and the
 * importer (spreadsheet cells), so that both give the same answer and the same error codes.
 *
 * In: the values as typed (struct rx_person_text, NUL-terminated UTF-8, NULL or blank = not
 * given). Out: normalised values (struct rx_person_fields) and a list of field errors, each a
 * field name and a stable code with a text in src/http/messages.c:
 *   name              name_empty, name_too_long, name_control_character, name_invalid_utf8
 *   id_type           id_document_type
 *   id_number         required (type without number), id_length, id_characters,
 *                     id_birth_date, id_check_digit
 *   sex               invalid, sex_mismatch (disagrees with the resident ID)
 *   birth_date        invalid_date, birth_date_future, birth_date_mismatch
 *   phone             invalid_phone
 *   political_status  invalid_political_status
 * For an 18-digit resident ID, sex and birth date come from the number; what was typed must
 * agree. Spreadsheet mode (RX_PERSON_LOOSE) also accepts labels (身份证, 男/女) and the date
 * forms people type (1950/3/5, 1950.3.5, 19500305, 1950年3月5日, an Excel serial number).
 *
 * Pure: no I/O, no allocation; everything goes into caller memory. */
#ifndef RX_PERSON_H
#define RX_PERSON_H
#include "domain/idcard.h"
#include "domain/name.h"
#include "domain/phone.h"
#include "lib/timefmt.h"
#include <stdbool.h>
#include <stddef.h>

enum {
    RX_PERSON_LOOSE = 1,   /* spreadsheet input: labels and many date forms */
    RX_PERSON_PARTIAL = 2, /* a patch: the name may be absent */
};

struct rx_person_text {
    const char *name;
    const char *id_type; /* "resident_id" ... (or a Chinese label when loose); NULL = resident_id */
    const char *id_number;
    const char *sex; /* "M" / "F" (also 男/女, male/female when loose) */
    const char *birth_date;
    const char *phone;
    const char *political_status; /* code, Chinese name or English key (polstatus.h) */
};

struct rx_person_fields {
    bool has_name;
    char name_norm[RX_NAME_SIZE]; /* comparison key of the name */
    bool has_id;
    enum rx_idcard_doctype id_type;
    char id_number[RX_IDCARD_BUF_SIZE];      /* normalised number (personal data: seal it) */
    char id_masked[RX_IDCARD_BUF_SIZE];      /* 4101**********123X */
    char id_lookup[RX_IDCARD_BUF_SIZE + 24]; /* "resident_id:NUMBER", the text to hash */
    char sex;                                /* 'M', 'F', or 0 when unknown */
    bool sex_from_id;                        /* derived from the resident ID */
    char birth_date[RX_TIMEFMT_DATE_SIZE];   /* "YYYY-MM-DD", "" when unknown */
    bool birth_from_id;
    char phone[RX_PHONE_SIZE];    /* normalised, "" when none */
    const char *political_status; /* static code, NULL when not given */
};

struct rx_person_error {
    const char *field; /* static */
    const char *code;  /* static */
};
#define RX_PERSON_MAX_ERRORS 12

/* Checks and normalises. Returns the number of errors written to errs (at most
 * RX_PERSON_MAX_ERRORS); out is filled for the fields that passed. today (Beijing) bounds birth
 * dates; NULL skips the future check. */
int rx_person_check(const struct rx_person_text *in, unsigned flags, const struct rx_date *today,
                    struct rx_person_fields *out, struct rx_person_error *errs);

/* Parses a date as people type it (see above) into *out; strict = only YYYY-MM-DD.
 * 0 ok, -1 not a date. */
int rx_person_parse_date(const char *s, size_t n, bool strict, struct rx_date *out);

/* 'M', 'F' or 0 for s; loose also reads 男/女/male/female/m/f. */
char rx_person_parse_sex(const char *s, size_t n, bool loose);

/* Document type from a code or (loose) a Chinese label; -1 when unknown. */
int rx_person_parse_id_type(const char *s, size_t n, bool loose);

/* --- tags (skills, interests) --- */
#define RX_TAG_MAX_CP 20 /* code points per tag */
#define RX_TAGS_MAX 20   /* tags per list */

/* Trims s[0..n) in place (giving start and len) and checks one tag: NULL when ok, else an error
 * code
 * ("tag_too_long", "tag_invalid"); an empty tag gives "tag_empty". */
const char *rx_tag_check(const char *s, size_t n, size_t *start, size_t *len);

/* Splits a spreadsheet cell into tags at 、 ， , ; ； and slashes and line breaks; calls fn for
 * each non-empty trimmed piece. Returns the number of pieces. */
typedef void (*rx_tag_fn)(const char *s, size_t n, void *arg);
int rx_tags_split(const char *s, size_t n, rx_tag_fn fn, void *arg);

/* Vulnerable-resident flags: lonely_elderly (孤寡), lives_alone (独居), disabled (残障),
 * very_old (高龄). True when s is one of them. */
bool rx_vulnerable_flag_valid(const char *s);
/* Its Chinese name (孤寡 …), NULL when s is not a flag. */
const char *rx_vulnerable_flag_zh(const char *s);

/* Age in whole years on `today` for a stored "YYYY-MM-DD"; -1 when unknown or invalid. */
int rx_person_age(const char *birth_date, const struct rx_date *today);

#endif
