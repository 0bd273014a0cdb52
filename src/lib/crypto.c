/* crypto.c: see crypto.h. */
#include "lib/crypto.h"
#include "lib/alloc.h"
#include "lib/log.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PW_OPS 2
#define PW_MEM (19u * 1024u * 1024u)

int rx_crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void rx_token_new(char *out, const char *prefix)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t pl = strlen(prefix);
    memcpy(out, prefix, pl); // NOLINT(bugprone-not-null-terminated-result): bin2base64 ends it
    sodium_bin2base64(out + pl, RX_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void rx_sha256_hex(const char *s, size_t n, char *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, n);
    sodium_bin2hex(out, RX_HASH_HEX_LEN + 1, h, sizeof h);
}

int rx_password_hash(const char *pw, char out[RX_PW_HASH_LEN])
{
    return crypto_pwhash_str(out, pw, strlen(pw), PW_OPS, PW_MEM) == 0 ? 0 : -1;
}

int rx_password_verify(const char *stored, const char *pw)
{
    return crypto_pwhash_str_verify(stored, pw, strlen(pw)) == 0 ? 0 : -1;
}

int rx_password_needs_rehash(const char *stored)
{
    return crypto_pwhash_str_needs_rehash(stored, PW_OPS, PW_MEM) != 0;
}

int rx_keys_load(const char *data_dir, struct rx_keys *k)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/secret.key", data_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, k, sizeof *k);
        close(fd);
        if (n != (ssize_t)sizeof *k) {
            rx_error("msg=\"data key has the wrong size\" path=\"%s\"", path);
            return -1;
        }
        return 0;
    }
    if (errno != ENOENT) {
        rx_error("msg=\"cannot read data key\" path=\"%s\" err=\"%s\"", path, strerror(errno));
        return -1;
    }
    randombytes_buf(k, sizeof *k);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, k, sizeof *k) != (ssize_t)sizeof *k || fsync(fd) != 0) {
        rx_error("msg=\"cannot create data key\" path=\"%s\" err=\"%s\"", path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    close(fd);
    rx_info("msg=\"created data key; back it up with the database\" path=\"%s\"", path);
    return 0;
}

int rx_seal(const struct rx_keys *k, const char *plain, size_t n, char **out)
{
    size_t clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *c = rx_malloc(clen);
    char *hex = rx_malloc(clen * 2 + 1);
    if (!c || !hex) {
        rx_free(c);
        rx_free(hex);
        return -1;
    }
    randombytes_buf(c, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, c,
                          k->box);
    sodium_bin2hex(hex, clen * 2 + 1, c, clen);
    rx_free(c);
    *out = hex;
    return 0;
}

int rx_unseal(const struct rx_keys *k, const char *hex, char **out)
{
    size_t hl = strlen(hex), blen = hl / 2;
    if (hl % 2 || blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return -1;
    unsigned char *b = rx_malloc(blen);
    if (!b) return -1;
    size_t got = 0;
    if (sodium_hex2bin(b, blen, hex, hl, NULL, &got, NULL) != 0 || got != blen) {
        rx_free(b);
        return -1;
    }
    size_t plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *p = rx_malloc(plen + 1);
    if (!p || crypto_secretbox_open_easy((unsigned char *)p, b + crypto_secretbox_NONCEBYTES,
                                         blen - crypto_secretbox_NONCEBYTES, b, k->box) != 0) {
        rx_free(b);
        rx_free(p);
        return -1;
    }
    p[plen] = 0;
    rx_free(b);
    *out = p;
    return 0;
}

void rx_lookup_hash(const struct rx_keys *k, const char *s, size_t n, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, n, k->lookup, sizeof k->lookup);
    sodium_bin2hex(out, 65, h, sizeof h);
}
