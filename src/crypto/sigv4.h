/*
 * crypto/sigv4.h - AWS Signature Version 4 for non-S3 services, both sides.
 *
 * The signer is a pure function of (request, time, credentials): it never reads the clock.
 * The same canonicalisation serves the client (signing) and the emulator (verifying), so a
 * shared mistake is caught only by the AWS vectors and by botocore/moto: keep them honest.
 *
 * URI rules (non-S3): `path` is the wire path exactly as sent (already percent-encoded, e.g.
 * "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke"). The canonical URI is that path
 * (normalised when normalize_path: "." and ".." removed, "//" collapsed) percent-encoded once
 * more: every byte outside A-Z a-z 0-9 - _ . ~ and '/' becomes %XX, so "%3A" becomes "%253A".
 */
#ifndef BRK_CRYPTO_SIGV4_H
#define BRK_CRYPTO_SIGV4_H

#include "../core/buf.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct brk_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

struct brk_sigv4_request {
    const char *method;               /* "GET", "POST" */
    const char *path;                 /* wire path, no query; "" means "/" */
    const char *query;                /* raw query after '?', or NULL/"" */
    const struct brk_header *headers; /* headers to sign; must include Host */
    size_t n_headers;
    const void *body; /* hashed unless payload_hash is set */
    size_t body_len;
    const char *payload_hash; /* 64 lowercase hex, or NULL to hash body */
};

struct brk_sigv4_params {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL or "" when none */
    const char *region;
    const char *service;
    time_t time_s;           /* signing time, UTC seconds */
    bool presign;            /* query-string auth instead of Authorization header */
    long expires_s;          /* X-Amz-Expires when presign (default 900 when 0) */
    bool no_normalize_path;  /* default: normalise */
    bool omit_session_token; /* token added after signing (not signed) */
    bool add_content_sha256; /* add+sign x-amz-content-sha256 (sign_body vectors) */
};

/* What the signer produces. All buffers owned; release with brk_sigv4_result_cleanup(). */
struct brk_sigv4_result {
    char amz_date[17];  /* YYYYMMDDTHHMMSSZ */
    char signature[65]; /* lowercase hex */
    struct brk_buf canonical_request;
    struct brk_buf string_to_sign;
    struct brk_buf authorization;   /* header value (header mode) */
    struct brk_buf signed_headers;  /* "host;x-amz-date" */
    struct brk_buf presigned_query; /* full query string incl. X-Amz-Signature (presign) */
    /* headers the caller must add to the request (header mode): X-Amz-Date always,
     * X-Amz-Security-Token when a token is present, x-amz-content-sha256 when asked. */
    char content_sha256[65]; /* the payload hash that was signed */
    void *md_ctx;            /* private: digest context reused across calls */
};

void brk_sigv4_result_init(struct brk_sigv4_result *res);
void brk_sigv4_result_cleanup(struct brk_sigv4_result *res);

BEDROCK_MUST_USE bedrock_code brk_sigv4_sign(const struct brk_sigv4_request *req,
                                             const struct brk_sigv4_params *params,
                                             struct brk_sigv4_result *out);

/* --- building blocks, shared with the emulator's verifier --- */

/* SigV4 URI-encode: unreserved bytes kept, others %XX upper-case; '/' kept iff keep_slash. */
BEDROCK_MUST_USE bedrock_code brk_uri_encode(struct brk_buf *out, const char *s, size_t n,
                                             bool keep_slash);
/* Percent-decode (no '+' handling unless plus_is_space). Fails on bad escapes. */
BEDROCK_MUST_USE bedrock_code brk_uri_decode(struct brk_buf *out, const char *s, size_t n,
                                             bool plus_is_space);
/* Canonical URI from a wire path (see top of file). */
BEDROCK_MUST_USE bedrock_code brk_sigv4_canonical_uri(struct brk_buf *out, const char *path,
                                                      bool normalize);
