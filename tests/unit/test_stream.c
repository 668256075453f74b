/*
 * tests/unit/test_stream.c - the runtime's streaming pipeline against the real captures in
 * $BRK_SHARED_DIR/testdata/bedrock-stream/: fed whole, byte by byte and split at every offset,
 * the extracted text must equal the concatenation of the deltas listed in each capture's
 * .messages.json, usage must be found, the exception capture must be E_STREAM_ERROR with its
 * message, every proper prefix must be E_STREAM_TRUNCATED and a flipped byte E_CRC.
 */
#include "core/alloc.h"
#include "core/buf.h"
#include "core/fileio.h"
#include "services/runtime/jscan.h"
#include "services/runtime/stream.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

struct capture {
    const char *bin;
    enum brk_stream_kind kind;
    bool exception;
};

static const struct capture captures[] = {
    { "envoy-ai-gateway/invoke-with-response-stream-claude-sonnet-4-5", BRK_STREAM_INVOKE, false },
    { "envoy-ai-gateway/converse-stream-claude-tool-use", BRK_STREAM_CONVERSE, false },
    { "pydantic-ai/test_bedrock_model_stream", BRK_STREAM_CONVERSE, false },
    { "pydantic-ai/test_bedrock_model_thinking_part_stream", BRK_STREAM_CONVERSE, false },
    { "vercel-ai/issue-18994-live-converse-stream", BRK_STREAM_CONVERSE, false },
    { "vercel-ai/model-stream-error-exception", BRK_STREAM_INVOKE, true },
    { "vercel-ai/model-stream-error-exception", BRK_STREAM_CONVERSE, true },
};

struct collect {
    struct brk_buf text;
    unsigned long events;
};

static bedrock_code on_event(void *ctx, const struct bedrock_stream_event *ev)
{
    struct collect *c = ctx;
    c->events++;
    assert_non_null(ev->type);
    assert_non_null(ev->json);
    if (ev->text != NULL) {
        return brk_buf_append(&c->text, ev->text, ev->text_len);
    }
    return BEDROCK_OK;
}

static char *read_all(const char *rel, const char *ext, size_t *len)
{
    const char *root = getenv("BRK_SHARED_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/testdata/bedrock-stream/%s%s", root ? root : "/work/shared",
             rel, ext);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static const char *hdr(json_t *msg, const char *name)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(msg, "headers"), i, h)
    {
        if (strcmp(json_string_value(json_object_get(h, "name")), name) == 0) {
            return json_string_value(json_object_get(h, "value"));
        }
    }
    return NULL;
}

/* The expected text: concatenation of the text deltas, computed with jansson. */
static void expected_text(const struct capture *c, struct brk_buf *out)
{
    size_t n = 0;
    char *doc = read_all(c->bin, ".messages.json", &n);
    json_error_t je;
    json_t *root = json_loads(doc, 0, &je);
    assert_non_null(root);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(root, "messages"), i, m)
    {
        const char *et = hdr(m, ":event-type");
        json_t *ev = NULL;
        if (et != NULL && strcmp(et, "chunk") == 0) {
            ev = json_loads(json_string_value(json_object_get(m, "chunk_bytes_decoded")), 0, &je);
            if (strcmp(json_string_value(json_object_get(ev, "type")), "content_block_delta")) {
                json_decref(ev);
                ev = NULL;
            }
        } else if (et != NULL && strcmp(et, "contentBlockDelta") == 0) {
            ev = json_loads(json_string_value(json_object_get(m, "payload_text")), 0, &je);
        }
        const char *t = json_string_value(json_object_get(json_object_get(ev, "delta"), "text"));
        if (t != NULL) {
            assert_int_equal(brk_buf_append_str(out, t), BEDROCK_OK);
        }
        json_decref(ev);
    }
    json_decref(root);
    free(doc);
}

/* Feed data in the given pieces (split[] offsets, ascending, ending at len). */
static bedrock_code run(const struct capture *c, const char *data, const size_t *cuts, size_t ncut,
                        struct collect *col, struct brk_stream *s)
{
    assert_int_equal(brk_stream_init(s, c->kind, on_event, col), BEDROCK_OK);
    size_t at = 0;
    for (size_t i = 0; i < ncut; i++) {
        bedrock_code rc = brk_stream_feed(s, data + at, cuts[i] - at);
        if (rc != BEDROCK_OK) {
            return rc;
        }
        at = cuts[i];
    }
    return brk_stream_finish(s);
}

static void check_complete(const struct capture *c, const char *data, const size_t *cuts,
                           size_t ncut, const struct brk_buf *want)
{
    struct collect col = { BRK_BUF(1u << 20), 0 };
    struct brk_stream s;
    bedrock_code rc = run(c, data, cuts, ncut, &col, &s);
    if (c->exception) {
        assert_int_equal(rc, BEDROCK_E_STREAM_ERROR);
        assert_string_equal(s.err.message, "Model Stream Error");
        assert_string_equal(s.err.aws_code, "modelStreamErrorException");
    } else {
        if (rc != BEDROCK_OK) {
            fail_msg("%s: %s", c->bin, s.err.message);
        }
        assert_int_equal(col.text.len, want->len);
        assert_memory_equal(col.text.data, want->data, want->len);
        assert_true(s.usage.input_tokens > 0);
        assert_true(s.usage.output_tokens > 0);
        assert_true(s.usage.stop_reason[0] != '\0');
        if (c->kind == BRK_STREAM_INVOKE) {
            assert_true(s.usage.latency_ms >= 0);
        }
    }
    brk_stream_cleanup(&s);
    brk_buf_cleanup(&col.text);
}

