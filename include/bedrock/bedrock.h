/*
 * bedrock.h - libbedrock base: version, export macros, the error-code table, error details.
 *
 * Every fallible function returns bedrock_code (0 = OK). Codes are append-only: add at the
 * end, never renumber. Details of a failure (HTTP status, AWS error code, message, request
 * id, and a hint for what to do next) go in a caller-owned struct bedrock_error.
 */
#ifndef BEDROCK_BEDROCK_H
#define BEDROCK_BEDROCK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BEDROCK_VERSION_MAJOR  0
#define BEDROCK_VERSION_MINOR  1
#define BEDROCK_VERSION_PATCH  0
#define BEDROCK_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define BEDROCK_API          __attribute__((visibility("default")))
#define BEDROCK_MUST_USE     __attribute__((warn_unused_result))
#define BEDROCK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BEDROCK_API
#define BEDROCK_MUST_USE
#define BEDROCK_PRINTF(a, b)
#endif

/* Categories drive CLI exit codes and retry decisions. */
/* clang-format off */
#define BEDROCK_CATEGORIES(X)                                         \
    X(OK,          0, "ok")                                          \
    X(INTERNAL,    1, "internal error")                              \
    X(USAGE,       2, "usage error")                                 \
    X(CREDENTIALS, 3, "no or unusable credentials")                  \
    X(AUTH,        4, "authentication failed")                       \
    X(ACCESS,      5, "access denied")                               \
    X(NOTFOUND,    6, "not found or invalid request")                \
    X(THROTTLED,   7, "throttled after retries")                     \
    X(NETWORK,     8, "network error or timeout")                    \
    X(PROTOCOL,    9, "protocol error or malformed data")            \
    X(SERVICE,    10, "service error")

#define BEDROCK_CODES(X)                                                             \
    X(OK,                  0, OK,          "success")                                \
    X(E_NOMEM,             1, INTERNAL,    "out of memory")                          \
    X(E_INVALID_ARG,       2, USAGE,       "invalid argument")                       \
    X(E_USAGE,             3, USAGE,       "invalid command line")                   \
    X(E_NO_CREDENTIALS,    4, CREDENTIALS, "no credentials found in any source")     \
    X(E_CREDENTIALS,       5, CREDENTIALS, "credentials source is unusable")         \
    X(E_NO_REGION,         6, USAGE,       "no region configured")                   \
    X(E_IO,                7, INTERNAL,    "file or I/O error")                      \
    X(E_PARSE,             8, PROTOCOL,    "malformed input")                        \
    X(E_LIMIT,             9, PROTOCOL,    "input exceeds a size limit")             \
    X(E_AUTH,             10, AUTH,        "authentication failed")                  \
    X(E_INVALID_KEY,      11, AUTH,        "the access key id is not valid")         \
    X(E_SIGNATURE,        12, AUTH,        "the request signature does not match")   \
    X(E_EXPIRED,          13, AUTH,        "the security token has expired")         \
    X(E_CLOCK_SKEW,       14, AUTH,        "the request time is too skewed")         \
    X(E_ACCESS_DENIED,    15, ACCESS,      "access denied")                          \
    X(E_MODEL_ACCESS,     16, ACCESS,      "model access is not enabled")            \
    X(E_NOT_FOUND,        17, NOTFOUND,    "resource not found")                     \
    X(E_VALIDATION,       18, NOTFOUND,    "the request is not valid")               \
    X(E_CONFLICT,         19, NOTFOUND,    "conflict with the current state")        \
    X(E_THROTTLED,        20, THROTTLED,   "request throttled")                      \
    X(E_QUOTA,            21, THROTTLED,   "service quota exceeded")                 \
    X(E_NETWORK,          22, NETWORK,     "network error")                          \
    X(E_TIMEOUT,          23, NETWORK,     "timed out")                              \
    X(E_TLS,              24, NETWORK,     "TLS error")                              \
    X(E_PROTOCOL,         25, PROTOCOL,    "protocol error")                         \
    X(E_CRC,              26, PROTOCOL,    "checksum mismatch")                      \
    X(E_STREAM_TRUNCATED, 27, PROTOCOL,    "stream ended before its final event")    \
    X(E_STREAM_ERROR,     28, SERVICE,     "the stream reported an error")           \
    X(E_SERVICE,          29, SERVICE,     "service unavailable or internal error")  \
    X(E_MODEL,            30, SERVICE,     "the model returned an error")            \
    X(E_MODEL_TIMEOUT,    31, SERVICE,     "the model timed out")                    \
    X(E_MODEL_NOT_READY,  32, SERVICE,     "the model is not ready")                 \
    X(E_AWS,              33, SERVICE,     "AWS returned an error")                  \
    X(E_INTERNAL,         34, INTERNAL,    "internal error")                         \
    X(E_STATE,            35, INTERNAL,    "object is in a failed state")            \
    X(E_CANCELLED,        36, INTERNAL,    "cancelled by the caller")                \
    X(E_NEEDS_PROFILE,    37, NOTFOUND,    "model needs an inference profile")
/* clang-format on */

typedef enum bedrock_code {
#define BEDROCK_X_(name, num, cat, text) BEDROCK_##name = num,
    BEDROCK_CODES(BEDROCK_X_)
#undef BEDROCK_X_
} bedrock_code;

enum bedrock_category {
#define BEDROCK_X_(name, num, text) BEDROCK_CAT_##name = num,
    BEDROCK_CATEGORIES(BEDROCK_X_)
#undef BEDROCK_X_
};

/* Details of a failure. Caller-owned; fill with bedrock_error_clear() before use. */
struct bedrock_error {
    bedrock_code code;
    int http_status;     /* 0 when no HTTP response was involved */
    char aws_code[96];   /* e.g. "AccessDeniedException", "" when none */
    char message[1024];  /* the service's message, or ours */
    char request_id[96]; /* x-amzn-RequestId / RequestId, "" when none */
    char hint[1024];     /* what to do next, "" when none */
};

BEDROCK_API const char *bedrock_version(void);
BEDROCK_API const char *bedrock_code_name(bedrock_code code);
BEDROCK_API const char *bedrock_strerror(bedrock_code code);
BEDROCK_API enum bedrock_category bedrock_code_category(bedrock_code code);
BEDROCK_API const char *bedrock_category_name(enum bedrock_category cat);
/* The bedrockctl exit status for a code: the category number (0 for OK). */
BEDROCK_API int bedrock_exit_status(bedrock_code code);

BEDROCK_API void bedrock_error_clear(struct bedrock_error *err);
BEDROCK_API void bedrock_error_set(struct bedrock_error *err, bedrock_code code, const char *fmt,
                                   ...) BEDROCK_PRINTF(3, 4);
BEDROCK_API void bedrock_error_hint(struct bedrock_error *err, const char *fmt, ...)
    BEDROCK_PRINTF(2, 3);
/* One line: "<message> (<AwsCode>, HTTP <status>, request id <id>)". Returns buf. */
BEDROCK_API const char *bedrock_error_format(const struct bedrock_error *err, char *buf,
                                             size_t buflen);

/* Process-wide setup of libcurl/OpenSSL. Call once before other threads start. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_global_init(void);
BEDROCK_API void bedrock_global_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
