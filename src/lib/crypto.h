/* crypto.h: the few cryptographic operations rexin uses, all from libsodium.
 * - random tokens (sessions, API tokens, per-activity secrets), stored only as SHA-256 hashes;
 * - argon2id password hashes (crypto_pwhash_str), verified off the HTTP threads;
 * - the data key: secretbox for ID numbers at rest and a keyed hash to look them up.
 * The data key lives in DATA_DIR/secret.key (mode 0600), created on first start. */
#ifndef RX_CRYPTO_H
#define RX_CRYPTO_H
#include <sodium.h>
#include <stddef.h>

#define RX_TOKEN_LEN 43      /* 32 random bytes, base64url without padding */
#define RX_HASH_HEX_LEN 64   /* SHA-256 as hex */
#define RX_PW_HASH_LEN crypto_pwhash_STRBYTES

struct rx_keys {
    unsigned char box[crypto_secretbox_KEYBYTES];      /* encrypts ID numbers at rest */
    unsigned char lookup[crypto_generichash_KEYBYTES]; /* keyed hash for finding them */
    unsigned char hmac[crypto_auth_hmacsha256_KEYBYTES]; /* signs QR check-in tokens etc. */
};

int rx_crypto_init(void);
/* Writes a NUL-terminated token of RX_TOKEN_LEN characters into out (RX_TOKEN_LEN+1 bytes);
 * `prefix` (may be "") is prepended, so out needs strlen(prefix) more. */
void rx_token_new(char *out, const char *prefix);
/* SHA-256 of s as lower-case hex into out (RX_HASH_HEX_LEN+1 bytes). */
void rx_sha256_hex(const char *s, size_t n, char *out);

/* Password hashing parameters: argon2id, 2 passes, 19 MiB (OWASP's minimum). */
int rx_password_hash(const char *pw, char out[RX_PW_HASH_LEN]);
/* 0 when pw matches; -1 otherwise. */
int rx_password_verify(const char *stored, const char *pw);
/* 1 when a stored hash uses weaker or different parameters than today's. */
int rx_password_needs_rehash(const char *stored);

/* Loads DATA_DIR/secret.key or creates it (0600). 0 ok; -1 with a message logged. */
int rx_keys_load(const char *data_dir, struct rx_keys *k);
/* Encrypts n bytes into a hex string: nonce||mac||ciphertext; out gets a malloc'd string. */
int rx_seal(const struct rx_keys *k, const char *plain, size_t n, char **out);
/* Reverses rx_seal; *out malloc'd NUL-terminated. -1 when tampered or malformed. */
int rx_unseal(const struct rx_keys *k, const char *hex, char **out);
/* Keyed BLAKE2b of s as hex (64 chars) into out (65 bytes): a stable lookup key. */
void rx_lookup_hash(const struct rx_keys *k, const char *s, size_t n, char *out);

#endif
