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

/* The signing key's HMAC pad states (hash_internal.h) copied into pads from the key cache; on
 * a miss the key is derived with ctx, cached, and the pads computed. The caller wipes pads. */
struct brk_hmac_pads;
BEDROCK_MUST_USE bedrock_code brk_sigv4_signing_pads_ctx(EVP_MD_CTX *ctx,
                                                         struct brk_hmac_pads *pads,
                                                         const char *secret, const char *date8,
                                                         const char *region, const char *service);

/* The signer's canonical request: headers hdrs[order[0..n)] sorted by lower-case name (stable,
 * so repeated headers keep their order); query is the canonical query (query_len bytes). */
struct brk_sign_canon {
    const char *method;
    const char *path;
    bool normalize;
    const char *query;
    size_t query_len;
    const struct brk_header *hdrs;
    const size_t *order;
    size_t n;
    const char *payload_hash;
};
/* Appends the signed-header list ("host;x-amz-date") to sh. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_sign_signed_headers(struct brk_buf *sh,
                                                            const struct brk_sign_canon *in);
/* Appends the canonical request to cr, given the list brk_sigv4_sign_signed_headers made. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_sign_canonical(struct brk_buf *cr,
                                                       const struct brk_sign_canon *in,
                                                       const struct brk_buf *sh);

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

/* sign_canon.c: a header value trimmed, inner whitespace runs folded to one space, written at
 * p (room for n bytes); returns the end. Shared by both canonicalisers. */
char *brk_sigv4_put_folded(char *p, const char *v, size_t n);

#endif
