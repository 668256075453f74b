/*
 * tests/unit/test_eventstream.c - event-stream decoder state machine and encoder: sticky
 * failure, callback errors, truncation, length validation before allocation, header
 * encoding errors, zero-copy delivery, steady-state allocation, OOM torture, public API.
 */
#include "core/alloc.h"
#include "core/buf.h"
#include "core/limits.h"
#include "eventstream/eventstream.h"

#include <bedrock/eventstream.h>
/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

struct sink {
    int count;
    bedrock_code ret;    /* what the callback returns */
    const char *lo, *hi; /* the caller's input, to tell zero-copy from copied */
    int zero_copy;
    struct brk_buf last_payload;
    size_t last_n_headers;
};

static bedrock_code on_msg(void *ctx, const struct brk_es_message *m)
{
    struct sink *s = ctx;
    s->count++;
    s->last_n_headers = m->n_headers;
    if (s->lo != NULL && m->payload.ptr >= s->lo && m->payload.ptr < s->hi) {
        s->zero_copy++;
    }
    brk_buf_reset(&s->last_payload);
    if (brk_buf_append(&s->last_payload, m->payload.ptr, m->payload.len) != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    return s->ret;
}

static void sink_init(struct sink *s)
{
    memset(s, 0, sizeof(*s));
    brk_buf_init(&s->last_payload, 1u << 20);
}

static const unsigned char uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* Append a frame with one header of every type. */
static void add_full_frame(struct brk_buf *out, const char *payload)
{
    struct brk_es_header h[10] = {
        { BRK_SLICE_LIT("t"), BRK_ES_TRUE, 0, { NULL, 0 } },
        { BRK_SLICE_LIT("f"), BRK_ES_FALSE, 0, { NULL, 0 } },
        { BRK_SLICE_LIT("b"), BRK_ES_BYTE, -49, { NULL, 0 } },
        { BRK_SLICE_LIT("i16"), BRK_ES_INT16, -300, { NULL, 0 } },
        { BRK_SLICE_LIT("i32"), BRK_ES_INT32, 40972, { NULL, 0 } },
        { BRK_SLICE_LIT("i64"), BRK_ES_INT64, -42424242424LL, { NULL, 0 } },
        { BRK_SLICE_LIT("bytes"), BRK_ES_BYTES, 0, BRK_SLICE_LIT("\x00\x01\xff") },
        { BRK_SLICE_LIT(":event-type"), BRK_ES_STRING, 0, BRK_SLICE_LIT("chunk") },
        { BRK_SLICE_LIT("ts"), BRK_ES_TIMESTAMP, 8675309, { NULL, 0 } },
        { BRK_SLICE_LIT("uuid"), BRK_ES_UUID, 0, { (const char *)uuid, 16 } },
    };
    assert_int_equal(brk_es_encode(out, h, 10, payload, strlen(payload)), BEDROCK_OK);
}

static bedrock_code check_full(void *ctx, const struct brk_es_message *m)
{
    (void)ctx;
    assert_int_equal(m->n_headers, 10);
    const struct brk_es_header *h = brk_es_find_header(m, "i64");
    assert_non_null(h);
    assert_int_equal(h->i, -42424242424LL);
    assert_int_equal(brk_es_find_header(m, "b")->i, -49);
    assert_int_equal(brk_es_find_header(m, "i16")->i, -300);
    assert_int_equal(brk_es_find_header(m, "t")->i, 1);
    assert_int_equal(brk_es_find_header(m, "f")->i, 0);
    assert_int_equal(brk_es_find_header(m, "ts")->type, BRK_ES_TIMESTAMP);
    h = brk_es_find_header(m, ":event-type");
    assert_true(brk_slice_eq_str(h->bytes, "chunk"));
    h = brk_es_find_header(m, "uuid");
    assert_int_equal(h->bytes.len, 16);
    assert_memory_equal(h->bytes.ptr, uuid, 16);
    assert_null(brk_es_find_header(m, "missing"));
    assert_true(brk_slice_eq_str(m->payload, "{\"x\":1}"));
    assert_int_equal(m->total_len, 16 + m->headers_len + 7);
    return BEDROCK_OK;
}

static void round_trip_all_types(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(BRK_MAX_ES_FRAME);
    add_full_frame(&f, "{\"x\":1}");
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(check_full, NULL, &dec), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data, f.len), BEDROCK_OK);
    assert_true(brk_es_decoder_idle(dec));
    assert_string_equal(brk_es_decoder_error(dec), "");
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&f);
}

