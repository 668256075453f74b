/*
 * crypto/hash_internal.h - private SHA-256/HMAC helpers that reuse an EVP_MD_CTX.
 *
 * The SHA-256 method is fetched from OpenSSL once per process (no per-call implicit fetch);
 * a caller that hashes many times (the signer) keeps one EVP_MD_CTX and passes it in.
 * Invariant: every buffer here that held key material is wiped before return.
 */
#ifndef BRK_CRYPTO_HASH_INTERNAL_H
#define BRK_CRYPTO_HASH_INTERNAL_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The process-wide SHA-256 method, or NULL if OpenSSL cannot provide one. */
const EVP_MD *brk_sha256_md(void);

/* (Re)starts ctx as SHA-256. A context that already holds the process-wide method is restarted
 * with EVP_DigestInit_ex2(ctx, NULL, NULL), which keeps its provider state (no free/alloc, no
 * engine look-up): measured ~115 ns for a one-block hash against ~190 ns with
 * EVP_DigestInit_ex(ctx, md, NULL) on OpenSSL 3.0. */
bool brk_sha256_init(EVP_MD_CTX *ctx);

/* SHA-256 over the concatenation of up to two pieces (b may be NULL). false on failure. */
bool brk_sha256_ctx2(EVP_MD_CTX *ctx, const void *a, size_t na, const void *b, size_t nb,
                     uint8_t out[32]);
/* HMAC-SHA256 (RFC 2104) built on the EVP digest. false on failure; out untouched then. */
bool brk_hmac_sha256_ctx(EVP_MD_CTX *ctx, const void *key, size_t keylen, const void *data,
                         size_t n, uint8_t out[32]);

/* SHA-256 state for the signer's hot path: OpenSSL's SHA256_CTX behind an opaque, plain-memory
 * type (wipe with OPENSSL_cleanse). hash.c explains why this uses OpenSSL's deprecated
 * SHA256_Init/Update/Final rather than EVP; nothing else in the tree calls those. */
struct brk_sha256_state {
    uint64_t opaque[16]; /* >= sizeof(SHA256_CTX), checked in hash.c */
};
void brk_sha256_begin(struct brk_sha256_state *s);
void brk_sha256_add(struct brk_sha256_state *s, const void *p, size_t n);
/* Writes the digest and wipes the state. */
void brk_sha256_end(struct brk_sha256_state *s, uint8_t out[32]);

/* HMAC-SHA256 key schedule: the SHA-256 states after absorbing key^ipad and key^opad
 * (RFC 2104), so a MAC costs two struct copies instead of two extra compressions. As
 * sensitive as the key: wipe with brk_hmac_pads_wipe (OPENSSL_cleanse; no heap involved). */
struct brk_hmac_pads {
    struct brk_sha256_state inner;
    struct brk_sha256_state outer;
};
void brk_hmac_pads_set(struct brk_hmac_pads *pads, const void *key, size_t keylen);
void brk_hmac_pads_wipe(struct brk_hmac_pads *pads);
/* HMAC(key, data) from the key's pads (left unchanged); scratch copies are wiped. */
void brk_hmac_pads_mac(const struct brk_hmac_pads *pads, const void *data, size_t n,
                       uint8_t out[32]);

#endif
