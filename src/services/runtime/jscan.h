/*
 * services/runtime/jscan.h - a tiny allocation-free JSON scanner for the hot path of the
 * streaming pipeline (one event per token: {"bytes":"..."} and the model's delta JSON).
 *
 * It never builds a tree: it walks one object's members, skips values it does not need, and
 * unescapes one string into a caller-kept buffer. Input is untrusted: every step is bounded by
 * the slice, nesting by BRK_JSCAN_MAX_DEPTH. Anything it does not understand is E_PARSE, and the
 * callers then fall back to jansson (slow path), so the scanner only needs to be right, not
 * complete.
 */
#ifndef BRK_SERVICES_JSCAN_H
#define BRK_SERVICES_JSCAN_H

#include "core/buf.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>

#define BRK_JSCAN_MAX_DEPTH 64

/* Find member key in the JSON object at obj (leading whitespace allowed). On success *val is
 * the raw value text (string values include their quotes). E_NOT_FOUND when absent, E_PARSE
 * when obj is not a well-formed object (as far as scanned). */
BEDROCK_MUST_USE bedrock_code brk_jscan_member(struct brk_slice obj, const char *key,
                                               struct brk_slice *val);
/* Raw string value (with quotes) -> its bytes without quotes if it holds no escapes (fast);
 * *escaped is set when it has escapes (then use brk_jscan_unescape). */
BEDROCK_MUST_USE bedrock_code brk_jscan_string_raw(struct brk_slice val, struct brk_slice *out,
                                                   bool *escaped);
/* Raw string value (with quotes) -> unescaped UTF-8 appended to out. */
BEDROCK_MUST_USE bedrock_code brk_jscan_unescape(struct brk_slice val, struct brk_buf *out);
/* Raw number value -> long. */
BEDROCK_MUST_USE bedrock_code brk_jscan_long(struct brk_slice val, long *out);
/* Does the raw string value equal s (no escapes in the value)? */
bool brk_jscan_str_is(struct brk_slice val, const char *s);

#endif
