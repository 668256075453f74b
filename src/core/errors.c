/*
 * core/errors.c - the code tables behind bedrock.h and the AWS error-code mapping.
 * The mapping is by name first (the code AWS sends), then by HTTP status.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct code_row {
    bedrock_code code;
    const char *name;
    enum bedrock_category cat;
    const char *text;
};

static const struct code_row code_rows[] = {
#define X(name, num, cat, text) { BEDROCK_##name, #name, BEDROCK_CAT_##cat, text },
    BEDROCK_CODES(X)
#undef X
};

static const struct code_row *row_for(bedrock_code code)
{
    for (size_t i = 0; i < sizeof(code_rows) / sizeof(code_rows[0]); i++) {
        if (code_rows[i].code == code) {
            return &code_rows[i];
        }
    }
    return NULL;
}

const char *bedrock_version(void)
{
    return BEDROCK_VERSION_STRING;
}

const char *bedrock_code_name(bedrock_code code)
{
    const struct code_row *r = row_for(code);
    return r != NULL ? r->name : "E_UNKNOWN";
}

const char *bedrock_strerror(bedrock_code code)
{
    const struct code_row *r = row_for(code);
    return r != NULL ? r->text : "unknown error";
}

enum bedrock_category bedrock_code_category(bedrock_code code)
{
    const struct code_row *r = row_for(code);
    return r != NULL ? r->cat : BEDROCK_CAT_INTERNAL;
}

const char *bedrock_category_name(enum bedrock_category cat)
{
    switch (cat) {
#define X(name, num, text)   \
    case BEDROCK_CAT_##name: \
        return text;
        BEDROCK_CATEGORIES(X)
#undef X
    }
    return "unknown";
}

int bedrock_exit_status(bedrock_code code)
{
    return (int)bedrock_code_category(code);
}

void bedrock_error_clear(struct bedrock_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

void bedrock_error_set(struct bedrock_error *err, bedrock_code code, const char *fmt, ...)
{
    if (err == NULL) {
        return;
    }
    err->code = code;
    if (fmt == NULL) {
        snprintf(err->message, sizeof(err->message), "%s", bedrock_strerror(code));
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

void bedrock_error_hint(struct bedrock_error *err, const char *fmt, ...)
{
    if (err == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
    va_end(ap);
}

const char *bedrock_error_format(const struct bedrock_error *err, char *buf, size_t buflen)
{
    if (buflen == 0) {
        return buf;
    }
    const char *msg = err->message[0] != '\0' ? err->message : bedrock_strerror(err->code);
    int n = snprintf(buf, buflen, "%s", msg);
    if (n < 0 || (size_t)n >= buflen) {
        return buf;
    }
    size_t used = (size_t)n;
    if (err->aws_code[0] != '\0' || err->http_status != 0) {
        n = snprintf(buf + used, buflen - used, " (%s%sHTTP %d", err->aws_code,
                     err->aws_code[0] != '\0' ? ", " : "", err->http_status);
        if (n < 0 || (size_t)n >= buflen - used) {
            return buf;
        }
        used += (size_t)n;
        if (err->request_id[0] != '\0') {
            n = snprintf(buf + used, buflen - used, ", request id %s", err->request_id);
            if (n < 0 || (size_t)n >= buflen - used) {
                return buf;
            }
            used += (size_t)n;
        }
        (void)snprintf(buf + used, buflen - used, ")");
    }
    return buf;
}

struct aws_row {
    const char *aws;
    bedrock_code code;
    bool retry;
    bool throttle;
};

/* Names AWS sends across rest-json, query and JSON protocols. */
static const struct aws_row aws_rows[] = {
    { "UnrecognizedClientException", BEDROCK_E_INVALID_KEY, false, false },
    { "InvalidClientTokenId", BEDROCK_E_INVALID_KEY, false, false },
    { "InvalidAccessKeyId", BEDROCK_E_INVALID_KEY, false, false },
    { "InvalidSignatureException", BEDROCK_E_SIGNATURE, false, false },
    { "SignatureDoesNotMatch", BEDROCK_E_SIGNATURE, false, false },
    { "IncompleteSignature", BEDROCK_E_SIGNATURE, false, false },
    { "IncompleteSignatureException", BEDROCK_E_SIGNATURE, false, false },
    { "MissingAuthenticationToken", BEDROCK_E_AUTH, false, false },
    { "MissingAuthenticationTokenException", BEDROCK_E_AUTH, false, false },
    { "ExpiredTokenException", BEDROCK_E_EXPIRED, false, false },
    { "ExpiredToken", BEDROCK_E_EXPIRED, false, false },
    { "RequestExpired", BEDROCK_E_CLOCK_SKEW, false, false },
    { "RequestTimeTooSkewed", BEDROCK_E_CLOCK_SKEW, false, false },
    { "InvalidSignatureException.Skew", BEDROCK_E_CLOCK_SKEW, false, false },
    { "AccessDeniedException", BEDROCK_E_ACCESS_DENIED, false, false },
    { "AccessDenied", BEDROCK_E_ACCESS_DENIED, false, false },
    { "UnauthorizedOperation", BEDROCK_E_ACCESS_DENIED, false, false },
    { "ResourceNotFoundException", BEDROCK_E_NOT_FOUND, false, false },
    { "NoSuchEntity", BEDROCK_E_NOT_FOUND, false, false },
    { "NotFoundException", BEDROCK_E_NOT_FOUND, false, false },
    { "ValidationException", BEDROCK_E_VALIDATION, false, false },
    { "ValidationError", BEDROCK_E_VALIDATION, false, false },
    { "InvalidParameterValue", BEDROCK_E_VALIDATION, false, false },
    { "InvalidParameterValueException", BEDROCK_E_VALIDATION, false, false },
    { "InvalidParameterException", BEDROCK_E_VALIDATION, false, false },
    { "InvalidParameterCombination", BEDROCK_E_VALIDATION, false, false },
    { "MissingParameter", BEDROCK_E_VALIDATION, false, false },
    { "MalformedPolicyDocument", BEDROCK_E_VALIDATION, false, false },
    { "InvalidInput", BEDROCK_E_VALIDATION, false, false },
    { "InvalidAction", BEDROCK_E_VALIDATION, false, false },
    { "SerializationException", BEDROCK_E_VALIDATION, false, false },
    { "EntityAlreadyExists", BEDROCK_E_CONFLICT, false, false },
    { "DuplicateRecordException", BEDROCK_E_CONFLICT, false, false },
    { "DeleteConflict", BEDROCK_E_CONFLICT, false, false },
    { "ConflictException", BEDROCK_E_CONFLICT, false, false },
    { "LimitExceeded", BEDROCK_E_QUOTA, false, false },
    { "ServiceQuotaExceededException", BEDROCK_E_QUOTA, false, false },
    { "CreationLimitExceededException", BEDROCK_E_QUOTA, false, false },
    { "ThrottlingException", BEDROCK_E_THROTTLED, true, true },
    { "Throttling", BEDROCK_E_THROTTLED, true, true },
    { "ThrottledException", BEDROCK_E_THROTTLED, true, true },
    { "TooManyRequestsException", BEDROCK_E_THROTTLED, true, true },
    { "RequestLimitExceeded", BEDROCK_E_THROTTLED, true, true },
    { "ProvisionedThroughputExceededException", BEDROCK_E_THROTTLED, true, true },
    { "RequestThrottled", BEDROCK_E_THROTTLED, true, true },
    { "RequestThrottledException", BEDROCK_E_THROTTLED, true, true },
    { "ServiceUnavailableException", BEDROCK_E_SERVICE, true, false },
    { "ServiceUnavailable", BEDROCK_E_SERVICE, true, false },
    { "InternalServerException", BEDROCK_E_SERVICE, true, false },
    { "InternalFailure", BEDROCK_E_SERVICE, true, false },
    { "InternalError", BEDROCK_E_SERVICE, true, false },
    { "ServiceFailure", BEDROCK_E_SERVICE, true, false },
    { "InternalErrorException", BEDROCK_E_SERVICE, true, false },
    { "RequestTimeout", BEDROCK_E_TIMEOUT, true, false },
    { "RequestTimeoutException", BEDROCK_E_TIMEOUT, true, false },
    { "ModelNotReadyException", BEDROCK_E_MODEL_NOT_READY, true, false },
    { "ModelTimeoutException", BEDROCK_E_MODEL_TIMEOUT, false, false },
    { "ModelErrorException", BEDROCK_E_MODEL, false, false },
    { "ModelStreamErrorException", BEDROCK_E_STREAM_ERROR, false, false },
};

