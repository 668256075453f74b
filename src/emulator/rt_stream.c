/*
 * emulator/rt_stream.c - the event-stream replies of InvokeModelWithResponseStream and
 * ConverseStream, paced by --first-token-ms / --tokens-per-second, with in-stream faults.
 *
 * Event sequences (n = emitted tokens):
 *   Invoke (Anthropic): message_start, content_block_start, content_block_delta x n,
 *     content_block_stop, message_delta, message_stop (+ amazon-bedrock-invocationMetrics);
 *     each a "chunk" event whose payload is {"bytes": base64(event JSON), "p": padding}.
 *   Invoke (other providers): one chunk holding the whole response + invocation metrics.
 *   Converse: messageStart, contentBlockDelta x n, contentBlockStop, messageStop, metadata.
 * Timing: events up to the first delta are due at first_token_ms; delta k at first_token_ms +
 *   k * 1000 / tokens_per_second; later events with the last delta. One repeating timer
 *   (emu_stream_schedule) ticks and sends everything that is due.
 * Faults (x-emulator-fault, comma list): stream-exception=<type>@N sends N events then an
 *   exception frame and ends; drop@N aborts the connection after N events; bad-crc@N corrupts
 *   the message CRC of event N (0-based, so N good events precede it); stall@N stops after N
 *   events and keeps the connection open until the client goes away.
 * Lifetime: the context is freed exactly once: by on_tick right after emu_stream_end() /
 *   emu_stream_abort() (which clear on_close and may free the request, so st->req is not used
 *   after them), or by on_close when the client goes away first (including after a stall).
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "emulator/rt.h"
#include "eventstream/eventstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum fault_kind { F_NONE, F_EXCEPTION, F_DROP, F_BADCRC, F_STALL };

struct rt_stream {
    struct emu_request *req;
    struct rt_call call;
    struct emu_sim sim;
    size_t next; /* next event index; n_events + 1 once stalled */
    size_t n_events;
    long start_ms;
    long first_byte_ms; /* -1 until the first event is written */
    enum fault_kind fault;
    long fault_at;
    char exc[40];
    char req_id[40];
    bool invoke;
    bool anthropic;
    bool drop_armed; /* drop: the events before it were given time to reach the socket */
};

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool fault_kind_of(struct rt_stream *st, const char *name)
{
    static const char *const excs[] = { "throttlingException", "modelStreamErrorException",
                                        "validationException", "internalServerException",
                                        "serviceUnavailableException" };
    if (strncmp(name, "stream-exception=", 17) == 0) {
        for (size_t i = 0; i < sizeof(excs) / sizeof(excs[0]); i++) {
            if (strcmp(name + 17, excs[i]) == 0) {
                st->fault = F_EXCEPTION;
                snprintf(st->exc, sizeof(st->exc), "%s", excs[i]);
                return true;
            }
        }
        return false;
    }
    static const struct {
        const char *name;
        enum fault_kind kind;
    } kinds[] = { { "drop", F_DROP }, { "bad-crc", F_BADCRC }, { "stall", F_STALL } };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(name, kinds[i].name) == 0) {
            st->fault = kinds[i].kind;
            return true;
        }
    }
    return false;
}

static void parse_faults(struct rt_stream *st, const char *spec)
{
    char item[128];
    const char *p = spec;
    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        const char *start = p;
        p = comma != NULL ? comma + 1 : NULL;
        if (len >= sizeof(item)) {
            continue;
        }
        memcpy(item, start, len);
        item[len] = '\0';
        char *at = strrchr(item, '@');
        if (at == NULL) {
            continue;
        }
        *at = '\0';
        char *end = NULL;
        long n = strtol(at + 1, &end, 10);
        if (end == at + 1 || *end != '\0' || n < 0) {
            continue;
        }
        if (fault_kind_of(st, item)) {
            st->fault_at = n;
        }
    }
}

static void pad(json_t *o, size_t idx)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t len = 10 + (idx * 13 + 7) % 50;
    json_object_set_new(o, "p", json_stringn(alpha, len));
}

