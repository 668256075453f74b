/*
 * services/runtime/stream.h - the streaming pipeline (internal API, used by the runtime calls,
 * tests and the bench): event-stream bytes in -> frames -> (InvokeModelWithResponseStream)
 * {"bytes":"<base64>"} -> the model's event JSON, or (ConverseStream) the event JSON directly
 * -> text deltas, usage and the stop reason -> bedrock_stream_fn.
 *
 * Invariants: bytes may be split anywhere; no per-event allocation once the two scratch
 * buffers have grown to the largest event; a failed pipeline stays failed; an exception frame
 * is a typed error with the service's message; brk_stream_finish() fails with
 * E_STREAM_TRUNCATED unless the final event (message_stop / invocation metrics, or messageStop
 * + metadata) arrived and no partial frame is buffered.
 */
#ifndef BRK_SERVICES_STREAM_H
#define BRK_SERVICES_STREAM_H

#include "core/buf.h"
#include "eventstream/eventstream.h"

#include <bedrock/bedrock.h>
#include <bedrock/runtime.h>

#include <stdbool.h>

enum brk_stream_kind {
    BRK_STREAM_INVOKE,   /* InvokeModelWithResponseStream: `chunk` events */
    BRK_STREAM_CONVERSE, /* ConverseStream */
};

struct brk_stream {
    enum brk_stream_kind kind;
    struct brk_es_decoder *dec;
    bedrock_stream_fn *on_event;
    void *ctx;
    struct brk_buf decoded; /* the chunk's base64-decoded bytes (reused) */
    struct brk_buf text;    /* the current text delta, unescaped (reused) */
    struct bedrock_usage usage;
    bool saw_final;              /* invoke: message_stop or invocation metrics */
    bool saw_stop, saw_metadata; /* converse */
    bool failed;
    unsigned long n_events;   /* events handed to on_event */
    struct bedrock_error err; /* details when a feed fails */
    char type[64];            /* the current event's type, NUL-terminated */
};

BEDROCK_MUST_USE bedrock_code brk_stream_init(struct brk_stream *s, enum brk_stream_kind kind,
                                              bedrock_stream_fn *on_event, void *ctx);
void brk_stream_cleanup(struct brk_stream *s);
/* Push body bytes. On failure s->err says why (exception frames: code, aws_code, message). */
BEDROCK_MUST_USE bedrock_code brk_stream_feed(struct brk_stream *s, const void *p, size_t n);
/* End of body: OK only if the stream completed. */
BEDROCK_MUST_USE bedrock_code brk_stream_finish(struct brk_stream *s);
/* brk_http_data_fn adapter (ctx = struct brk_stream *). */
bedrock_code brk_stream_on_data(void *ctx, const void *p, size_t n);

#endif