static const char *strip_namespace(const char *code)
{
    const char *hash = strrchr(code, '#');
    const char *colon = strchr(code, ':');
    const char *s = hash != NULL ? hash + 1 : code;
    (void)colon; /* x-amzn-ErrorType may carry ":http://..." suffix; callers trim it */
    return s;
}

static const struct aws_row *aws_row_for(const char *aws_code)
{
    if (aws_code == NULL || aws_code[0] == '\0') {
        return NULL;
    }
    const char *c = strip_namespace(aws_code);
    size_t n = strcspn(c, ":");
    for (size_t i = 0; i < sizeof(aws_rows) / sizeof(aws_rows[0]); i++) {
        /* exception-type headers in streams are lowerCamel: compare case-insensitively */
        if (strlen(aws_rows[i].aws) == n && strncasecmp(aws_rows[i].aws, c, n) == 0) {
            return &aws_rows[i];
        }
    }
    return NULL;
}

bedrock_code brk_error_from_aws(int http_status, const char *aws_code)
{
    const struct aws_row *r = aws_row_for(aws_code);
    if (r != NULL) {
        return r->code;
    }
    switch (http_status) {
    case 400:
        return BEDROCK_E_VALIDATION;
    case 401:
        return BEDROCK_E_AUTH;
    case 403:
        return BEDROCK_E_ACCESS_DENIED;
    case 404:
        return BEDROCK_E_NOT_FOUND;
    case 408:
        return BEDROCK_E_TIMEOUT;
    case 409:
        return BEDROCK_E_CONFLICT;
    case 429:
        return BEDROCK_E_THROTTLED;
    default:
        break;
    }
    if (http_status >= 500) {
        return BEDROCK_E_SERVICE;
    }
    return BEDROCK_E_AWS;
}

