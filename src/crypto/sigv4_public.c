/*
 * crypto/sigv4_public.c - the public bedrock_sigv4_* API (include/bedrock/sigv4.h), a thin
 * layer over brk_sigv4_sign. Invariant: *out is filled only on success; the result buffers
 * are freed before return either way.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "sigv4.h"

#include <bedrock/sigv4.h>

#include <string.h>

#define PUBLIC_STACK_HEADERS 32

static bedrock_code sign_public(const struct bedrock_sigv4_request *req,
                                const struct bedrock_sigv4_config *cfg, bool presign,
                                struct bedrock_sigv4_output *out)
{
    if (req == NULL || cfg == NULL || out == NULL || (req->headers == NULL && req->n_headers > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_header stack_h[PUBLIC_STACK_HEADERS];
    struct brk_header *h = stack_h;
    struct brk_sigv4_result res;
    bedrock_code rc = BEDROCK_OK;
    brk_sigv4_result_init(&res);
    if (req->n_headers > PUBLIC_STACK_HEADERS) {
        h = brk_calloc(req->n_headers, sizeof(*h));
        if (h == NULL) {
            rc = BEDROCK_E_NOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < req->n_headers; i++) {
        const struct bedrock_header *src = &req->headers[i];
        if (src->name == NULL || src->value == NULL) {
            rc = BEDROCK_E_INVALID_ARG;
            goto out;
        }
        h[i] = (struct brk_header){ src->name, strlen(src->name), src->value, strlen(src->value) };
    }
    struct brk_sigv4_request r = { req->method,    req->path, req->query,    h,
                                   req->n_headers, req->body, req->body_len, NULL };
    struct brk_sigv4_params p = { 0 };
    p.access_key_id = cfg->access_key_id;
    p.secret_access_key = cfg->secret_access_key;
    p.session_token = cfg->session_token;
    p.region = cfg->region;
    p.service = cfg->service != NULL ? cfg->service : "bedrock";
    p.time_s = (time_t)cfg->time_s;
    p.presign = presign;
    p.expires_s = cfg->expires_s;
    p.add_content_sha256 = cfg->add_content_sha256;
    rc = brk_sigv4_sign(&r, &p, &res);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    struct bedrock_sigv4_output o;
    memset(&o, 0, sizeof(o));
    memcpy(o.amz_date, res.amz_date, sizeof(o.amz_date));
    memcpy(o.content_sha256, res.content_sha256, sizeof(o.content_sha256));
    struct brk_buf *src = presign ? &res.presigned_query : &res.authorization;
    char *s = brk_strndup(src->data, src->len);
    if (s == NULL) {
        rc = BEDROCK_E_NOMEM;
        goto out;
    }
    if (presign) {
        o.presigned_query = s;
    } else {
        o.authorization = s;
    }
    *out = o;
out:
    if (h != stack_h) {
        brk_free(h);
    }
    brk_sigv4_result_cleanup(&res);
    return rc;
}

bedrock_code bedrock_sigv4_sign_headers(const struct bedrock_sigv4_request *req,
                                        const struct bedrock_sigv4_config *cfg,
                                        struct bedrock_sigv4_output *out)
{
    return sign_public(req, cfg, false, out);
}

bedrock_code bedrock_sigv4_presign(const struct bedrock_sigv4_request *req,
                                   const struct bedrock_sigv4_config *cfg,
                                   struct bedrock_sigv4_output *out)
{
    return sign_public(req, cfg, true, out);
}

void bedrock_sigv4_output_cleanup(struct bedrock_sigv4_output *out)
{
    if (out == NULL) {
        return;
    }
    brk_secret_free(out->authorization);
    brk_secret_free(out->presigned_query);
    memset(out, 0, sizeof(*out));
}

bedrock_code bedrock_sigv4_encode_path_segment(const char *segment, char **out)
{
    if (segment == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_buf b = BRK_BUF(BRK_MAX_URL_BYTES);
    bedrock_code rc = brk_sigv4_encode_path_segment(&b, segment);
    if (rc == BEDROCK_OK) {
        rc = brk_buf_take(&b, out, NULL);
    }
    brk_buf_cleanup(&b);
    return rc;
}

void bedrock_sigv4_string_free(char *s)
{
    brk_free(s);
}
