/*
 * crypto/sigv4_internal.h - pieces shared between the crypto/ files only.
 */
#ifndef BRK_CRYPTO_SIGV4_INTERNAL_H
#define BRK_CRYPTO_SIGV4_INTERNAL_H

#include "sigv4.h"

#include <openssl/evp.h>

#define BRK_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

/* brk_sigv4_string_to_sign with a caller-kept digest context (ctx may not be NULL). */
BEDROCK_MUST_USE bedrock_code brk_sigv4_sts_ctx(EVP_MD_CTX *ctx, struct brk_buf *out,
                                                const char *amz_date, const char *scope,
                                                const struct brk_buf *canonical_request);

/* The signing key, using ctx for the HMAC chain on a cache miss. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_signing_key_ctx(EVP_MD_CTX *ctx, const char *secret,
                                                        const char *date8, const char *region,
                                                        const char *service, uint8_t key[32]);

/* True for a byte SigV4 leaves unencoded (A-Z a-z 0-9 - _ . ~). Inline: the encoders call
 * it once per byte. */
extern const uint8_t brk_sigv4_unreserved_table[256];
static inline bool brk_sigv4_unreserved(unsigned char c)
{
    return brk_sigv4_unreserved_table[c] != 0;
}

/* Appends the NULL-terminated list of strings in one reservation (no printf on the hot path).
 * On failure b is unchanged. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_append_all(struct brk_buf *b, const char *const *parts);

#endif