/* One frame with three string headers (names[i]: values[i]). */
static bool write_frame(struct rt_stream *st, const char *const names[3],
                        const char *const values[3], const char *payload, bool corrupt)
{
    struct brk_es_header h[3];
    struct brk_buf out = BRK_BUF(1024 * 1024);
    memset(h, 0, sizeof(h));
    for (int i = 0; i < 3; i++) {
        h[i].name = brk_slice_str(names[i]);
        h[i].type = BRK_ES_STRING;
        h[i].bytes = brk_slice_str(values[i]);
    }
    bool ok = brk_es_encode(&out, h, 3, payload, strlen(payload)) == BEDROCK_OK;
    if (ok) {
        if (corrupt) {
            out.data[out.len - 1] = (char)(out.data[out.len - 1] ^ 0x5a);
        }
        emu_stream_write(st->req, out.data, out.len);
        if (st->first_byte_ms < 0) {
            st->first_byte_ms = mono_ms() - st->start_ms;
        }
    }
    brk_buf_cleanup(&out);
    return ok;
}

static long elapsed(const struct rt_stream *st)
{
    long e = mono_ms() - st->start_ms;
    return e > 0 ? e : 1;
}

static json_t *token_text(const struct emu_sim *s, size_t k)
{
    return json_stringn(s->reply.data + s->tok_off[k], s->tok_off[k + 1] - s->tok_off[k]);
}

/* The Anthropic event JSON for event index i of an Invoke stream. */
static json_t *anthropic_event(struct rt_stream *st, size_t i)
{
    const struct emu_sim *s = &st->sim;
    size_t n = s->n_tokens;
    if (i == 0) {
        json_t *body = rt_invoke_body(&st->call, s, st->req_id);
        json_object_set_new(body, "content", json_array());
        json_object_set_new(body, "stop_reason", json_null());
        json_object_set_new(json_object_get(body, "usage"), "output_tokens", json_integer(1));
        return json_pack("{s:s,s:o}", "type", "message_start", "message", body);
    }
    if (i == 1) {
        return json_pack("{s:s,s:i,s:{s:s,s:s}}", "type", "content_block_start", "index", 0,
                         "content_block", "type", "text", "text", "");
    }
    if (i < 2 + n) {
        return json_pack("{s:s,s:i,s:{s:s,s:o}}", "type", "content_block_delta", "index", 0,
                         "delta", "type", "text_delta", "text", token_text(s, i - 2));
    }
    if (i == 2 + n) {
        return json_pack("{s:s,s:i}", "type", "content_block_stop", "index", 0);
    }
    if (i == 3 + n) {
        return json_pack("{s:s,s:{s:s,s:n},s:{s:I}}", "type", "message_delta", "delta",
                         "stop_reason", s->hit_max ? "max_tokens" : "end_turn", "stop_sequence",
                         "usage", "output_tokens", (json_int_t)n);
    }
    long lat = elapsed(st);
    return json_pack("{s:s,s:{s:I,s:I,s:I,s:I}}", "type", "message_stop",
                     "amazon-bedrock-invocationMetrics", "inputTokenCount",
                     (json_int_t)s->input_tokens, "outputTokenCount", (json_int_t)n,
                     "invocationLatency", (json_int_t)lat, "firstByteLatency",
                     (json_int_t)(st->first_byte_ms >= 0 ? st->first_byte_ms : lat));
}

static json_t *converse_event(struct rt_stream *st, size_t i, const char **type)
{
    const struct emu_sim *s = &st->sim;
    size_t n = s->n_tokens;
    if (i == 0) {
        *type = "messageStart";
        return json_pack("{s:s}", "role", "assistant");
    }
    if (i < 1 + n) {
        *type = "contentBlockDelta";
        return json_pack("{s:i,s:{s:o}}", "contentBlockIndex", 0, "delta", "text",
                         token_text(s, i - 1));
    }
    if (i == 1 + n) {
        *type = "contentBlockStop";
        return json_pack("{s:i}", "contentBlockIndex", 0);
    }
    if (i == 2 + n) {
        *type = "messageStop";
        return json_pack("{s:s}", "stopReason", s->hit_max ? "max_tokens" : "end_turn");
    }
    *type = "metadata";
    json_int_t in = s->input_tokens, out = (json_int_t)n;
    return json_pack("{s:{s:I,s:I,s:I},s:{s:I}}", "usage", "inputTokens", in, "outputTokens", out,
                     "totalTokens", in + out, "metrics", "latencyMs", (json_int_t)elapsed(st));
}

