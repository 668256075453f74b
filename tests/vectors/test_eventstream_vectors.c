/*
 * tests/vectors/test_eventstream_vectors.c - the event-stream decoder/encoder against data
 * read in place from $BRK_SHARED_DIR/testdata:
 *   eventstream/   aws-sdk-go vectors: positive ones must decode to decoded/positive/<case>
 *                  (signed CRCs; bytes/string/uuid values and payload in base64), negative
 *                  ones must fail with BEDROCK_E_CRC and the text in decoded/negative/<case>;
 *   bedrock-stream/ real Bedrock captures: every *.bin must decode to its *.messages.json
 *                  (offsets, lengths, unsigned CRCs, plain-text string headers, payload text,
 *                  and for InvokeModel chunks the base64 "bytes" field decoded).
 * Every input is fed whole, one byte at a time, and split in two at every offset, and the
 * decoded messages must re-encode to the input byte for byte.
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "core/buf.h"
#include "core/limits.h"
#include "eventstream/eventstream.h"

#include <dirent.h>
#include <glob.h>
#include <jansson.h>
/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fmt { FMT_SDK, FMT_CAPTURE }; /* decoded/positive JSON vs *.messages.json */

struct expect {
    const char *name;
    enum fmt fmt;
    json_t *messages; /* array of expected message objects */
    size_t idx;       /* next message expected */
    size_t offset;    /* byte offset of the next frame */
    struct brk_buf reencoded;
};

static char shared_dir[2048];
static unsigned long n_runs, n_checked; /* decodes run and messages compared, reported */

static void path_join(char *out, size_t cap, const char *rel)
{
    int n = snprintf(out, cap, "%s/testdata/%s", shared_dir, rel);
    assert_true(n > 0 && (size_t)n < cap);
}

static void read_file(const char *path, struct brk_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        assert_int_equal(brk_buf_append(out, chunk, n), BEDROCK_OK);
    }
    fclose(f);
}

static json_t *load_json(const char *path)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (j == NULL) {
        fail_msg("%s: %s", path, jerr.text);
    }
    return j;
}

