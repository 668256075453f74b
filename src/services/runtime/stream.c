/*
 * services/runtime/stream.c - the event pipeline: frames from the event-stream decoder are
 * classified by :message-type (event | exception | error), then handled by kind.
 *
 *   invoke:   chunk payload {"bytes":"<b64>","p":"pad"} -> base64 -> model event JSON
 *             Anthropic: content_block_delta/text_delta -> text; message_start -> input tokens;
 *             message_delta -> stop_reason, output tokens; message_stop -> final (+ metrics).
 *             Others (Titan, Llama, Mistral, Nova): outputText | generation | completion |
 *             contentBlockDelta.delta.text; amazon-bedrock-invocationMetrics marks the end.
 *   converse: :event-type names the event; contentBlockDelta.delta.text -> text;
 *             messageStop -> stopReason; metadata -> usage + metrics.latencyMs.
 *
 * Hot path (one per token) uses jscan only: no allocation after the scratch buffers grow.
 */
#include "stream.h"

#include "core/base64.h"
#include "core/errors.h"
#include "core/limits.h"
#include "jscan.h"

#include <stdio.h>
#include <string.h>

static void usage_reset(struct bedrock_usage *u)
{
    memset(u, 0, sizeof(*u));
    u->input_tokens = -1;
    u->output_tokens = -1;
    u->latency_ms = -1;
    u->first_byte_ms = -1;
}

/* Optional numeric member path "a.b" helpers: leave *out alone when absent. */
static void get_long(struct brk_slice obj, const char *key, long *out)
{
    struct brk_slice v;
    long x = 0;
    if (brk_jscan_member(obj, key, &v) == BEDROCK_OK && brk_jscan_long(v, &x) == BEDROCK_OK) {
        *out = x;
    }
}

static bool get_obj(struct brk_slice obj, const char *key, struct brk_slice *out)
{
    return brk_jscan_member(obj, key, out) == BEDROCK_OK && out->len > 0 && out->ptr[0] == '{';
}

static void get_str(struct brk_slice obj, const char *key, char *out, size_t outlen)
{
    struct brk_slice v, raw;
    bool esc = false;
    if (brk_jscan_member(obj, key, &v) != BEDROCK_OK ||
        brk_jscan_string_raw(v, &raw, &esc) != BEDROCK_OK) {
        return;
    }
    snprintf(out, outlen, "%.*s", (int)raw.len, raw.ptr);
}

static void set_type(struct brk_stream *s, struct brk_slice t)
{
    size_t n = t.len < sizeof(s->type) - 1 ? t.len : sizeof(s->type) - 1;
    memcpy(s->type, t.ptr, n);
    s->type[n] = '\0';
}

static bedrock_code fail(struct brk_stream *s, bedrock_code code, const char *what)
{
    if (s->err.code == BEDROCK_OK) {
        bedrock_error_set(&s->err, code, "event stream: %s", what);
    }
    return code;
}

/* Text member (raw JSON string) -> s->text. */
static bedrock_code take_text(struct brk_stream *s, struct brk_slice v)
{
    brk_buf_reset(&s->text);
    if (brk_jscan_unescape(v, &s->text) != BEDROCK_OK) {
        return fail(s, BEDROCK_E_PARSE, "malformed text in a delta event");
    }
    return BEDROCK_OK;
}

static void invocation_metrics(struct brk_stream *s, struct brk_slice ev)
{
    struct brk_slice m;
    if (!get_obj(ev, "amazon-bedrock-invocationMetrics", &m)) {
        return;
    }
    get_long(m, "inputTokenCount", &s->usage.input_tokens);
    get_long(m, "outputTokenCount", &s->usage.output_tokens);
    get_long(m, "invocationLatency", &s->usage.latency_ms);
    get_long(m, "firstByteLatency", &s->usage.first_byte_ms);
    s->saw_final = true;
}