/* Rewrite both CRCs of the frame at f so it is valid again after an edit. */
static void fix_crcs(unsigned char *f)
{
    uint32_t total = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
    uint32_t c = brk_crc32(0, f, 8);
    unsigned char *p = f + 8;
    p[0] = (unsigned char)(c >> 24), p[1] = (unsigned char)(c >> 16);
    p[2] = (unsigned char)(c >> 8), p[3] = (unsigned char)c;
    c = brk_crc32(0, f, total - 4);
    p = f + total - 4;
    p[0] = (unsigned char)(c >> 24), p[1] = (unsigned char)(c >> 16);
    p[2] = (unsigned char)(c >> 8), p[3] = (unsigned char)c;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void sticky_failure(void **state)
{
    (void)state;
    struct brk_buf good = BRK_BUF(4096);
    assert_int_equal(brk_es_encode(&good, NULL, 0, "hello", 5), BEDROCK_OK);
    struct brk_buf bad = BRK_BUF(4096);
    assert_int_equal(brk_buf_append(&bad, good.data, good.len), BEDROCK_OK);
    bad.data[13] ^= 1; /* payload byte: message CRC fails */
    struct sink s;
    sink_init(&s);
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, bad.data, bad.len), BEDROCK_E_CRC);
    assert_string_equal(brk_es_decoder_error(dec), "Message checksum mismatch");
    assert_int_equal(brk_es_feed(dec, good.data, good.len), BEDROCK_E_STATE);
    assert_int_equal(brk_es_feed(dec, NULL, 0), BEDROCK_E_STATE);
    assert_false(brk_es_decoder_idle(dec));
    assert_int_equal(s.count, 0);
    brk_es_decoder_reset(dec);
    assert_true(brk_es_decoder_idle(dec));
    assert_int_equal(brk_es_feed(dec, good.data, good.len), BEDROCK_OK);
    assert_int_equal(s.count, 1);
    /* a bad prelude fails as soon as its 12 bytes are in, even with no more input */
    bad.data[13] ^= 1;
    bad.data[2] ^= 1;
    assert_int_equal(brk_es_feed(dec, bad.data, 12), BEDROCK_E_CRC);
    assert_string_equal(brk_es_decoder_error(dec), "Prelude checksum mismatch");
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.last_payload);
    brk_buf_cleanup(&good);
    brk_buf_cleanup(&bad);
}

static void callback_error_propagates(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(4096);
    assert_int_equal(brk_es_encode(&f, NULL, 0, "a", 1), BEDROCK_OK);
    assert_int_equal(brk_es_encode(&f, NULL, 0, "b", 1), BEDROCK_OK);
    struct sink s;
    sink_init(&s);
    s.ret = BEDROCK_E_CANCELLED;
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data, f.len), BEDROCK_E_CANCELLED);
    assert_int_equal(s.count, 1); /* stopped at the first message */
    assert_int_equal(brk_es_feed(dec, f.data, f.len), BEDROCK_E_STATE);
    /* same through the copying path */
    brk_es_decoder_reset(dec);
    s.ret = BEDROCK_E_STREAM_ERROR;
    assert_int_equal(brk_es_feed(dec, f.data, 5), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data + 5, f.len - 5), BEDROCK_E_STREAM_ERROR);
    assert_int_equal(s.count, 2);
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.last_payload);
    brk_buf_cleanup(&f);
}

