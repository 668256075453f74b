/*
 * bench/bench_eventstream.c - event-stream decode throughput and CRC-32 implementations.
 *
 * Builds a ~64 MiB synthetic InvokeModelWithResponseStream body in memory: `chunk` frames
 * whose payload is {"bytes":"<base64 of an Anthropic content_block_delta>","p":"abc..."},
 * with the three string headers Bedrock sends. Then measures (best of several runs):
 *   es_decode_16k        decoding it fed in 16 KiB pieces (frames straddling pieces copied)
 *   es_decode_b64_16k    the same plus base64-decoding every chunk's "bytes" (the client path)
 *   es_encode            brk_es_encode of typical chunk frames into a reused buffer
 *   base64_decode/encode brk_base64_* over one 48 MiB / 64 MiB buffer
 *   crc32_zlib           zlib crc32 over the whole buffer
 *   crc32_libdeflate     libdeflate_crc32 over the whole buffer
 * Output: one `name value unit` line each. Measured, never asserted.
 */
#include "core/base64.h"
#include "core/buf.h"
#include "core/limits.h"
#include "eventstream/eventstream.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define TARGET_BYTES (64u * 1024u * 1024u)
#define FEED         (16u * 1024u)
#define RUNS         5

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char words[] = "The quick brown fox jumps over the lazy dog while Claude explains "
                            "event streams, CRC checks and base64 in short friendly sentences. ";