static bedrock_code deliver(struct brk_stream *s, struct brk_slice json, bool has_text)
{
    struct bedrock_stream_event ev = { s->type, json.ptr, json.len, NULL, 0 };
    if (has_text) {
        ev.text = s->text.data != NULL ? s->text.data : "";
        ev.text_len = s->text.len;
    }
    s->n_events++;
    if (s->on_event == NULL) {
        return BEDROCK_OK;
    }
    bedrock_code rc = s->on_event(s->ctx, &ev);
    if (rc != BEDROCK_OK) {
        return fail(s, rc, "stopped by the event callback");
    }
    return BEDROCK_OK;
}

/* Anthropic Messages events. */
static bedrock_code anthropic_event(struct brk_stream *s, struct brk_slice ev, struct brk_slice t)
{
    struct brk_slice d, u, v;
    bool has_text = false;
    if (brk_jscan_str_is(t, "content_block_delta")) {
        if (get_obj(ev, "delta", &d) && brk_jscan_member(d, "text", &v) == BEDROCK_OK) {
            bedrock_code rc = take_text(s, v);
            if (rc != BEDROCK_OK) {
                return rc;
            }
            has_text = true;
        }
    } else if (brk_jscan_str_is(t, "message_start")) {
        if (get_obj(ev, "message", &d) && get_obj(d, "usage", &u)) {
            get_long(u, "input_tokens", &s->usage.input_tokens);
        }
    } else if (brk_jscan_str_is(t, "message_delta")) {
        if (get_obj(ev, "delta", &d)) {
            get_str(d, "stop_reason", s->usage.stop_reason, sizeof(s->usage.stop_reason));
        }
        if (get_obj(ev, "usage", &u)) {
            get_long(u, "output_tokens", &s->usage.output_tokens);
        }
    } else if (brk_jscan_str_is(t, "message_stop")) {
        s->saw_final = true;
    } else if (brk_jscan_str_is(t, "error")) {
        struct brk_slice e;
        char msg[512] = "the model reported an error";
        if (get_obj(ev, "error", &e)) {
            get_str(e, "message", msg, sizeof(msg));
        }
        bedrock_error_set(&s->err, BEDROCK_E_MODEL, "%s", msg);
        return BEDROCK_E_MODEL;
    }
    invocation_metrics(s, ev);
    return deliver(s, ev, has_text);
}

/* Non-Anthropic chunk formats: the text member is one of a few names. */
static bedrock_code other_event(struct brk_stream *s, struct brk_slice ev)
{
    static const char *const text_keys[] = { "outputText", "generation", "completion", NULL };
    struct brk_slice v, d;
    bool has_text = false;
    snprintf(s->type, sizeof(s->type), "chunk");
    for (size_t i = 0; text_keys[i] != NULL && !has_text; i++) {
        if (brk_jscan_member(ev, text_keys[i], &v) == BEDROCK_OK && v.len > 0 && v.ptr[0] == '"') {
            bedrock_code rc = take_text(s, v);
            if (rc != BEDROCK_OK) {
                return rc;
            }
            has_text = true;
        }
    }
    if (!has_text && get_obj(ev, "contentBlockDelta", &d) && get_obj(d, "delta", &d) &&
        brk_jscan_member(d, "text", &v) == BEDROCK_OK) {
        bedrock_code rc = take_text(s, v);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        has_text = true;
    }
    get_str(ev, "stop_reason", s->usage.stop_reason, sizeof(s->usage.stop_reason));
    get_str(ev, "completionReason", s->usage.stop_reason, sizeof(s->usage.stop_reason));
    invocation_metrics(s, ev);
    return deliver(s, ev, has_text);
}