static void truncated_stream_not_idle(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(4096);
    add_full_frame(&f, "{\"x\":1}");
    struct sink s;
    sink_init(&s);
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
    assert_true(brk_es_decoder_idle(dec));
    for (size_t cut = 1; cut < f.len; cut++) {
        brk_es_decoder_reset(dec);
        assert_int_equal(brk_es_feed(dec, f.data, cut), BEDROCK_OK);
        assert_false(brk_es_decoder_idle(dec));
        assert_int_equal(brk_es_feed(dec, f.data + cut, f.len - cut), BEDROCK_OK);
        assert_true(brk_es_decoder_idle(dec));
    }
    assert_int_equal(s.count, (int)f.len - 1);
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.last_payload);
    brk_buf_cleanup(&f);
}

/* Feed a bare prelude claiming (total, hlen) with a valid CRC; return the feed's result. */
static bedrock_code feed_prelude(uint32_t total, uint32_t hlen, bool arm_oom)
{
    unsigned char p[12];
    put_be32(p, total);
    put_be32(p + 4, hlen);
    put_be32(p + 8, brk_crc32(0, p, 8));
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, NULL, &dec), BEDROCK_OK);
    if (arm_oom) {
        brk_alloc_fail_after(1); /* any allocation now fails */
    }
    bedrock_code rc = brk_es_feed(dec, p, sizeof(p));
    if (arm_oom) {
        assert_int_equal(brk_alloc_fail_after(0), 0); /* nothing was even tried */
    }
    brk_es_decoder_free(dec);
    return rc;
}

static void lengths_checked_before_allocation(void **state)
{
    (void)state;
    assert_int_equal(feed_prelude(BRK_MAX_ES_FRAME + 1, 0, true), BEDROCK_E_LIMIT);
    assert_int_equal(feed_prelude(UINT32_MAX, 0, true), BEDROCK_E_LIMIT);
    assert_int_equal(feed_prelude(100, 101, true), BEDROCK_E_PARSE); /* hlen > total */
    assert_int_equal(feed_prelude(100, 85, true), BEDROCK_E_PARSE);  /* hlen > total-16 */
    assert_int_equal(feed_prelude(15, 0, true), BEDROCK_E_PARSE);    /* below minimum */
    assert_int_equal(feed_prelude(0, 0, true), BEDROCK_E_PARSE);
    assert_int_equal(feed_prelude(1u << 20, BRK_MAX_ES_HEADERS + 1, true), BEDROCK_E_LIMIT);
    /* the largest legal frame is accepted and buffered (allocation allowed) */
    assert_int_equal(feed_prelude(BRK_MAX_ES_FRAME, 84, false), BEDROCK_OK);
}

/* Build a frame whose headers section is the given raw bytes, with valid CRCs. */
static void raw_headers_frame(struct brk_buf *out, const void *hdr, size_t hlen)
{
    brk_buf_reset(out);
    unsigned char pre[12] = { 0 };
    put_be32(pre, (uint32_t)(16 + hlen + 2));
    put_be32(pre + 4, (uint32_t)hlen);
    assert_int_equal(brk_buf_append(out, pre, 12), BEDROCK_OK);
    assert_int_equal(brk_buf_append(out, hdr, hlen), BEDROCK_OK);
    assert_int_equal(brk_buf_append(out, "{}\0\0\0\0", 6), BEDROCK_OK);
    fix_crcs((unsigned char *)out->data);
}

struct bad_hdr {
    const char *name;
    const char *bytes;
    size_t len;
    bedrock_code want;
};

static const struct bad_hdr bad_headers[] = {
    { "unknown type 10", "\x01x\x0a", 3, BEDROCK_E_PARSE },
    { "unknown type 255", "\x01x\xff", 3, BEDROCK_E_PARSE },
    { "name overruns", "\x05xy", 3, BEDROCK_E_PARSE },
    { "no type byte", "\x01x", 2, BEDROCK_E_PARSE },
    { "int32 short", "\x01x\x04\x00\x00", 5, BEDROCK_E_PARSE },
    { "string len overruns",
      "\x01x\x07\x00\x05"
      "abcd",
      9, BEDROCK_E_PARSE },
    { "string len missing", "\x01x\x07\x00", 4, BEDROCK_E_PARSE },
    { "uuid short",
      "\x01x\x09"
      "0123456789abcde",
      18, BEDROCK_E_PARSE },
    { "ok: empty name true", "\x00\x00", 2, BEDROCK_OK },
    { "ok: string exact",
      "\x01x\x07\x00\x04"
      "abcd",
      9, BEDROCK_OK },
};