static const char pad[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static int build_stream(struct brk_buf *out)
{
    struct brk_buf json = BRK_BUF(4096), b64 = BRK_BUF(8192), payload = BRK_BUF(16384);
    struct brk_es_header h[3] = {
        { BRK_SLICE_LIT(":event-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("chunk") },
        { BRK_SLICE_LIT(":content-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("application/json") },
        { BRK_SLICE_LIT(":message-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("event") },
    };
    unsigned seed = 12345;
    int rc = 0;
    while (out->len < TARGET_BYTES && rc == 0) {
        seed = seed * 1103515245u + 12345u;
        int text_len = 8 + (int)((seed >> 16) % 120);
        int pad_len = 1 + (int)((seed >> 8) % 60);
        brk_buf_reset(&json);
        brk_buf_reset(&b64);
        brk_buf_reset(&payload);
        if (brk_buf_appendf(&json,
                            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                            "{\"type\":\"text_delta\",\"text\":\"%.*s\"}}",
                            text_len, words + (seed >> 4) % 40) != BEDROCK_OK ||
            brk_base64_encode(&b64, json.data, json.len) != BEDROCK_OK ||
            brk_buf_appendf(&payload, "{\"bytes\":\"%s\",\"p\":\"%.*s\"}", b64.data, pad_len,
                            pad) != BEDROCK_OK ||
            brk_es_encode(out, h, 3, payload.data, payload.len) != BEDROCK_OK) {
            rc = -1;
        }
    }
    brk_buf_cleanup(&json);
    brk_buf_cleanup(&b64);
    brk_buf_cleanup(&payload);
    return rc;
}

struct sink {
    size_t frames, bytes;
    int do_b64;
    struct brk_buf raw;
};

static bedrock_code on_msg(void *ctx, const struct brk_es_message *m)
{
    struct sink *s = ctx;
    s->frames++;
    s->bytes += m->total_len;
    if (brk_es_find_header(m, ":event-type") == NULL) {
        return BEDROCK_E_PARSE;
    }
    if (!s->do_b64) {
        return BEDROCK_OK;
    }
    /* the client's JSON parser finds "bytes"; a fixed-offset scan stands in for it here */
    static const char key[] = "{\"bytes\":\"";
    if (m->payload.len < sizeof(key) || memcmp(m->payload.ptr, key, sizeof(key) - 1) != 0) {
        return BEDROCK_E_PARSE;
    }
    const char *b = m->payload.ptr + sizeof(key) - 1;
    const char *e = memchr(b, '"', m->payload.len - (sizeof(key) - 1));
    if (e == NULL) {
        return BEDROCK_E_PARSE;
    }
    brk_buf_reset(&s->raw);
    return brk_base64_decode(&s->raw, b, (size_t)(e - b));
}

static double decode_run(const struct brk_buf *stream, int do_b64, size_t *frames)
{
    struct sink s = { 0, 0, do_b64, BRK_BUF(BRK_MAX_ES_FRAME) };
    struct brk_es_decoder *dec = NULL;
    if (brk_es_decoder_new(on_msg, &s, &dec) != BEDROCK_OK) {
        return 0;
    }
    double t0 = now_s();
    for (size_t off = 0; off < stream->len; off += FEED) {
        size_t n = stream->len - off < FEED ? stream->len - off : FEED;
        if (brk_es_feed(dec, stream->data + off, n) != BEDROCK_OK) {
            fprintf(stderr, "decode failed: %s\n", brk_es_decoder_error(dec));
            exit(1);
        }
    }
    double dt = now_s() - t0;
    *frames = s.frames;
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.raw);
    return (double)stream->len / dt / 1e9;
}

static double encode_run(void)
{
    struct brk_buf out = BRK_BUF(TARGET_BYTES + BRK_MAX_ES_FRAME);
    struct brk_es_header h[3] = {
        { BRK_SLICE_LIT(":event-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("chunk") },
        { BRK_SLICE_LIT(":content-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("application/json") },
        { BRK_SLICE_LIT(":message-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("event") },
    };
    static const char payload[] = "{\"bytes\":\"eyJ0eXBlIjoiY29udGVudF9ibG9ja19kZWx0YSIsImluZGV4Ij"
                                  "owLCJkZWx0YSI6eyJ0eXBlIjoidGV4dF9kZWx0YSIsInRleHQiOiJIZWxsbyB3"
                                  "b3JsZCJ9fQ==\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEF\"}";
    if (brk_buf_reserve(&out, TARGET_BYTES + 4096) != BEDROCK_OK) {
        return 0;
    }
    double t0 = now_s();
    while (out.len < TARGET_BYTES) {
        if (brk_es_encode(&out, h, 3, payload, sizeof(payload) - 1) != BEDROCK_OK) {
            return 0;
        }
    }
    double gbs = (double)out.len / (now_s() - t0) / 1e9;
    brk_buf_cleanup(&out);
    return gbs;
}

/* base64 alone: returns decode GB/s (of encoded input); *enc_gbs gets encode GB/s (of input). */
static double base64_run(const struct brk_buf *src, double *enc_gbs)
{
    size_t raw_len = TARGET_BYTES / 4 * 3;
    struct brk_buf text = BRK_BUF(TARGET_BYTES + 16);
    struct brk_buf back = BRK_BUF(TARGET_BYTES);
    double t0 = now_s();
    if (brk_base64_encode(&text, src->data, raw_len) != BEDROCK_OK) {
        return 0;
    }
    *enc_gbs = (double)raw_len / (now_s() - t0) / 1e9;
    double best = 0;
    for (int r = 0; r < RUNS; r++) {
        brk_buf_reset(&back);
        t0 = now_s();
        if (brk_base64_decode(&back, text.data, text.len) != BEDROCK_OK) {
            return 0;
        }
        double g = (double)text.len / (now_s() - t0) / 1e9;
        best = g > best ? g : best;
    }
    brk_buf_cleanup(&text);
    brk_buf_cleanup(&back);
    return best;
}

typedef uint32_t crc_fn(uint32_t crc, const void *p, size_t n);

static uint32_t crc_zlib(uint32_t crc, const void *p, size_t n)
{
    uint32_t c = crc;
    const unsigned char *b = p;
    while (n > 0) { /* zlib takes a uInt length */
        uInt k = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = (uint32_t)crc32(c, b, k);
        b += k;
        n -= k;
    }
    return c;
}

static uint32_t crc_libdeflate(uint32_t crc, const void *p, size_t n)
{
    return libdeflate_crc32(crc, p, n);
}

static double crc_run(crc_fn *fn, const struct brk_buf *b, uint32_t *out)
{
    double best = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_s();
        *out = fn(0, b->data, b->len);
        double gbs = (double)b->len / (now_s() - t0) / 1e9;
        best = gbs > best ? gbs : best;
    }
    return best;
}

int main(void)
{
    struct brk_buf stream = BRK_BUF(TARGET_BYTES + BRK_MAX_ES_FRAME);
    double t0 = now_s();
    if (build_stream(&stream) != 0) {
        fprintf(stderr, "could not build the stream\n");
        return 1;
    }
    double build_s = now_s() - t0;
    double enc = 0;
    for (int r = 0; r < RUNS; r++) {
        double g = encode_run();
        enc = g > enc ? g : enc;
    }
    double b64_enc = 0;
    double b64_dec = base64_run(&stream, &b64_enc);
    size_t frames = 0;
    double best = 0, best_b64 = 0;
    for (int r = 0; r < RUNS; r++) {
        double g = decode_run(&stream, 0, &frames);
        best = g > best ? g : best;
        g = decode_run(&stream, 1, &frames);
        best_b64 = g > best_b64 ? g : best_b64;
    }
    uint32_t cz = 0, cd = 0;
    double gz = crc_run(crc_zlib, &stream, &cz);
    double gd = crc_run(crc_libdeflate, &stream, &cd);
    if (cz != cd) {
        fprintf(stderr, "crc mismatch %08x %08x\n", (unsigned)cz, (unsigned)cd);
        return 1;
    }
    printf("stream_bytes %zu bytes\n", stream.len);
    printf("stream_frames %zu frames\n", frames);
    printf("avg_frame %.1f bytes\n", (double)stream.len / (double)frames);
    printf("stream_build %.3f s\n", build_s);
    printf("es_encode %.3f GB/s\n", enc);
    printf("es_decode_16k %.3f GB/s\n", best);
    printf("es_decode_16k_frames %.2f Mframes/s\n",
           best * 1e9 / ((double)stream.len / (double)frames) / 1e6);
    printf("es_decode_b64_16k %.3f GB/s\n", best_b64);
    printf("base64_decode %.3f GB/s\n", b64_dec);
    printf("base64_encode %.3f GB/s\n", b64_enc);
    printf("crc32_zlib %.3f GB/s\n", gz);
    printf("crc32_libdeflate %.3f GB/s\n", gd);
    printf("crc32_speedup %.2f x\n", gd / gz);
    brk_buf_cleanup(&stream);
    return 0;
}
