/*
 * emulator/cw_cbor.c - smithy-rpc-v2-cbor bodies for CloudWatch, via libcbor: CBOR -> jansson
 * (requests) and jansson -> CBOR (responses).
 *
 * Invariants: decoding accepts one complete data item whose top level is a map, nests at most
 * CW_CBOR_DEPTH deep, turns tag 1 (epoch seconds) into a JSON number and byte strings into
 * base64-free raw strings only when they are valid text (else rejects); encoding writes
 * timestamps (members named Timestamp/Timestamps/StartTime/EndTime) as tag 1 + float/int.
 */
#include "core/alloc.h"
#include "emulator/cw.h"

#include <cbor.h>
#include <stdlib.h>
#include <string.h>

#define CW_CBOR_DEPTH 32

static json_t *item_to_json(cbor_item_t *it, int depth);

static json_t *string_to_json(cbor_item_t *it)
{
    if (cbor_string_is_definite(it)) {
        return json_stringn((const char *)cbor_string_handle(it), cbor_string_length(it));
    }
    size_t n = cbor_string_chunk_count(it);
    cbor_item_t **chunks = cbor_string_chunks_handle(it);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += cbor_string_length(chunks[i]);
    }
    char *buf = brk_malloc(total + 1);
    if (buf == NULL) {
        return NULL;
    }
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + off, cbor_string_handle(chunks[i]), cbor_string_length(chunks[i]));
        off += cbor_string_length(chunks[i]);
    }
    json_t *s = json_stringn(buf, total);
    brk_free(buf);
    return s;
}

static json_t *map_to_json(cbor_item_t *it, int depth)
{
    json_t *o = json_object();
    struct cbor_pair *pairs = cbor_map_handle(it);
    for (size_t i = 0; o != NULL && i < cbor_map_size(it); i++) {
        json_t *k = cbor_isa_string(pairs[i].key) ? string_to_json(pairs[i].key) : NULL;
        json_t *v = item_to_json(pairs[i].value, depth + 1);
        if (k == NULL || v == NULL) {
            json_decref(k);
            json_decref(v);
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, json_string_value(k), v);
        json_decref(k);
    }
    return o;
}

static json_t *array_to_json(cbor_item_t *it, int depth)
{
    json_t *a = json_array();
    cbor_item_t **items = cbor_array_handle(it);
    for (size_t i = 0; a != NULL && i < cbor_array_size(it); i++) {
        json_t *v = item_to_json(items[i], depth + 1);
        if (v == NULL) {
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, v);
    }
    return a;
}

static json_t *item_to_json(cbor_item_t *it, int depth)
{
    if (depth > CW_CBOR_DEPTH) {
        return NULL;
    }
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
        return json_integer((json_int_t)cbor_get_int(it));
    case CBOR_TYPE_NEGINT:
        return json_integer(-1 - (json_int_t)cbor_get_int(it));
    case CBOR_TYPE_STRING:
        return string_to_json(it);
    case CBOR_TYPE_ARRAY:
        return array_to_json(it, depth);
    case CBOR_TYPE_MAP:
        return map_to_json(it, depth);
    case CBOR_TYPE_TAG: {
        cbor_item_t *inner = cbor_tag_item(it);
        json_t *v = cbor_tag_value(it) == 1 ? item_to_json(inner, depth + 1) : NULL;
        cbor_decref(&inner);
        return v;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        if (cbor_float_ctrl_is_ctrl(it)) {
            if (cbor_is_bool(it)) {
                return json_boolean(cbor_get_bool(it));
            }
            return cbor_is_null(it) || cbor_is_undef(it) ? json_null() : NULL;
        }
        return json_real(cbor_float_get_float(it));
    case CBOR_TYPE_BYTESTRING:
    default:
        return NULL;
    }
}

json_t *cw_cbor_to_json(const uint8_t *p, size_t n)
{
    struct cbor_load_result res;
    if (n == 0) {
        return json_object(); /* an empty body is an empty input structure */
    }
    cbor_item_t *it = cbor_load(p, n, &res);
    if (it == NULL) {
        return NULL;
    }
    json_t *doc = NULL;
    if (res.error.code == CBOR_ERR_NONE && res.read == n && cbor_isa_map(it)) {
        doc = item_to_json(it, 0);
    }
    cbor_decref(&it);
    return doc;
}

static bool is_time_key(const char *k)
{
    return k != NULL && (strcmp(k, "Timestamp") == 0 || strcmp(k, "Timestamps") == 0 ||
                         strcmp(k, "StartTime") == 0 || strcmp(k, "EndTime") == 0);
}

static cbor_item_t *json_to_item(json_t *v, bool time);

static cbor_item_t *number_item(json_t *v)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        return i >= 0 ? cbor_build_uint64((uint64_t)i) : cbor_build_negint64((uint64_t)(-1 - i));
    }
    return cbor_build_float8(json_real_value(v));
}

static cbor_item_t *object_item(json_t *v)
{
    cbor_item_t *m = cbor_new_definite_map(json_object_size(v));
    const char *k;
    json_t *e;
    json_object_foreach(v, k, e)
    {
        cbor_item_t *val = json_to_item(e, is_time_key(k));
        cbor_item_t *key = cbor_build_string(k);
        bool ok = m != NULL && val != NULL && key != NULL &&
                  cbor_map_add(m, (struct cbor_pair){ .key = key, .value = val });
        if (key != NULL) {
            cbor_decref(&key);
        }
        if (val != NULL) {
            cbor_decref(&val);
        }
        if (!ok) {
            if (m != NULL) {
                cbor_decref(&m);
            }
            return NULL;
        }
    }
    return m;
}

static cbor_item_t *json_to_item(json_t *v, bool time)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return object_item(v);
    case JSON_ARRAY: {
        cbor_item_t *a = cbor_new_definite_array(json_array_size(v));
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            cbor_item_t *it = json_to_item(e, time);
            bool ok = a != NULL && it != NULL && cbor_array_push(a, it);
            if (it != NULL) {
                cbor_decref(&it);
            }
            if (!ok) {
                if (a != NULL) {
                    cbor_decref(&a);
                }
                return NULL;
            }
        }
        return a;
    }
    case JSON_STRING:
        return cbor_build_stringn(json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
    case JSON_REAL: {
        cbor_item_t *n = number_item(v);
        if (!time || n == NULL) {
            return n;
        }
        cbor_item_t *t = cbor_build_tag(1, n);
        cbor_decref(&n);
        return t;
    }
    case JSON_TRUE:
        return cbor_build_bool(true);
    case JSON_FALSE:
        return cbor_build_bool(false);
    case JSON_NULL:
    default:
        return cbor_new_null();
    }
}

bool cw_json_to_cbor(json_t *doc, uint8_t **out, size_t *len)
{
    cbor_item_t *it = json_to_item(doc, false);
    if (it == NULL) {
        return false;
    }
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t n = cbor_serialize_alloc(it, &buf, &cap);
    cbor_decref(&it);
    if (n == 0 || buf == NULL) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}
