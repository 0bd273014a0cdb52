/* test_webhook.c: the pure parts of webhook delivery: which URLs are accepted, the back-off
 * schedule, the signature and reading the status line. */
#include "testutil.h"
#include "http/webhook.h"
#include <sodium.h>

static void test_parse_url(void **state)
{
    static const struct {
        const char *url;
        int rc;
        const char *host, *port, *path;
    } cases[] = {
        {"http://127.0.0.1:8081/hook", 0, "127.0.0.1", "8081", "/hook"},
        {"http://gateway.local/sms?to=all", 0, "gateway.local", "80", "/sms?to=all"},
        {"http://gateway", 0, "gateway", "80", "/"},
        {"http://gateway?x=1", 0, "gateway", "80", "/?x=1"},
        {"http://gw:9000/a/b#frag", 0, "gw", "9000", "/a/b"},
        {"http://[::1]:8080/h", 0, "::1", "8080", "/h"},
        {"https://gateway/hook", -1, NULL, NULL, NULL}, /* no TLS: use a local relay */
        {"HTTP://gateway/", -1, NULL, NULL, NULL},
        {"http://user:pw@gateway/", -1, NULL, NULL, NULL},
        {"http://gateway:0/", -1, NULL, NULL, NULL},
        {"http://gateway:65536/", -1, NULL, NULL, NULL},
        {"http://gateway:80a/", -1, NULL, NULL, NULL},
        {"http://gateway:/", -1, NULL, NULL, NULL},
        {"http:///path", -1, NULL, NULL, NULL},
        {"http://gate way/", -1, NULL, NULL, NULL},
        {"http://gateway/a b", -1, NULL, NULL, NULL},
        {"http://gateway/a\r\nX-Evil: 1", -1, NULL, NULL, NULL}, /* no header injection */
        {"http://[::1/", -1, NULL, NULL, NULL},
        {"", -1, NULL, NULL, NULL},
        {NULL, -1, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct rx_webhook_url u;
        int rc = rx_webhook_parse_url(cases[i].url, &u);
        if (rc != cases[i].rc) fail_msg("case %zu (%s): rc %d", i, cases[i].url, rc);
        if (rc) continue;
        assert_string_equal(u.host, cases[i].host);
        assert_string_equal(u.port, cases[i].port);
        assert_string_equal(u.path, cases[i].path);
    }
    char longhost[400];
    memset(longhost, 'a', sizeof longhost);
    memcpy(longhost, "http://", 7);
    longhost[sizeof longhost - 1] = 0;
    struct rx_webhook_url u;
    assert_int_equal(rx_webhook_parse_url(longhost, &u), -1);
}

static void test_backoff(void **state)
{
    const int64_t want[] = {5, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600};
    for (int i = 0; i < (int)ARRAY_LEN(want); i++)
        assert_int_equal(rx_webhook_backoff(i), want[i]);
    assert_int_equal(rx_webhook_backoff(1000), 3600);
}

static void test_sign(void **state)
{
    /* RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" */
    char out[72];
    const char *data = "what do ya want for nothing?";
    rx_webhook_sign("Jefe", data, strlen(data), out);
    assert_string_equal(out,
                        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    rx_webhook_sign(NULL, "", 0, out); /* no secret: still well-formed */
    assert_int_equal(strlen(out), 71);
}

static void test_status(void **state)
{
    static const struct {
        const char *resp;
        int status;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\n", 200},
        {"HTTP/1.0 503 Service Unavailable\r\n", 503},
        {"HTTP/1.1 204\r\n", 204},
        {"HTTP/1.1 2000 OK\r\n", -1},
        {"HTTP/2 200 OK\r\n", -1},
        {"SSH-2.0-OpenSSH\r\n", -1},
        {"HTTP/1.1 0xx OK\r\n", -1},
        {"HTTP/1.1 20", -1},
        {"", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(rx_webhook_status(cases[i].resp, strlen(cases[i].resp)), cases[i].status);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_url),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_sign),
        cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