/* Canonical query string from a raw query (decode each key/value, re-encode, sort by key then
 * value). Parameters named in skip (NULL-terminated list, e.g. "X-Amz-Signature") are left out. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_canonical_query(struct brk_buf *out, const char *query,
                                                        const char *const *skip);
/* Canonical request given the exact list of signed header names (lowercase, ';'-separated, as
 * in an Authorization header). Every named header must be present in headers (case-insensitive;
 * repeated headers are joined with ','; values trimmed and inner runs of spaces folded). */
BEDROCK_MUST_USE bedrock_code brk_sigv4_canonical_request(
    struct brk_buf *out, const char *method, const char *path, const char *canonical_query,
    const struct brk_header *headers, size_t n_headers, const char *signed_headers,
    const char *payload_hash, bool normalize);
BEDROCK_MUST_USE bedrock_code brk_sigv4_string_to_sign(struct brk_buf *out, const char *amz_date,
                                                       const char *scope,
                                                       const struct brk_buf *canonical_request);
/* kSigning = HMAC chain over (date YYYYMMDD, region, service, "aws4_request"). Cached per
 * (secret, date, region, service); the cache wipes keys it drops. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_signing_key(const char *secret, const char *date8,
                                                    const char *region, const char *service,
                                                    uint8_t key[32]);
/* hex(HMAC-SHA256(key, string_to_sign)) into sig_hex[65]. */
void brk_sigv4_signature(const uint8_t key[32], const struct brk_buf *string_to_sign,
                         char sig_hex[65]);

/* Parsed "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=hex". Slices point into the input header value. */
struct brk_sigv4_auth {
    struct brk_slice access_key_id;
    struct brk_slice date; /* 8 chars */
    struct brk_slice region;
    struct brk_slice service;
    struct brk_slice signed_headers;
    struct brk_slice signature;
};
BEDROCK_MUST_USE bedrock_code brk_sigv4_parse_authorization(const char *value, size_t len,
                                                            struct brk_sigv4_auth *out);

/* Wire form of one path segment: every byte outside A-Z a-z 0-9 - _ . ~ becomes %XX, '/'
 * included, so a model id or ARN stays one segment ("a:b/c" -> "a%3Ab%2Fc"). Appends to out. */
BEDROCK_MUST_USE bedrock_code brk_sigv4_encode_path_segment(struct brk_buf *out, const char *s);

/* The same derivation as brk_sigv4_signing_key without touching the cache (tests, checks). */
BEDROCK_MUST_USE bedrock_code brk_sigv4_signing_key_uncached(const char *secret, const char *date8,
                                                             const char *region,
                                                             const char *service, uint8_t key[32]);
/* Wipe every cached signing key and reset the counters. */
void brk_sigv4_key_cache_clear(void);
/* Cache counters since the last clear; any pointer may be NULL. */
void brk_sigv4_key_cache_stats(unsigned long *hits, unsigned long *misses, size_t *entries);

/* hashing helpers over OpenSSL */
void brk_sha256_hex(const void *data, size_t n, char hex[65]);
void brk_sha256(const void *data, size_t n, uint8_t out[32]);
void brk_hmac_sha256(const void *key, size_t keylen, const void *data, size_t n, uint8_t out[32]);
void brk_hex_encode(const uint8_t *in, size_t n, char *out); /* out gets 2n+1 bytes */

/* Time helpers: "YYYYMMDDTHHMMSSZ" <-> time_t (UTC). */
void brk_amz_date(time_t t, char out[17]);
/* "YYYY-MM-DDTHH:MM:SSZ" (UTC), as AWS writes timestamps in XML and JSON. */
void brk_iso8601(time_t t, char out[21]);
BEDROCK_MUST_USE bedrock_code brk_parse_amz_date(const char *s, time_t *out);
/* ISO 8601 "2015-08-30T12:36:00Z" (fractional seconds and +00:00 accepted) -> time_t. */
BEDROCK_MUST_USE bedrock_code brk_parse_iso8601(const char *s, time_t *out);

#endif
