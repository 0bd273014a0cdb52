/* reports.h: handlers for certificates (certificates.c), their public verification
 * (verify.c), star levels (star_levels.c), reports (reports.c) and the export helpers every
 * list and report uses (export.c). Everything returned lives in the request arena.
 *
 * Permissions (domain/roles.h):
 *   certificates   a volunteer asks for their own (auth.person_id); staff with
 *                  RX_PERM_CONFIRM_RECORDS over the issuing community ask on someone's
 *                  behalf, issue and revoke; reading needs to be the person, or
 *                  RX_PERM_READ_PEOPLE / RX_PERM_CONFIRM_RECORDS over the issuer;
 *   verification   public, rate-limited per client address;
 *   star levels    the person themself, or RX_PERM_READ_PEOPLE over their home community;
 *   reports        RX_PERM_REPORTS over the node.
 * Anything out of the caller's sight answers 404. */
#ifndef RX_REPORTS_H
#define RX_REPORTS_H
#include "http/http.h"
#include "store/store.h"

/* certificates.c */
void rx_api_cert_create(struct rx_req *r);
void rx_api_cert_list(struct rx_req *r);
void rx_api_cert_get(struct rx_req *r);
void rx_api_cert_pdf(struct rx_req *r);
void rx_api_cert_issue(struct rx_req *r);
void rx_api_cert_revoke(struct rx_req *r);
/* verify.c */
void rx_api_verify_page(struct rx_req *r);
void rx_api_verify_json(struct rx_req *r);

/* The public base URL for links printed on paper: --public-url, else http://Host. */
const char *rpt_public_base(struct rx_req *r);

#endif