static void header_encoding_errors(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(4096);
    for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
        const struct bad_hdr *c = &bad_headers[i];
        raw_headers_frame(&f, c->bytes, c->len);
        struct sink s;
        sink_init(&s);
        struct brk_es_decoder *dec = NULL;
        assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
        bedrock_code rc = brk_es_feed(dec, f.data, f.len);
        if (rc != c->want) {
            fail_msg("%s: got %d want %d (%s)", c->name, rc, c->want, brk_es_decoder_error(dec));
        }
        assert_int_equal(s.count, c->want == BEDROCK_OK ? 1 : 0);
        /* and split into two feeds */
        brk_es_decoder_reset(dec);
        assert_int_equal(brk_es_feed(dec, f.data, 13), BEDROCK_OK);
        assert_int_equal(brk_es_feed(dec, f.data + 13, f.len - 13), c->want);
        brk_es_decoder_free(dec);
        brk_buf_cleanup(&s.last_payload);
    }
    brk_buf_cleanup(&f);
}

static void zero_copy_when_whole(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(1u << 20);
    for (int i = 0; i < 20; i++) {
        add_full_frame(&f, "{\"x\":1}");
    }
    struct sink s;
    sink_init(&s);
    s.lo = f.data;
    s.hi = f.data + f.len;
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data, f.len), BEDROCK_OK);
    assert_int_equal(s.count, 20);
    assert_int_equal(s.zero_copy, 20);
    /* split feeds: the frames straddling a cut are copied, the others are not */
    s.count = s.zero_copy = 0;
    size_t half = f.len / 2 + 3;
    assert_int_equal(brk_es_feed(dec, f.data, half), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data + half, f.len - half), BEDROCK_OK);
    assert_int_equal(s.count, 20);
    assert_int_equal(s.zero_copy, 19);
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.last_payload);
    brk_buf_cleanup(&f);
}

/* Once the buffers are warm, decoding split frames allocates nothing. */
static void steady_state_no_malloc(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(1u << 20);
    for (int i = 0; i < 50; i++) {
        add_full_frame(&f, "{\"bytes\":\"eyJ0eXBlIjoicGluZyJ9\",\"p\":\"abcdefgh\"}");
    }
    struct sink s;
    sink_init(&s);
    assert_int_equal(brk_buf_reserve(&s.last_payload, 4096), BEDROCK_OK);
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, &s, &dec), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data, 7), BEDROCK_OK);
    assert_int_equal(brk_es_feed(dec, f.data + 7, 300), BEDROCK_OK);
    brk_alloc_fail_after(1);
    for (size_t off = 307; off < f.len; off += 97) {
        size_t n = f.len - off < 97 ? f.len - off : 97;
        assert_int_equal(brk_es_feed(dec, f.data + off, n), BEDROCK_OK);
    }
    assert_int_equal(brk_alloc_fail_after(0), 0);
    assert_int_equal(s.count, 50);
    brk_es_decoder_free(dec);
    brk_buf_cleanup(&s.last_payload);
    brk_buf_cleanup(&f);
}

static bedrock_code count_only(void *ctx, const struct brk_es_message *m)
{
    (void)m;
    (*(int *)ctx)++;
    return BEDROCK_OK;
}