static json_int_t jint(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

/* Compare bytes with the base64 text b64. */
static void assert_b64_equal(const char *what, const char *b64, const char *p, size_t n)
{
    struct brk_buf raw = BRK_BUF(BRK_MAX_ES_FRAME);
    assert_int_equal(brk_base64_decode(&raw, b64, strlen(b64)), BEDROCK_OK);
    if (raw.len != n || (n > 0 && memcmp(raw.data, p, n) != 0)) {
        fail_msg("%s differs from its base64 expectation", what);
    }
    brk_buf_cleanup(&raw);
}

static void check_header(const struct expect *e, const struct brk_es_header *h, const json_t *jh)
{
    const char *name = json_string_value(json_object_get(jh, "name"));
    assert_non_null(name);
    if (!brk_slice_eq_str(h->name, name)) {
        fail_msg("%s: header name %.*s, want %s", e->name, (int)h->name.len, h->name.ptr, name);
    }
    assert_int_equal(h->type, jint(jh, "type"));
    const json_t *v = json_object_get(jh, "value");
    switch (h->type) {
    case BRK_ES_TRUE:
    case BRK_ES_FALSE:
        assert_true(json_is_boolean(v));
        assert_int_equal(h->i, json_is_true(v) ? 1 : 0);
        assert_int_equal(h->type == BRK_ES_TRUE, json_is_true(v));
        break;
    case BRK_ES_STRING:
        if (e->fmt == FMT_CAPTURE) {
            assert_true(json_is_string(v));
            assert_int_equal(h->bytes.len, json_string_length(v));
            assert_memory_equal(h->bytes.ptr, json_string_value(v), h->bytes.len);
            break;
        }
        /* the SDK vectors write strings in base64 */
        /* fall through */
    case BRK_ES_BYTES:
    case BRK_ES_UUID:
        assert_true(json_is_string(v));
        assert_b64_equal(name, json_string_value(v), h->bytes.ptr, h->bytes.len);
        break;
    default:
        assert_true(json_is_integer(v));
        assert_int_equal(h->i, json_integer_value(v));
        break;
    }
}

/* InvokeModel chunks: the payload's "bytes" field, base64-decoded, is the model's event. */
static void check_chunk_bytes(const struct brk_es_message *m, const char *want)
{
    json_error_t jerr;
    json_t *p = json_loadb(m->payload.ptr, m->payload.len, 0, &jerr);
    assert_non_null(p);
    const json_t *b = json_object_get(p, "bytes");
    assert_true(json_is_string(b));
    struct brk_buf raw = BRK_BUF(BRK_MAX_ES_FRAME);
    assert_int_equal(brk_base64_decode(&raw, json_string_value(b), json_string_length(b)),
                     BEDROCK_OK);
    assert_int_equal(raw.len, strlen(want));
    assert_memory_equal(raw.data, want, raw.len);
    brk_buf_cleanup(&raw);
    json_decref(p);
}

static void check_payload(const struct expect *e, const struct brk_es_message *m, const json_t *j)
{
    if (e->fmt == FMT_SDK) {
        const char *b64 = json_string_value(json_object_get(j, "payload"));
        assert_non_null(b64);
        assert_b64_equal("payload", b64, m->payload.ptr, m->payload.len);
        return;
    }
    assert_int_equal(m->payload.len, jint(j, "payload_length"));
    const json_t *text = json_object_get(j, "payload_text");
    assert_int_equal(json_string_length(text), m->payload.len);
    assert_memory_equal(json_string_value(text), m->payload.ptr, m->payload.len);
    const json_t *chunk = json_object_get(j, "chunk_bytes_decoded");
    if (chunk != NULL) {
        check_chunk_bytes(m, json_string_value(chunk));
    }
}

static bedrock_code on_msg(void *ctx, const struct brk_es_message *m)
{
    struct expect *e = ctx;
    if (e->idx >= json_array_size(e->messages)) {
        fail_msg("%s: more messages than expected", e->name);
    }
    const json_t *j = json_array_get(e->messages, e->idx);
    const uint32_t mask = 0xFFFFFFFFu;
    if (e->fmt == FMT_CAPTURE) {
        assert_int_equal(e->offset, jint(j, "offset"));
    }
    assert_int_equal(m->total_len, jint(j, "total_length"));
    assert_int_equal(m->headers_len, jint(j, "headers_length"));
    assert_int_equal(m->prelude_crc, (uint32_t)(jint(j, "prelude_crc") & mask));
    assert_int_equal(m->message_crc, (uint32_t)(jint(j, "message_crc") & mask));
    const json_t *hs = json_object_get(j, "headers");
    assert_int_equal(m->n_headers, json_array_size(hs));
    for (size_t i = 0; i < m->n_headers; i++) {
        check_header(e, &m->headers[i], json_array_get(hs, i));
    }
    check_payload(e, m, j);
    assert_int_equal(
        brk_es_encode(&e->reencoded, m->headers, m->n_headers, m->payload.ptr, m->payload.len),
        BEDROCK_OK);
    e->idx++;
    e->offset += m->total_len;
    n_checked++;
    return BEDROCK_OK;
}

/* Feed data in pieces: split == 0 whole, split == SIZE_MAX byte by byte, else two feeds. */
static void run_once(struct expect *e, const struct brk_buf *data, size_t split)
{
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(on_msg, e, &dec), BEDROCK_OK);
    e->idx = 0;
    e->offset = 0;
    brk_buf_reset(&e->reencoded);
    if (split == SIZE_MAX) {
        for (size_t i = 0; i < data->len; i++) {
            assert_int_equal(brk_es_feed(dec, data->data + i, 1), BEDROCK_OK);
        }
    } else {
        size_t first = split == 0 ? data->len : split;
        assert_int_equal(brk_es_feed(dec, data->data, first), BEDROCK_OK);
        assert_int_equal(brk_es_feed(dec, data->data + first, data->len - first), BEDROCK_OK);
    }
    assert_true(brk_es_decoder_idle(dec));
    assert_int_equal(e->idx, json_array_size(e->messages));
    assert_int_equal(e->reencoded.len, data->len);
    if (memcmp(e->reencoded.data, data->data, data->len) != 0) {
        fail_msg("%s: re-encoding differs (split %zu)", e->name, split);
    }
    brk_es_decoder_free(dec);
    n_runs++;
}

static void run_all_modes(struct expect *e, const struct brk_buf *data)
{
    run_once(e, data, 0);
    run_once(e, data, SIZE_MAX);
    for (size_t k = 1; k < data->len; k++) {
        run_once(e, data, k);
    }
}

static void sdk_positive(void **state)
{
    (void)state;
    char dir[4096];
    path_join(dir, sizeof(dir), "eventstream/encoded/positive");
    DIR *d = opendir(dir);
    assert_non_null(d);
    int cases = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.') {
            continue;
        }
        char rel[1024], path[4096];
        struct brk_buf bin = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
        snprintf(rel, sizeof(rel), "eventstream/encoded/positive/%s", ent->d_name);
        path_join(path, sizeof(path), rel);
        read_file(path, &bin);
        snprintf(rel, sizeof(rel), "eventstream/decoded/positive/%s", ent->d_name);
        path_join(path, sizeof(path), rel);
        struct expect e = { ent->d_name, FMT_SDK, json_array(),
                            0,           0,       BRK_BUF(BRK_MAX_RESPONSE_BYTES) };
        assert_int_equal(json_array_append_new(e.messages, load_json(path)), 0);
        run_all_modes(&e, &bin);
        json_decref(e.messages);
        brk_buf_cleanup(&e.reencoded);
        brk_buf_cleanup(&bin);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 5);
}

