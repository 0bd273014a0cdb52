/* system.c: liveness, metrics and the OpenAPI document. */
#include "api/api.h"
#include "api/purge.h"
#include "http/server.h"
#include "lib/embed.h"
#include "store/store.h"

void rx_api_healthz(struct rx_req *r)
{
    int64_t one = 0;
    int rc = rx_db_int(r->db, Q_PING, RX_NOARGS, &one);
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kstr(w, "status", rc == RX_OK ? "ok" : "degraded");
    rx_json_kstr(w, "database", rc == RX_OK ? "ok" : "unreachable");
    rx_json_end(w);
    rx_reply(r, rc == RX_OK ? 200 : 503);
}

void rx_api_metrics(struct rx_req *r)
{
    rx_buf_reset(&r->out);
    rx_metrics_write(r->app, &r->out);
    rx_purge_metrics_write(&r->out);
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void rx_api_openapi(struct rx_req *r)
{
    const struct rx_embed *doc = &rx_embed_apidoc[0];
    r->static_body = doc->data;
    r->static_len = doc->len;
    r->etag = doc->etag;
    r->cache_control = "no-cache";
    r->status = 200;
    r->content_type = "application/json; charset=utf-8";
}
