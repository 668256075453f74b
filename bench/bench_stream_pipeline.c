/*
 * bench/bench_stream_pipeline.c - throughput and latency of the streaming pipeline
 * (event-stream frames -> {"bytes":"<b64>","p":".."} -> base64 -> Anthropic event JSON -> text
 * callback) on a synthetic InvokeModelWithResponseStream body of ~64 MiB built with the real
 * encoder. Reports MB/s of wire bytes (fed in 16 KiB pieces, as curl delivers them) and the time
 * from a frame's last byte to the text callback. Measured, never asserted.
 * Usage: bench_stream_pipeline [MiB]
 */
#include "core/base64.h"
#include "core/buf.h"
#include "eventstream/eventstream.h"
#include "services/runtime/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bedrock_code add_chunk(struct brk_buf *out, const char *event_json, size_t pad)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct brk_buf b64 = BRK_BUF(1u << 20), payload = BRK_BUF(1u << 20);
    bedrock_code rc = brk_base64_encode(&b64, event_json, strlen(event_json));
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(&payload, "{\"bytes\":\"%s\",\"p\":\"%.*s\"}", b64.data, (int)pad,
                             alphabet);
    }
    struct brk_es_header h[3] = {
        { BRK_SLICE_LIT(":event-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("chunk") },
        { BRK_SLICE_LIT(":content-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("application/json") },
        { BRK_SLICE_LIT(":message-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("event") },
    };
    if (rc == BEDROCK_OK) {
        rc = brk_es_encode(out, h, 3, payload.data, payload.len);
    }
    brk_buf_cleanup(&b64);
    brk_buf_cleanup(&payload);
    return rc;
}

static const char *const words[] = {
    "Hello", " world",      "! Here", " is a", " fairly", " typical\\n", " token \\\"delta\\\"",
    " with", " caf\\u00e9", " text."
};

static bedrock_code build(struct brk_buf *out, size_t target)
{
    char ev[256];
    bedrock_code rc = add_chunk(out,
                                "{\"type\":\"message_start\",\"message\":{\"usage\":"
                                "{\"input_tokens\":12,\"output_tokens\":1}}}",
                                10);
    for (size_t i = 0; rc == BEDROCK_OK && out->len < target; i++) {
        snprintf(ev, sizeof(ev),
                 "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                 "\"text_delta\",\"text\":\"%s\"}}",
                 words[i % 10]);
        rc = add_chunk(out, ev, i % 40);
    }
    if (rc == BEDROCK_OK) {
        rc = add_chunk(out,
                       "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                       "\"usage\":{\"output_tokens\":99}}",
                       3);
    }
    if (rc == BEDROCK_OK) {
        rc = add_chunk(out,
                       "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{"
                       "\"inputTokenCount\":12,\"outputTokenCount\":99,"
                       "\"invocationLatency\":1000,\"firstByteLatency\":100}}",
                       3);
    }
    return rc;
}

struct sink {
    size_t text_bytes;
    unsigned long events;
    double last_cb;
};

static bedrock_code on_event(void *ctx, const struct bedrock_stream_event *ev)
{
    struct sink *s = ctx;
    s->events++;
    s->text_bytes += ev->text_len;
    s->last_cb = now_s();
    return BEDROCK_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void latency(const struct brk_buf *body)
{
    enum { N = 20000 };
    static double lat[N];
    struct sink sk = { 0 };
    struct brk_stream s;
    if (brk_stream_init(&s, BRK_STREAM_INVOKE, on_event, &sk) != BEDROCK_OK) {
        return;
    }
    /* frames after the first: feed each frame but its last byte, then time the last byte */
    const unsigned char *p = (const unsigned char *)body->data;
    size_t off = 0;
    int n = 0;
    while (n < N && off + 12 < body->len) {
        size_t flen = ((size_t)p[off] << 24) | ((size_t)p[off + 1] << 16) |
                      ((size_t)p[off + 2] << 8) | p[off + 3];
        if (brk_stream_feed(&s, p + off, flen - 1) != BEDROCK_OK) {
            break;
        }
        double t0 = now_s();
        if (brk_stream_feed(&s, p + off + flen - 1, 1) != BEDROCK_OK) {
            break;
        }
        lat[n++] = sk.last_cb - t0;
        off += flen;
    }
    qsort(lat, (size_t)n, sizeof(lat[0]), cmp_double);
    if (n > 0) {
        printf("last byte -> text callback: median %.0f ns, p99 %.0f ns, max %.0f ns (%d frames)\n",
               lat[n / 2] * 1e9, lat[n * 99 / 100] * 1e9, lat[n - 1] * 1e9, n);
    }
    brk_stream_cleanup(&s);
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 64;
    struct brk_buf body = BRK_BUF((mib + 1) << 20);
    if (build(&body, mib << 20) != BEDROCK_OK) {
        fprintf(stderr, "could not build the body\n");
        return 1;
    }
    double best = 1e9;
    struct sink sk = { 0 };
    for (int round = 0; round < 3; round++) {
        struct brk_stream s;
        memset(&sk, 0, sizeof(sk));
        if (brk_stream_init(&s, BRK_STREAM_INVOKE, on_event, &sk) != BEDROCK_OK) {
            return 1;
        }
        double t0 = now_s();
        bedrock_code rc = BEDROCK_OK;
        for (size_t off = 0; off < body.len && rc == BEDROCK_OK; off += 16384) {
            size_t n = body.len - off < 16384 ? body.len - off : 16384;
            rc = brk_stream_feed(&s, body.data + off, n);
        }
        if (rc == BEDROCK_OK) {
            rc = brk_stream_finish(&s);
        }
        double dt = now_s() - t0;
        if (rc != BEDROCK_OK) {
            fprintf(stderr, "pipeline failed: %s\n", s.err.message);
            brk_stream_cleanup(&s);
            return 1;
        }
        best = dt < best ? dt : best;
        brk_stream_cleanup(&s);
    }
    printf("stream pipeline: %.1f MiB wire, %lu events, %.1f MiB text: %.0f MB/s "
           "(%.2f M events/s, best of 3)\n",
           (double)body.len / 1048576.0, sk.events, (double)sk.text_bytes / 1048576.0,
           (double)body.len / best / 1e6, (double)sk.events / best / 1e6);
    latency(&body);
    brk_buf_cleanup(&body);
    return 0;
}
