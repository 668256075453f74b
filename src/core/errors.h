/*
 * core/errors.h - mapping AWS error codes (any protocol) to bedrock codes and retry classes.
 */
#ifndef BRK_CORE_ERRORS_H
#define BRK_CORE_ERRORS_H

#include <bedrock/bedrock.h>

#include <stdbool.h>

/* Map an AWS error code ("ThrottlingException", "InvalidClientTokenId", "AccessDenied", ...,
 * with or without a "prefix#" namespace) plus HTTP status to a bedrock code. */
bedrock_code brk_error_from_aws(int http_status, const char *aws_code);

/* Retryable under the SDKs' standard mode: throttling and transient errors. */
bool brk_error_is_retryable(int http_status, const char *aws_code);
bool brk_error_is_throttle(int http_status, const char *aws_code);

/* Fill err from an AWS error reply: sets code (mapped), status, aws_code, message, request id.
 * A leading "namespace#" in aws_code is stripped. Any argument may be NULL. */
void brk_error_from_reply(struct bedrock_error *err, int http_status, const char *aws_code,
                          const char *message, const char *request_id);

#endif