/* {"bytes": base64(event)} for an Invoke stream chunk. */
static json_t *invoke_payload(struct rt_stream *st, size_t i)
{
    json_t *ev = st->anthropic ? anthropic_event(st, i) : rt_invoke_body(&st->call, &st->sim, "");
    json_t *payload = NULL;
    if (ev != NULL && !st->anthropic) {
        long lat = elapsed(st);
        json_object_set_new(ev, "amazon-bedrock-invocationMetrics",
                            json_pack("{s:I,s:I,s:I,s:I}", "inputTokenCount",
                                      (json_int_t)st->sim.input_tokens, "outputTokenCount",
                                      (json_int_t)st->sim.n_tokens, "invocationLatency",
                                      (json_int_t)lat, "firstByteLatency", (json_int_t)lat));
    }
    char *js = ev != NULL ? json_dumps(ev, JSON_COMPACT) : NULL;
    struct brk_buf b64 = BRK_BUF(1024 * 1024);
    if (js != NULL && brk_base64_encode(&b64, js, strlen(js)) == BEDROCK_OK) {
        payload = json_pack("{s:s}", "bytes", b64.data);
    }
    free(js);
    brk_buf_cleanup(&b64);
    json_decref(ev);
    return payload;
}

static bool send_event(struct rt_stream *st, size_t i, bool corrupt)
{
    const char *type = "chunk";
    json_t *payload = st->invoke ? invoke_payload(st, i) : converse_event(st, i, &type);
    if (payload == NULL) {
        return false;
    }
    pad(payload, i);
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    const char *const names[3] = { ":event-type", ":content-type", ":message-type" };
    const char *const values[3] = { type, "application/json", "event" };
    bool ok = text != NULL && write_frame(st, names, values, text, corrupt);
    free(text);
    return ok;
}

static const char *exc_message(const char *exc)
{
    if (strcmp(exc, "throttlingException") == 0) {
        return "Too many requests, please wait before trying again.";
    }
    if (strcmp(exc, "validationException") == 0) {
        return "The model returned the following errors: Input is too long for requested model.";
    }
    if (strcmp(exc, "serviceUnavailableException") == 0) {
        return "Bedrock is unable to process your request.";
    }
    if (strcmp(exc, "modelStreamErrorException") == 0) {
        return "Model Stream Error";
    }
    return "The system encountered an unexpected error during processing. Try your request "
           "again.";
}

static void send_exception(struct rt_stream *st)
{
    json_t *p = json_pack("{s:s}", "message", exc_message(st->exc));
    if (strcmp(st->exc, "modelStreamErrorException") == 0) {
        json_object_set_new(p, "originalStatusCode", json_integer(500));
        json_object_set_new(p, "originalMessage", json_string("The model stream failed."));
    }
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    const char *const names[3] = { ":message-type", ":exception-type", ":content-type" };
    const char *const values[3] = { "exception", st->exc, "application/json" };
    if (text != NULL) {
        (void)write_frame(st, names, values, text, false);
    }
    free(text);
}

static void record(struct rt_stream *st, int outcome)
{
    long lat = elapsed(st);
    rt_record(st->req, &st->call, st->sim.input_tokens, (long)st->sim.n_tokens, lat,
              st->first_byte_ms >= 0 ? st->first_byte_ms : lat, outcome);
}

static void stream_free(struct rt_stream *st)
{
    emu_sim_cleanup(&st->sim);
    brk_free(st);
}

