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

/* SHA-256 over the concatenation of up to two pieces (b may be NULL). false on failure. */
bool brk_sha256_ctx2(EVP_MD_CTX *ctx, const void *a, size_t na, const void *b, size_t nb,
                     uint8_t out[32]);
/* HMAC-SHA256 (RFC 2104) built on the EVP digest. false on failure; out untouched then. */
bool brk_hmac_sha256_ctx(EVP_MD_CTX *ctx, const void *key, size_t keylen, const void *data,
                         size_t n, uint8_t out[32]);

#endif