/* Fail allocation 1, 2, 3, ... until a whole decode succeeds; each failure is E_NOMEM. */
static void oom_torture(void **state)
{
    (void)state;
    struct brk_buf f = BRK_BUF(1u << 20);
    add_full_frame(&f, "small");
    add_full_frame(&f, "a somewhat longer payload that makes the frame buffer grow again");
    bool done = false;
    for (unsigned long k = 1; !done && k < 100; k++) {
        int count = 0;
        struct brk_es_decoder *dec = NULL;
        brk_alloc_fail_after(k);
        bedrock_code rc = brk_es_decoder_new(count_only, &count, &dec);
        if (rc == BEDROCK_OK) {
            for (size_t off = 0; off < f.len && rc == BEDROCK_OK; off += 11) {
                size_t n = f.len - off < 11 ? f.len - off : 11;
                rc = brk_es_feed(dec, f.data + off, n);
            }
        }
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            done = true;
            assert_int_equal(count, 2);
        } else {
            assert_int_equal(rc, BEDROCK_E_NOMEM);
        }
        brk_es_decoder_free(dec);
    }
    assert_true(done);
    /* the encoder: out is untouched on failure */
    struct brk_buf out = BRK_BUF(4096);
    brk_alloc_fail_after(1);
    assert_int_equal(brk_es_encode(&out, NULL, 0, "x", 1), BEDROCK_E_NOMEM);
    brk_alloc_fail_after(0);
    assert_null(out.data);
    brk_buf_cleanup(&out);
    brk_buf_cleanup(&f);
}

static void oom_torture_headers(void **state)
{
    (void)state;
    /* a frame with 40 headers makes the header array grow several times */
    struct brk_es_header h[40];
    char names[40][4];
    for (int i = 0; i < 40; i++) {
        names[i][0] = 'h';
        names[i][1] = (char)('0' + i / 10);
        names[i][2] = (char)('0' + i % 10);
        names[i][3] = '\0';
        h[i].name.ptr = names[i];
        h[i].name.len = 3;
        h[i].type = BRK_ES_INT32;
        h[i].i = i;
        h[i].bytes.ptr = NULL;
        h[i].bytes.len = 0;
    }
    struct brk_buf f = BRK_BUF(1u << 20);
    assert_int_equal(brk_es_encode(&f, h, 40, "p", 1), BEDROCK_OK);
    bool done = false;
    for (unsigned long k = 1; !done && k < 100; k++) {
        int count = 0;
        struct brk_es_decoder *dec = NULL;
        brk_alloc_fail_after(k);
        bedrock_code rc = brk_es_decoder_new(count_only, &count, &dec);
        if (rc == BEDROCK_OK) {
            rc = brk_es_feed(dec, f.data, f.len);
        }
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            done = true;
            assert_int_equal(count, 1);
        } else {
            assert_int_equal(rc, BEDROCK_E_NOMEM);
            assert_int_equal(count, 0);
        }
        brk_es_decoder_free(dec);
    }
    assert_true(done);
    brk_buf_cleanup(&f);
}

static void encoder_rejects(void **state)
{
    (void)state;
    char big[300];
    memset(big, 'n', sizeof(big));
    struct brk_buf out = BRK_BUF(BRK_MAX_ES_FRAME + 64);
    assert_int_equal(brk_buf_append_str(&out, "keep"), BEDROCK_OK);
    struct brk_es_header h = { { big, 256 }, BRK_ES_TRUE, 0, { NULL, 0 } };
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.name.len = 255;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_OK);
    out.len = 4;
    out.data[4] = '\0';
    h.name.len = 1;
    h.type = BRK_ES_BYTE;
    h.i = 128;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.type = BRK_ES_INT16;
    h.i = -32769;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.type = BRK_ES_INT32;
    h.i = (int64_t)INT32_MAX + 1;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.type = BRK_ES_UUID;
    h.bytes.ptr = big;
    h.bytes.len = 15;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.type = BRK_ES_STRING;
    h.bytes.len = 65536;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    h.type = (enum brk_es_type)10;
    assert_int_equal(brk_es_encode(&out, &h, 1, NULL, 0), BEDROCK_E_INVALID_ARG);
    static char payload[BRK_MAX_ES_FRAME];
    assert_int_equal(brk_es_encode(&out, NULL, 0, payload, BRK_MAX_ES_FRAME - 15), BEDROCK_E_LIMIT);
    assert_int_equal(brk_es_encode(&out, NULL, 0, NULL, 3), BEDROCK_E_INVALID_ARG);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "keep");
    assert_int_equal(brk_es_encode(&out, NULL, 0, payload, BRK_MAX_ES_FRAME - 16), BEDROCK_OK);
    assert_int_equal(out.len, 4 + BRK_MAX_ES_FRAME);
    brk_buf_cleanup(&out);
}