/* Due time (ms since start) of event i. */
static long due_ms(const struct rt_stream *st, size_t i)
{
    size_t first_delta = st->invoke ? (st->anthropic ? 2 : 0) : 1;
    size_t k = i > first_delta ? i - first_delta : 0;
    if (st->sim.n_tokens > 0 && k > st->sim.n_tokens - 1) {
        k = st->sim.n_tokens - 1;
    }
    long per = st->call.tokens_per_second > 0 ? (long)(1000.0 / st->call.tokens_per_second) : 0;
    return st->call.first_token_ms + (long)k * per;
}

static int exception_outcome(const char *exc)
{
    if (strcmp(exc, "throttlingException") == 0) {
        return 1;
    }
    return strcmp(exc, "validationException") == 0 ? 2 : 3;
}

/* Applies the fault due at event i; returns false when the stream is over. */
static bool on_tick(struct emu_request *req, void *ctx);
static void on_close(struct emu_request *req, void *ctx);

static bool apply_fault(struct rt_stream *st)
{
    if (st->fault == F_DROP && !st->drop_armed) {
        st->drop_armed = true; /* let the queued frames flush, then cut */
        emu_stream_schedule(st->req, 100, on_tick, on_close, st);
        return false;
    }
    if (st->fault == F_STALL) {
        record(st, 3);
        st->next = st->n_events + 1; /* on_close frees */
        return false;
    }
    if (st->fault == F_EXCEPTION) {
        send_exception(st);
        record(st, exception_outcome(st->exc));
        emu_stream_end(st->req);
    } else {
        record(st, 3);
        emu_stream_abort(st->req);
    }
    stream_free(st);
    return false;
}

static bool on_tick(struct emu_request *req, void *ctx)
{
    struct rt_stream *st = ctx;
    (void)req;
    while (st->next < st->n_events && due_ms(st, st->next) <= mono_ms() - st->start_ms) {
        long i = (long)st->next;
        if (st->fault != F_NONE && st->fault != F_BADCRC && i == st->fault_at) {
            return apply_fault(st);
        }
        (void)send_event(st, st->next, st->fault == F_BADCRC && i == st->fault_at);
        st->next++;
    }
    if (st->next < st->n_events) {
        return true;
    }
    record(st, 0);
    emu_stream_end(st->req);
    stream_free(st);
    return false;
}

static void on_close(struct emu_request *req, void *ctx)
{
    struct rt_stream *st = ctx;
    (void)req;
    if (st->next <= st->n_events) {
        record(st, 2); /* the client went away mid-stream */
    }
    stream_free(st);
}

void rt_stream_start(struct emu_request *req, const struct rt_call *c, struct emu_sim *s)
{
    struct rt_stream *st = brk_calloc(1, sizeof(*st));
    if (st == NULL) {
        emu_reply_error(req, 500, "InternalServerException", "Internal server error");
        return;
    }
    st->req = req;
    st->call = *c;
    st->sim = *s;
    memset(s, 0, sizeof(*s)); /* the buffers now belong to st */
    snprintf(st->req_id, sizeof(st->req_id), "%s", req->request_id);
    st->invoke = c->op == RT_INVOKE_STREAM;
    st->anthropic = strcmp(c->model->kind, "anthropic") == 0;
    size_t n = st->sim.n_tokens;
    st->n_events = st->invoke ? (st->anthropic ? n + 5 : 1) : n + 4;
    st->start_ms = mono_ms();
    st->first_byte_ms = -1;
    parse_faults(st, req->fault);
    emu_reply_header(req, "X-Amzn-Bedrock-Content-Type", "application/json");
    emu_stream_start(req, "application/vnd.amazon.eventstream");
    long per = c->tokens_per_second > 0 ? (long)(1000.0 / c->tokens_per_second) : 0;
    long tick = per > 0 ? per : c->first_token_ms;
    if (per > 0 && c->first_token_ms > 0 && c->first_token_ms < per) {
        tick = c->first_token_ms;
    }
    emu_stream_schedule(req, tick > 0 ? tick : 0, on_tick, on_close, st);
}
