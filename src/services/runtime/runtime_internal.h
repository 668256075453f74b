/*
 * services/runtime/runtime_internal.h - the one path every bedrock-runtime operation takes:
 * POST /model/<model id as ONE encoded path segment>/<op>, signed for "bedrock" (or Bearer),
 * with the needs-an-inference-profile detection (and, with auto_profile, one retry through the
 * profile) and model-aware hints.
 */
#ifndef BRK_SERVICES_RUNTIME_INTERNAL_H
#define BRK_SERVICES_RUNTIME_INTERNAL_H

#include "../client_internal.h"
#include "stream.h"

struct brk_rt_call {
    const char *model_id;
    const char *op; /* "invoke", "invoke-with-response-stream", "converse", ... */
    const void *body;
    size_t body_len;
    const char *content_type;   /* default application/json */
    const char *accept;         /* default application/json */
    const char *bedrock_accept; /* X-Amzn-Bedrock-Accept (streaming invoke), or NULL */
    brk_http_data_fn *on_data;
    void *ctx;
};

/* "/model/<enc>/<op>" into out. */
BEDROCK_MUST_USE bedrock_code brk_runtime_path(struct brk_buf *out, const char *model_id,
                                               const char *op);
/* resp must be initialised by the caller. On E_NEEDS_PROFILE err->hint names the profile. */
BEDROCK_MUST_USE bedrock_code brk_runtime_call(struct bedrock_client *client,
                                               const struct brk_rt_call *rc,
                                               struct brk_http_response *resp,
                                               struct bedrock_error *err);
/* A streaming call (invoke-with-response-stream / converse-stream) through the pipeline; fails
 * with the pipeline's error (exception frame, CRC, E_STREAM_TRUNCATED) when it has one. */
BEDROCK_MUST_USE bedrock_code brk_runtime_stream(
    struct bedrock_client *client, enum brk_stream_kind kind, const struct brk_rt_call *base,
    bedrock_stream_fn *on_event, void *ctx, struct bedrock_usage *usage, struct bedrock_error *err);

#endif