static bedrock_code invoke_chunk(struct brk_stream *s, struct brk_slice payload)
{
    struct brk_slice v, raw, t;
    bool esc = false;
    if (brk_jscan_member(payload, "bytes", &v) != BEDROCK_OK ||
        brk_jscan_string_raw(v, &raw, &esc) != BEDROCK_OK) {
        return fail(s, BEDROCK_E_PARSE, "chunk event without a \"bytes\" string");
    }
    brk_buf_reset(&s->decoded);
    bedrock_code rc;
    if (esc) {
        /* base64 has no escapes unless an encoder wrote "\/": unescape first */
        brk_buf_reset(&s->text);
        rc = brk_jscan_unescape(v, &s->text);
        if (rc == BEDROCK_OK) {
            rc = brk_base64_decode(&s->decoded, s->text.data, s->text.len);
        }
    } else {
        rc = brk_base64_decode(&s->decoded, raw.ptr, raw.len);
    }
    if (rc != BEDROCK_OK) {
        return fail(s, rc == BEDROCK_E_NOMEM ? rc : BEDROCK_E_PARSE,
                    "chunk \"bytes\" is not valid base64");
    }
    struct brk_slice ev = brk_buf_slice(&s->decoded);
    rc = brk_jscan_member(ev, "type", &t);
    if (rc == BEDROCK_E_PARSE) {
        return fail(s, BEDROCK_E_PARSE, "chunk bytes are not a JSON object");
    }
    if (rc == BEDROCK_OK && t.len >= 2 && t.ptr[0] == '"') {
        set_type(s, (struct brk_slice){ t.ptr + 1, t.len - 2 });
        return anthropic_event(s, ev, t);
    }
    return other_event(s, ev);
}

static bedrock_code converse_event(struct brk_stream *s, struct brk_slice payload)
{
    struct brk_slice d, v, u;
    bool has_text = false;
    if (strcmp(s->type, "contentBlockDelta") == 0) {
        if (get_obj(payload, "delta", &d) && brk_jscan_member(d, "text", &v) == BEDROCK_OK) {
            bedrock_code rc = take_text(s, v);
            if (rc != BEDROCK_OK) {
                return rc;
            }
            has_text = true;
        }
    } else if (strcmp(s->type, "messageStop") == 0) {
        get_str(payload, "stopReason", s->usage.stop_reason, sizeof(s->usage.stop_reason));
        s->saw_stop = true;
    } else if (strcmp(s->type, "metadata") == 0) {
        if (get_obj(payload, "usage", &u)) {
            get_long(u, "inputTokens", &s->usage.input_tokens);
            get_long(u, "outputTokens", &s->usage.output_tokens);
        }
        if (get_obj(payload, "metrics", &u)) {
            get_long(u, "latencyMs", &s->usage.latency_ms);
        }
        s->saw_metadata = true;
    }
    if (brk_jscan_member(payload, "p", &v) == BEDROCK_E_PARSE) {
        return fail(s, BEDROCK_E_PARSE, "event payload is not a JSON object");
    }
    return deliver(s, payload, has_text);
}

static bedrock_code header_str(const struct brk_es_message *m, const char *name,
                               struct brk_slice *out)
{
    const struct brk_es_header *h = brk_es_find_header(m, name);
    if (h == NULL || h->type != BRK_ES_STRING) {
        return BEDROCK_E_NOT_FOUND;
    }
    *out = h->bytes;
    return BEDROCK_OK;
}

/* :message-type exception (modeled) or error (unmodeled). */
static bedrock_code exception_frame(struct brk_stream *s, const struct brk_es_message *m,
                                    bool modeled)
{
    struct brk_slice type = BRK_SLICE_LIT("UnknownError"), msg = BRK_SLICE_LIT("");
    struct brk_slice v;
    char code[96], text[1024];
    if (modeled) {
        (void)header_str(m, ":exception-type", &type);
    } else {
        (void)header_str(m, ":error-code", &type);
        (void)header_str(m, ":error-message", &msg);
    }
    snprintf(code, sizeof(code), "%.*s", (int)type.len, type.ptr);
    snprintf(text, sizeof(text), "%.*s", (int)msg.len, msg.ptr);
    if (brk_jscan_member(m->payload, "message", &v) == BEDROCK_OK ||
        brk_jscan_member(m->payload, "Message", &v) == BEDROCK_OK) {
        brk_buf_reset(&s->text);
        if (brk_jscan_unescape(v, &s->text) == BEDROCK_OK && s->text.data != NULL) {
            snprintf(text, sizeof(text), "%s", s->text.data);
        }
    }
    bedrock_code rc = brk_error_from_aws(0, code);
    if (rc == BEDROCK_E_AWS || rc == BEDROCK_E_VALIDATION || rc == BEDROCK_OK) {
        rc = rc == BEDROCK_E_VALIDATION ? rc : BEDROCK_E_STREAM_ERROR;
    }
    bedrock_error_set(&s->err, rc, "%s", text[0] != '\0' ? text : "the stream reported an error");
    snprintf(s->err.aws_code, sizeof(s->err.aws_code), "%s", code);
    return rc;
}