bool brk_error_is_throttle(int http_status, const char *aws_code)
{
    const struct aws_row *r = aws_row_for(aws_code);
    if (r != NULL) {
        return r->throttle;
    }
    return http_status == 429;
}

bool brk_error_is_retryable(int http_status, const char *aws_code)
{
    const struct aws_row *r = aws_row_for(aws_code);
    if (r != NULL && r->retry) {
        return true;
    }
    if (r != NULL && !r->retry && http_status < 500) {
        return false;
    }
    return http_status == 429 || http_status == 500 || http_status == 502 || http_status == 503 ||
           http_status == 504;
}

void brk_error_from_reply(struct bedrock_error *err, int http_status, const char *aws_code,
                          const char *message, const char *request_id)
{
    if (err == NULL) {
        return;
    }
    err->http_status = http_status;
    err->code = brk_error_from_aws(http_status, aws_code);
    if (aws_code != NULL) {
        const char *c = strip_namespace(aws_code);
        size_t n = strcspn(c, ":");
        if (n >= sizeof(err->aws_code)) {
            n = sizeof(err->aws_code) - 1;
        }
        memcpy(err->aws_code, c, n);
        err->aws_code[n] = '\0';
    }
    if (message != NULL && message[0] != '\0') {
        snprintf(err->message, sizeof(err->message), "%s", message);
    } else {
        snprintf(err->message, sizeof(err->message), "%s", bedrock_strerror(err->code));
    }
    if (request_id != NULL) {
        snprintf(err->request_id, sizeof(err->request_id), "%s", request_id);
    }
}
