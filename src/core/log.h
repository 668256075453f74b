/*
 * core/log.h - the --debug log. Goes to stderr (or a sink set by tests). Never given a secret:
 * callers pass header lines through brk_log_redact_header() first, and brk_log_http_header()
 * does it for them.
 */
#ifndef BRK_CORE_LOG_H
#define BRK_CORE_LOG_H

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

extern int brk_log_level; /* 0 = quiet, 1 = debug */

void brk_log_set_level(int level);
void brk_log_set_stream(FILE *f);
bool brk_log_enabled(void);
void brk_log_debug(const char *fmt, ...) BEDROCK_PRINTF(1, 2);

/* Writes "name: value" with secrets masked: the Signature= part of Authorization,
 * X-Amz-Security-Token, Bearer tokens, and any header whose name mentions secret/token. */
void brk_log_http_header(const char *prefix, const char *name, size_t name_len, const char *value,
                         size_t value_len);

/* Writes text to f with every occurrence of each of the n secrets (NULL or empty entries
 * skipped), raw or percent-encoded, replaced by mask. For canonical requests and AWS's
 * signature-mismatch replies, which carry the session token. */
void brk_write_masked(FILE *f, const char *text, size_t len, const char *const *secrets, size_t n,
                      const char *mask);
/* The same as a debug log entry "label\ntext", masked with "<redacted>". */
void brk_log_debug_masked(const char *label, const char *text, size_t len,
                          const char *const *secrets, size_t n);

/* Copy value into out (NUL-terminated, truncated to outlen) with secrets masked, given the
 * header name. Returns out. */
char *brk_log_redact_header(const char *name, size_t name_len, const char *value, size_t value_len,
                            char *out, size_t outlen);

#endif
