/*
 * bedrock/sigv4.h - AWS Signature Version 4 for library users who send their own HTTP.
 *
 * Sign a request with an Authorization header, or presign it as a URL. The signer is a pure
 * function of its inputs: the signing time is an argument, never read from the clock.
 * `path` is the wire path exactly as it will be sent; build model-id segments with
 * bedrock_sigv4_encode_path_segment() so "anthropic.claude-v2:1" travels as
 * "anthropic.claude-v2%3A1". Outputs are heap strings; release them with
 * bedrock_sigv4_output_cleanup(), which also wipes them.
 */
#ifndef BEDROCK_SIGV4_H
#define BEDROCK_SIGV4_H

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bedrock_header {
    const char *name;
    const char *value;
};

struct bedrock_sigv4_request {
    const char *method;                   /* "POST" */
    const char *path;                     /* wire path, e.g. "/model/<encoded-id>/invoke" */
    const char *query;                    /* raw query without '?', or NULL */
    const struct bedrock_header *headers; /* headers to sign; must include Host */
    size_t n_headers;
    const void *body;
    size_t body_len;
};

/* All-zero fields = defaults. */
struct bedrock_sigv4_config {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL when none */
    const char *region;        /* "eu-central-1" */
    const char *service;       /* default "bedrock" */
    int64_t time_s;            /* signing time, UTC seconds since the epoch */
    long expires_s;            /* presign only; default 900 */
    bool add_content_sha256;   /* also sign an x-amz-content-sha256 header */
};

struct bedrock_sigv4_output {
    char amz_date[17];       /* value for the X-Amz-Date header (header mode) */
    char content_sha256[65]; /* payload hash that was signed */
    char *authorization;     /* Authorization header value (header mode), else NULL */
    char *presigned_query;   /* full query string incl. X-Amz-Signature (presign), else NULL */
};

/* Header mode: the caller then sends X-Amz-Date: out->amz_date, X-Amz-Security-Token when a
 * token was given, x-amz-content-sha256 when asked, and Authorization: out->authorization. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_sigv4_sign_headers(
    const struct bedrock_sigv4_request *req, const struct bedrock_sigv4_config *cfg,
    struct bedrock_sigv4_output *out);
/* Presign: the caller sends "<path>?<out->presigned_query>" with the signed headers. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_sigv4_presign(const struct bedrock_sigv4_request *req,
                      const struct bedrock_sigv4_config *cfg, struct bedrock_sigv4_output *out);
BEDROCK_API void bedrock_sigv4_output_cleanup(struct bedrock_sigv4_output *out);

/* Percent-encode one path segment ('/' and ':' included) into a new string (free()-able with
 * bedrock_sigv4_string_free). */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_sigv4_encode_path_segment(const char *segment,
                                                                            char **out);
BEDROCK_API void bedrock_sigv4_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif
