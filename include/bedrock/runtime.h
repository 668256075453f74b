/*
 * runtime.h - Bedrock runtime: InvokeModel, InvokeModelWithResponseStream, Converse,
 * ConverseStream, CountTokens.
 *
 * Model ids may be plain ids, foundation-model ARNs, inference-profile ids (eu., us., apac.,
 * global., ...) or ARNs; the library encodes them as one path segment. Streams deliver events to
 * a callback as they arrive; an in-stream exception becomes a typed error; a stream that ends
 * without its final event is BEDROCK_E_STREAM_TRUNCATED, never a success.
 */
#ifndef BEDROCK_RUNTIME_H
#define BEDROCK_RUNTIME_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bedrock_usage {
    long input_tokens; /* -1 when unknown */
    long output_tokens;
    long latency_ms;      /* invocation latency reported by the service */
    long first_byte_ms;   /* first byte / first token latency, -1 when unknown */
    char stop_reason[64]; /* "end_turn", "max_tokens", ... ("" when unknown) */
};

/* InvokeModel: body is the model's native JSON. *out_body (malloc'd, NUL-terminated, free with
 * bedrock_free) receives the response body. */
struct bedrock_invoke_request {
    const char *model_id;
    const void *body;
    size_t body_len;
    const char *content_type; /* default application/json */
    const char *accept;       /* default application/json */
};
struct bedrock_invoke_response {
    char *body;
    size_t body_len;
    char content_type[128];
    struct bedrock_usage usage; /* from x-amzn-bedrock-* headers */
    char request_id[96];
};
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_runtime_invoke(struct bedrock_client *client, const struct bedrock_invoke_request *req,
                       struct bedrock_invoke_response *out, struct bedrock_error *err);
BEDROCK_API void bedrock_invoke_response_cleanup(struct bedrock_invoke_response *resp);

/* Streamed events. For InvokeModelWithResponseStream each event is one decoded `chunk`
 * (json = the model's own event JSON, e.g. Anthropic content_block_delta); for ConverseStream
 * json = the event payload and type = messageStart | contentBlockStart | contentBlockDelta |
 * contentBlockStop | messageStop | metadata. text/text_len = the text delta when the event
 * carries one (else NULL/0). All pointers valid only during the callback. Return non-OK to stop.
 */
struct bedrock_stream_event {
    const char *type;
    const char *json;
    size_t json_len;
    const char *text;
    size_t text_len;
};
typedef bedrock_code bedrock_stream_fn(void *ctx, const struct bedrock_stream_event *ev);

BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_runtime_invoke_stream(
    struct bedrock_client *client, const struct bedrock_invoke_request *req,
    bedrock_stream_fn *on_event, void *ctx, struct bedrock_usage *usage, struct bedrock_error *err);

/* Converse: a simple text conversation. messages alternate user/assistant. */
struct bedrock_message {
    const char *role; /* "user" | "assistant" */
    const char *text;
};
struct bedrock_converse_request {
    const char *model_id;
    const char *system; /* NULL for none */
    const struct bedrock_message *messages;
    size_t n_messages;
    int max_tokens;       /* 0 = service default */
    double temperature;   /* < 0 = unset */
    const char *raw_json; /* optional: full Converse request JSON instead */
};
struct bedrock_converse_response {
    char *text;     /* assistant text (malloc'd) */
    char *raw_json; /* the whole response JSON (malloc'd) */
    struct bedrock_usage usage;
};
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_runtime_converse(struct bedrock_client *client, const struct bedrock_converse_request *req,
                         struct bedrock_converse_response *out, struct bedrock_error *err);
BEDROCK_API void bedrock_converse_response_cleanup(struct bedrock_converse_response *resp);
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_runtime_converse_stream(
    struct bedrock_client *client, const struct bedrock_converse_request *req,
    bedrock_stream_fn *on_event, void *ctx, struct bedrock_usage *usage, struct bedrock_error *err);

/* CountTokens for an InvokeModel body (the model's native JSON). */
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_runtime_count_tokens(struct bedrock_client *client, const char *model_id, const void *body,
                             size_t body_len, long *input_tokens, struct bedrock_error *err);

/* When a call fails because the model needs an inference profile (on-demand not supported),
 * err->code is BEDROCK_E_NEEDS_PROFILE and err->hint names the profile for the client's region.
 * With auto_profile set, the runtime calls retry once through that profile. */
BEDROCK_API void bedrock_client_set_auto_profile(struct bedrock_client *client, bool on);

BEDROCK_API void bedrock_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