struct pub_sink {
    int count;
    char event_type[32];
};

static bedrock_code pub_cb(void *ctx, const struct bedrock_es_message *m)
{
    struct pub_sink *s = ctx;
    s->count++;
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct bedrock_es_header *h = &m->headers[i];
        if (h->name_len == 11 && memcmp(h->name, ":event-type", 11) == 0 &&
            h->bytes_len < sizeof(s->event_type)) {
            memcpy(s->event_type, h->bytes, h->bytes_len);
            s->event_type[h->bytes_len] = '\0';
        }
    }
    assert_int_equal(m->payload_len, 2);
    return BEDROCK_OK;
}

static void public_api(void **state)
{
    (void)state;
    struct bedrock_es_header h[2] = {
        { ":event-type", 11, BEDROCK_ES_STRING, 0, "chunk", 5 },
        { "n", 1, BEDROCK_ES_INT64, 7, NULL, 0 },
    };
    size_t need = 0;
    assert_int_equal(bedrock_es_encode(h, 2, "{}", 2, NULL, 0, &need), BEDROCK_E_LIMIT);
    assert_int_equal(need, 16 + (2 + 11 + 2 + 5) + (2 + 1 + 8) + 2);
    unsigned char buf[256];
    size_t len = 0;
    assert_int_equal(bedrock_es_encode(h, 2, "{}", 2, buf, sizeof(buf), &len), BEDROCK_OK);
    assert_int_equal(len, need);
    struct pub_sink s = { 0, "" };
    struct bedrock_es_decoder *dec = NULL;
    assert_int_equal(bedrock_es_decoder_new(pub_cb, &s, &dec), BEDROCK_OK);
    for (int i = 0; i < 3; i++) {
        for (size_t k = 0; k < len; k++) {
            assert_int_equal(bedrock_es_decoder_feed(dec, buf + k, 1), BEDROCK_OK);
        }
    }
    assert_int_equal(s.count, 3);
    assert_string_equal(s.event_type, "chunk");
    assert_true(bedrock_es_decoder_idle(dec));
    buf[len - 1] ^= 0xff;
    assert_int_equal(bedrock_es_decoder_feed(dec, buf, len), BEDROCK_E_CRC);
    assert_string_equal(bedrock_es_decoder_error(dec), "Message checksum mismatch");
    assert_int_equal(bedrock_es_decoder_feed(dec, buf, len), BEDROCK_E_STATE);
    bedrock_es_decoder_reset(dec);
    assert_int_equal(bedrock_es_decoder_feed(dec, buf, 3), BEDROCK_OK);
    assert_false(bedrock_es_decoder_idle(dec));
    bedrock_es_decoder_free(dec);
    h[0].type = (enum bedrock_es_type)12;
    assert_int_equal(bedrock_es_encode(h, 2, "{}", 2, buf, sizeof(buf), &len),
                     BEDROCK_E_INVALID_ARG);
}

static void crc32_known_values(void **state)
{
    (void)state;
    assert_int_equal(brk_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(brk_crc32(0, "", 0), 0);
    uint32_t part = brk_crc32(0, "12345", 5);
    assert_int_equal(brk_crc32(part, "6789", 4), 0xCBF43926u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_known_values),
        cmocka_unit_test(round_trip_all_types),
        cmocka_unit_test(sticky_failure),
        cmocka_unit_test(callback_error_propagates),
        cmocka_unit_test(truncated_stream_not_idle),
        cmocka_unit_test(lengths_checked_before_allocation),
        cmocka_unit_test(header_encoding_errors),
        cmocka_unit_test(zero_copy_when_whole),
        cmocka_unit_test(steady_state_no_malloc),
        cmocka_unit_test(oom_torture),
        cmocka_unit_test(oom_torture_headers),
        cmocka_unit_test(encoder_rejects),
        cmocka_unit_test(public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