static bedrock_code on_message(void *ctx, const struct brk_es_message *m)
{
    struct brk_stream *s = ctx;
    struct brk_slice mt, et;
    if (header_str(m, ":message-type", &mt) != BEDROCK_OK) {
        return fail(s, BEDROCK_E_PROTOCOL, "frame without :message-type");
    }
    if (brk_slice_eq_str(mt, "exception")) {
        return exception_frame(s, m, true);
    }
    if (brk_slice_eq_str(mt, "error")) {
        return exception_frame(s, m, false);
    }
    if (!brk_slice_eq_str(mt, "event")) {
        return BEDROCK_OK; /* unknown message types are skipped, as the SDKs do */
    }
    if (header_str(m, ":event-type", &et) != BEDROCK_OK) {
        return fail(s, BEDROCK_E_PROTOCOL, "event frame without :event-type");
    }
    if (s->kind == BRK_STREAM_INVOKE) {
        if (!brk_slice_eq_str(et, "chunk")) {
            return BEDROCK_OK; /* e.g. initial-response */
        }
        return invoke_chunk(s, m->payload);
    }
    set_type(s, et);
    return converse_event(s, m->payload);
}

bedrock_code brk_stream_init(struct brk_stream *s, enum brk_stream_kind kind,
                             bedrock_stream_fn *on_event, void *ctx)
{
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->on_event = on_event;
    s->ctx = ctx;
    brk_buf_init(&s->decoded, BRK_MAX_ES_FRAME);
    brk_buf_init(&s->text, BRK_MAX_ES_FRAME);
    usage_reset(&s->usage);
    return brk_es_decoder_new(on_message, s, &s->dec);
}

void brk_stream_cleanup(struct brk_stream *s)
{
    brk_es_decoder_free(s->dec);
    s->dec = NULL;
    brk_buf_cleanup(&s->decoded);
    brk_buf_cleanup(&s->text);
}

bedrock_code brk_stream_feed(struct brk_stream *s, const void *p, size_t n)
{
    if (s->failed) {
        return s->err.code != BEDROCK_OK ? s->err.code : BEDROCK_E_STATE;
    }
    bedrock_code rc = brk_es_feed(s->dec, p, n);
    if (rc == BEDROCK_OK) {
        return BEDROCK_OK;
    }
    s->failed = true;
    if (s->err.code == BEDROCK_OK) {
        /* the decoder failed on its own (CRC, framing, size) */
        bedrock_error_set(&s->err, rc, "event stream: %s", brk_es_decoder_error(s->dec));
    }
    return s->err.code;
}

bedrock_code brk_stream_on_data(void *ctx, const void *p, size_t n)
{
    return brk_stream_feed(ctx, p, n);
}

bedrock_code brk_stream_finish(struct brk_stream *s)
{
    if (s->failed) {
        return s->err.code;
    }
    bool complete = s->kind == BRK_STREAM_INVOKE ? s->saw_final : (s->saw_stop && s->saw_metadata);
    if (!brk_es_decoder_idle(s->dec)) {
        bedrock_error_set(&s->err, BEDROCK_E_STREAM_TRUNCATED,
                          "the response stream ended in the middle of a frame after %lu events",
                          s->n_events);
    } else if (!complete) {
        bedrock_error_set(&s->err, BEDROCK_E_STREAM_TRUNCATED,
                          "the response stream ended after %lu events without its final event "
                          "(%s)",
                          s->n_events,
                          s->kind == BRK_STREAM_INVOKE ? "message_stop" : "messageStop+metadata");
    } else {
        return BEDROCK_OK;
    }
    s->failed = true;
    return s->err.code;
}
