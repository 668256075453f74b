/*
 * core/base64.h - RFC 4648 base64 (standard alphabet, '=' padding), strict and fast.
 *
 * Both functions APPEND to out and keep out's invariants (NUL after data, ceiling max).
 * Decoding is strict: the input length must be a multiple of 4, only A-Z a-z 0-9 + / are
 * data, '=' only as one or two final pad characters, and the unused bits before the padding
 * must be zero (so every input has exactly one decoding). No whitespace is skipped.
 * On any failure out is left exactly as it was (len and contents).
 */
#ifndef BRK_CORE_BASE64_H
#define BRK_CORE_BASE64_H

#include "buf.h"

#include <bedrock/bedrock.h>

#include <stddef.h>

/* Errors: BEDROCK_E_PARSE (bad character, padding or length), BEDROCK_E_LIMIT, E_NOMEM. */
BEDROCK_MUST_USE bedrock_code brk_base64_decode(struct brk_buf *out, const char *in, size_t len);
/* Errors: BEDROCK_E_LIMIT, BEDROCK_E_NOMEM. */
BEDROCK_MUST_USE bedrock_code brk_base64_encode(struct brk_buf *out, const void *in, size_t len);

/* Size bounds, for callers that reserve ahead. */
size_t brk_base64_encoded_len(size_t raw_len);     /* exact, without NUL; SIZE_MAX on overflow */
size_t brk_base64_decoded_max(size_t encoded_len); /* upper bound */

#endif