static void test_capture(void **state)
{
    const struct capture *c = *state;
    size_t len = 0;
    char *data = read_all(c->bin, ".bin", &len);
    struct brk_buf want = BRK_BUF(1u << 20);
    expected_text(c, &want);
    if (!c->exception) {
        assert_true(want.len > 0);
    }
    /* whole */
    size_t whole[1] = { len };
    check_complete(c, data, whole, 1, &want);
    /* small pieces: 1 byte and 7 bytes */
    for (size_t step = 1; step <= 7; step += 6) {
        size_t n = (len + step - 1) / step;
        size_t *cuts = malloc(n * sizeof(*cuts));
        for (size_t i = 0; i < n; i++) {
            cuts[i] = (i + 1) * step < len ? (i + 1) * step : len;
        }
        check_complete(c, data, cuts, n, &want);
        free(cuts);
    }
    /* split at every offset */
    for (size_t k = 0; k <= len; k++) {
        size_t cuts[2] = { k, len };
        check_complete(c, data, cuts, 2, &want);
    }
    brk_buf_cleanup(&want);
    free(data);
}

static void test_truncated(void **state)
{
    const struct capture *c = *state;
    size_t len = 0;
    char *data = read_all(c->bin, ".bin", &len);
    size_t step = len > 4000 ? 3 : 1;
    for (size_t k = 0; k < len; k += step) {
        struct collect col = { BRK_BUF(1u << 20), 0 };
        struct brk_stream s;
        size_t cuts[1] = { k };
        bedrock_code rc = run(c, data, cuts, 1, &col, &s);
        assert_int_equal(rc, BEDROCK_E_STREAM_TRUNCATED);
        assert_non_null(strstr(s.err.message, "ended"));
        brk_stream_cleanup(&s);
        brk_buf_cleanup(&col.text);
    }
    free(data);
}

static void test_corrupt(void **state)
{
    const struct capture *c = *state;
    size_t len = 0;
    char *data = read_all(c->bin, ".bin", &len);
    /* flip one byte inside the first frame's payload, then in its prelude */
    size_t at[2] = { len > 200 ? 100 : len / 2, 5 };
    for (int i = 0; i < 2; i++) {
        data[at[i]] ^= 0x20;
        struct collect col = { BRK_BUF(1u << 20), 0 };
        struct brk_stream s;
        size_t cuts[1] = { len };
        bedrock_code rc = run(c, data, cuts, 1, &col, &s);
        assert_int_equal(rc, BEDROCK_E_CRC);
        assert_int_equal(col.events, 0);
        /* a failed pipeline stays failed */
        assert_int_equal(brk_stream_feed(&s, data, 1), BEDROCK_E_CRC);
        brk_stream_cleanup(&s);
        brk_buf_cleanup(&col.text);
        data[at[i]] ^= 0x20;
    }
    free(data);
}

static void test_jscan(void **state)
{
    (void)state;
    struct brk_slice v;
    const char *doc =
        " { \"a\" : [1, {\"text\": \"x\"}], \"text\" : \"h\\u00e9\\ud83d\\udc4b\\n\\\"\" } ";
    assert_int_equal(brk_jscan_member(brk_slice_str(doc), "text", &v), BEDROCK_OK);
    struct brk_buf b = BRK_BUF(100);
    assert_int_equal(brk_jscan_unescape(v, &b), BEDROCK_OK);
    assert_string_equal(b.data, "h\xc3\xa9\xf0\x9f\x91\x8b\n\"");
    brk_buf_cleanup(&b);
    assert_int_equal(brk_jscan_member(brk_slice_str("{\"a\":1}"), "b", &v), BEDROCK_E_NOT_FOUND);
    assert_int_equal(brk_jscan_member(brk_slice_str("{\"a\":"), "b", &v), BEDROCK_E_PARSE);
    assert_int_equal(brk_jscan_member(brk_slice_str("[1]"), "b", &v), BEDROCK_E_PARSE);
    assert_int_equal(brk_jscan_unescape(brk_slice_str("\"\\ud83d\""), &b), BEDROCK_E_PARSE);
    brk_buf_cleanup(&b);
}

int main(void)
{
    struct CMUnitTest tests[3 * sizeof(captures) / sizeof(captures[0]) + 1];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
        tests[n++] = (struct CMUnitTest){ captures[i].bin, test_capture, NULL, NULL,
                                          (void *)(uintptr_t)&captures[i] };
        if (!captures[i].exception) {
            tests[n++] = (struct CMUnitTest){ "truncated", test_truncated, NULL, NULL,
                                              (void *)(uintptr_t)&captures[i] };
        }
        tests[n++] = (struct CMUnitTest){ "corrupt", test_corrupt, NULL, NULL,
                                          (void *)(uintptr_t)&captures[i] };
    }
    tests[n++] = (struct CMUnitTest){ "jscan", test_jscan, NULL, NULL, NULL };
    return _cmocka_run_group_tests("stream", tests, n, NULL, NULL);
}
