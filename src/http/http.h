/*
 * http/http.h - HTTP over libcurl (one easy handle reused: keep-alive, HTTP/2 where offered),
 * the SDKs' standard retry policy, and the wire-protocol helpers every service shares:
 * query (form + XML via expat), JSON 1.0/1.1 and rest-json error parsing.
 *
 * This layer knows nothing of credentials or signing: services/ sign, then call here.
 */
#ifndef BRK_HTTP_H
#define BRK_HTTP_H

#include "../core/buf.h"
#include "../crypto/sigv4.h" /* struct brk_header */

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <stdint.h>

struct brk_http_options {
    long connect_timeout_ms; /* default 10000 */
    long idle_timeout_ms;    /* no byte for this long while reading: E_TIMEOUT (default 300000) */
    long total_timeout_ms;   /* whole request (0 = none) */
    const char *ca_bundle;   /* AWS_CA_BUNDLE; NULL = system default */
    bool no_http2;
};

struct brk_http_request {
    const char *method;
    const char *url;                  /* absolute URL as sent (path already encoded) */
    const struct brk_header *headers; /* sent as given; Host is set by curl from the URL */
    size_t n_headers;
    const void *body;
    size_t body_len;
};

struct brk_http_header_copy {
    char *name;
    char *value;
};

struct brk_http_response {
    int status;
    struct brk_buf body;                  /* whole body when not streamed (or error body) */
    struct brk_http_header_copy *headers; /* owned; names as received */
    size_t n_headers;
    bool streamed;  /* body went to on_data */
    double total_s; /* curl's total time */
    char host[256]; /* host of the request URL (for error messages) */
};

/* Called with body bytes as they arrive, only for 2xx responses when given; a non-OK
 * return aborts the transfer and is returned by brk_http_perform. */
typedef bedrock_code brk_http_data_fn(void *ctx, const void *p, size_t n);

struct brk_http;

BEDROCK_MUST_USE bedrock_code brk_http_new(const struct brk_http_options *opts,
                                           struct brk_http **out);
void brk_http_free(struct brk_http *h);

void brk_http_response_init(struct brk_http_response *resp);
void brk_http_response_cleanup(struct brk_http_response *resp);
/* Case-insensitive lookup; NULL when absent. */
const char *brk_http_response_header(const struct brk_http_response *resp, const char *name);
/* Append a copy of one header (used by the transport; handy for tests and fuzzers).
 * Fails with E_LIMIT past BRK_HTTP_MAX_HEADERS headers or BRK_MAX_HEADER_BYTES per value. */
#define BRK_HTTP_MAX_HEADERS 256
BEDROCK_MUST_USE bedrock_code brk_http_response_add_header(struct brk_http_response *resp,
                                                           const char *name, size_t name_len,
                                                           const char *value, size_t value_len);

/* One attempt. Transport failures return E_NETWORK / E_TIMEOUT / E_TLS with err filled
 * (message names the host and curl's reason). Any HTTP status returns OK with resp->status set.
 * --debug logs the request line, headers (redacted) and status, never bodies.
 * resp must have been through brk_http_response_init(); it is cleared first, so one response
 * can be reused across calls. Headers with CR/LF/NUL or a ':' in the name: E_INVALID_ARG.
 * The idle timeout is checked about once a second, so it fires within idle_timeout_ms + ~1 s. */
BEDROCK_MUST_USE bedrock_code brk_http_perform(struct brk_http *h,
                                               const struct brk_http_request *req,
                                               brk_http_data_fn *on_data, void *ctx,
                                               struct brk_http_response *resp,
                                               struct bedrock_error *err);

/* --- retry: the SDKs' "standard" mode --- */
struct brk_retry {
    int max_attempts;    /* AWS_MAX_ATTEMPTS, default 3 */
    long base_delay_ms;  /* default 100 (throttles: 500) */
    long max_backoff_ms; /* default 20000 */
    uint32_t rng_state;  /* jitter; seeded from OpenSSL random */
};
void brk_retry_init(struct brk_retry *r, int max_attempts);
/* Decide whether attempt (1-based) that ended with (status, aws_code, transport rc) should be
 * retried; if so *delay_ms is the wait (x-amz-retry-after in ms honoured when given >= 0). */
bool brk_retry_should(struct brk_retry *r, int attempt, bedrock_code transport_rc, int status,
                      const char *aws_code, long retry_after_ms, long *delay_ms);
void brk_sleep_ms(long ms);
/* x-amz-retry-after header of a response in ms, or -1 when absent or not a number. */
long brk_http_retry_after_ms(const struct brk_http_response *resp);

/* --- query protocol (IAM, STS, CloudWatch query) --- */
/* Append "&key=value" (or "key=value" when empty), form-urlencoded (RFC 3986 unreserved kept). */
BEDROCK_MUST_USE bedrock_code brk_form_add(struct brk_buf *form, const char *key,
                                           const char *value);

/* A small DOM built with expat. Children in document order; text is the concatenated
 * character data of the element (entities decoded). */
struct brk_xml {
    char *name; /* local name, namespace prefix stripped */
    char *text;
    struct brk_xml *child;
    struct brk_xml *next;
};
#define BRK_XML_MAX_DEPTH 64
/* Malformed XML: E_PARSE; deeper than BRK_XML_MAX_DEPTH or larger than
 * BRK_MAX_RESPONSE_BYTES: E_LIMIT. Only expat's built-in entity handling; never external. */
BEDROCK_MUST_USE bedrock_code brk_xml_parse(const char *data, size_t len, struct brk_xml **out);
void brk_xml_free(struct brk_xml *x);
/* Path of child names separated by '/', relative to x: "GetCallerIdentityResult/Arn". */
const struct brk_xml *brk_xml_find(const struct brk_xml *x, const char *path);
const char *brk_xml_text(const struct brk_xml *x, const char *path); /* NULL when absent */

/* Fill err from an AWS error response of any protocol: query XML (<ErrorResponse><Error>
 * <Code>/<Message>, <RequestId>), JSON (__type / code, message / Message, x-amzn-ErrorType
 * header), rest-json (x-amzn-ErrorType header, body message). Sets err->code via
 * brk_error_from_reply. Request id from x-amzn-RequestId / x-amz-request-id / body. */
void brk_http_parse_error(const struct brk_http_response *resp, struct bedrock_error *err);

#endif