static bedrock_code never_called(void *ctx, const struct brk_es_message *m)
{
    (void)ctx;
    (void)m;
    fail_msg("a corrupted message reached the callback");
    return BEDROCK_E_INTERNAL;
}

/* split as in run_once; the failure must be E_CRC with the exact text. */
static void run_negative(const char *name, const struct brk_buf *bin, const char *want,
                         size_t split)
{
    struct brk_es_decoder *dec = NULL;
    assert_int_equal(brk_es_decoder_new(never_called, NULL, &dec), BEDROCK_OK);
    bedrock_code rc = BEDROCK_OK;
    if (split == SIZE_MAX) {
        for (size_t i = 0; i < bin->len && rc == BEDROCK_OK; i++) {
            rc = brk_es_feed(dec, bin->data + i, 1);
        }
    } else {
        size_t first = split == 0 ? bin->len : split;
        rc = brk_es_feed(dec, bin->data, first);
        if (rc == BEDROCK_OK) {
            rc = brk_es_feed(dec, bin->data + first, bin->len - first);
        }
    }
    if (rc != BEDROCK_E_CRC || strcmp(brk_es_decoder_error(dec), want) != 0) {
        fail_msg("%s split %zu: got %s \"%s\", want E_CRC \"%s\"", name, split,
                 bedrock_code_name(rc), brk_es_decoder_error(dec), want);
    }
    assert_int_equal(brk_es_feed(dec, bin->data, bin->len), BEDROCK_E_STATE);
    brk_es_decoder_free(dec);
}

static void sdk_negative(void **state)
{
    (void)state;
    char dir[4096];
    path_join(dir, sizeof(dir), "eventstream/encoded/negative");
    DIR *d = opendir(dir);
    assert_non_null(d);
    int cases = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.') {
            continue;
        }
        char rel[1024], path[4096];
        struct brk_buf bin = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
        struct brk_buf want = BRK_BUF(4096);
        snprintf(rel, sizeof(rel), "eventstream/encoded/negative/%s", ent->d_name);
        path_join(path, sizeof(path), rel);
        read_file(path, &bin);
        snprintf(rel, sizeof(rel), "eventstream/decoded/negative/%s", ent->d_name);
        path_join(path, sizeof(path), rel);
        read_file(path, &want);
        struct brk_slice w = brk_slice_trim(brk_buf_slice(&want));
        char *text = brk_slice_dup(w);
        assert_non_null(text);
        run_negative(ent->d_name, &bin, text, 0);
        run_negative(ent->d_name, &bin, text, SIZE_MAX);
        for (size_t k = 1; k < bin.len; k++) {
            run_negative(ent->d_name, &bin, text, k);
        }
        brk_free(text);
        brk_buf_cleanup(&want);
        brk_buf_cleanup(&bin);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 4);
}

static void bedrock_captures(void **state)
{
    (void)state;
    char pattern[4096];
    path_join(pattern, sizeof(pattern), "bedrock-stream/*/*.bin");
    glob_t g;
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 6);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *bin_path = g.gl_pathv[i];
        struct brk_buf bin = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
        read_file(bin_path, &bin);
        char json_path[4096];
        size_t base = strlen(bin_path) - 4; /* drop ".bin" */
        snprintf(json_path, sizeof(json_path), "%.*s.messages.json", (int)base, bin_path);
        json_t *doc = load_json(json_path);
        assert_int_equal(jint(doc, "total_bytes"), bin.len);
        struct expect e = { bin_path, FMT_CAPTURE, json_object_get(doc, "messages"),
                            0,        0,           BRK_BUF(BRK_MAX_RESPONSE_BYTES) };
        assert_int_equal(json_array_size(e.messages), jint(doc, "message_count"));
        run_all_modes(&e, &bin);
        brk_buf_cleanup(&e.reencoded);
        json_decref(doc);
        brk_buf_cleanup(&bin);
    }
    globfree(&g);
    print_message("%lu decodes, %lu messages compared\n", n_runs, n_checked);
}

int main(void)
{
    const char *sd = getenv("BRK_SHARED_DIR");
    if (sd == NULL || sd[0] == '\0') {
        fprintf(stderr, "BRK_SHARED_DIR is not set\n");
        return 1;
    }
    snprintf(shared_dir, sizeof(shared_dir), "%s", sd);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sdk_positive),
        cmocka_unit_test(sdk_negative),
        cmocka_unit_test(bedrock_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
