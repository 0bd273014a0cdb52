/* webhook.h: forwarding notifications to a deployment's own gateway (SMS, WeChat ...).
 *
 * With webhook-url set, a delivery thread posts every new notification as JSON to that URL:
 *     POST /path HTTP/1.1
 *     Content-Type: application/json
 *     X-Rexin-Delivery: <notification id>      (the same on every retry: deduplicate on it)
 *     X-Rexin-Event: <kind>
 *     X-Rexin-Attempt: <1, 2, ...>
 *     X-Rexin-Signature: sha256=<hex HMAC-SHA256 of the body under webhook-secret>
 *     {"id", "kind", "created_at", "user_id", "person_id", "phone", "payload": {...}}
 * A 2xx answer delivers it; anything else (or no answer in 10 s) is retried after 5 s,
 * 10 s, 20 s ... (doubling, at most an hour), up to 12 attempts; what is still undelivered a
 * day after it was written is given up. Each notification has a webhook_deliveries row,
 * written by trigger with the notification, so the request that caused it never waits; the
 * thread claims a due row for a minute (a lease) before posting, so with several servers
 * each notification is posted by one of them at a time (at least once, never in parallel).
 *
 * Plain HTTP only: no TLS library is linked. For an https:// gateway run a local relay
 * (nginx, stunnel) and point webhook-url at it. Owned by main.c. */
#ifndef RX_WEBHOOK_H
#define RX_WEBHOOK_H
#include <stddef.h>
#include <stdint.h>

struct rx_app;
struct rx_webhook;

/* Starts the delivery thread when webhook-url is set (*out stays NULL otherwise). Returns
 * -1 with a message when the URL is not http://host[:port][/path]. */
int rx_webhook_start(struct rx_app *app, struct rx_webhook **out, char *err, size_t errlen);
/* Stops the thread (after the post in hand, at most its timeout). */
void rx_webhook_stop(struct rx_webhook *w);

/* --- pure parts, for tests --- */
struct rx_webhook_url {
    char host[256];  /* name or address, without brackets */
    char port[8];    /* "80" unless given */
    char path[1024]; /* "/" unless given; includes the query */
};
/* 0 when url is http://host[:port][/path?query]; -1 otherwise (https, user info, junk). */
int rx_webhook_parse_url(const char *url, struct rx_webhook_url *out);
/* Seconds to wait after the attempts-th failed attempt (1, 2, ...): 5 s doubling, at most
 * 3600 s. */
int64_t rx_webhook_backoff(int attempts);
#define RX_WEBHOOK_MAX_ATTEMPTS 12
/* "sha256=" and the hex HMAC-SHA256 of body under the secret; out needs 72 bytes. */
void rx_webhook_sign(const char *secret, const char *body, size_t n, char out[72]);
/* The status code of an HTTP/1.x status line at the start of resp; -1 when there is none. */
int rx_webhook_status(const char *resp, size_t n);

#endif
