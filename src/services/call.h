/*
 * services/call.h - one signed AWS call: endpoint resolution, credentials (cached, refreshed,
 * one retry after ExpiredToken), SigV4 (or Bearer for Bedrock API keys), HTTP with the standard
 * retry mode (never retrying once a stream has handed data to the caller), and the error reply
 * parsed into struct bedrock_error for every protocol. Services build on brk_call().
 */
#ifndef BRK_SERVICES_CALL_H
#define BRK_SERVICES_CALL_H

#include "credentials/config.h"
#include "http/http.h"

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <jansson.h>

enum brk_protocol {
    BRK_PROTO_REST_JSON, /* bedrock, bedrock-runtime */
    BRK_PROTO_QUERY,     /* iam, sts, cloudwatch (query) */
    BRK_PROTO_JSON,      /* JSON 1.0 / 1.1 (X-Amz-Target): cloudwatch, budgets */
};

struct brk_call {
    const char *service_id;   /* endpoint key: "bedrock-runtime", "sts", ... */
    const char *signing_name; /* "bedrock", "sts", "iam", "monitoring", "budgets" */
    const char *method;
    const char *path;                 /* wire path, already encoded; NULL = "/" */
    const char *query;                /* raw query or NULL */
    const struct brk_header *headers; /* extra headers: Content-Type, X-Amz-Target, Accept */
    size_t n_headers;
    const void *body;
    size_t body_len;
    enum brk_protocol protocol;
    brk_http_data_fn *on_data; /* stream a 2xx body here instead of buffering */
    void *ctx;
    bool allow_bearer;                   /* Bedrock endpoints accept Authorization: Bearer */
    const struct brk_credentials *creds; /* use these instead of the client's chain */
    const char *region;                  /* override the client's region (NULL = client's) */
};

/* Performs the call. On an AWS error (non-2xx) returns the mapped code with err filled
 * (status, AWS code, message, request id) and resp holding the error body. */
BEDROCK_MUST_USE bedrock_code brk_call(struct bedrock_client *client, const struct brk_call *call,
                                       struct brk_http_response *resp, struct bedrock_error *err);

/* Query protocol: POST / with Action, Version and the params already in form (may be empty);
 * returns the parsed XML document root (<ActionResponse>). */
BEDROCK_MUST_USE bedrock_code brk_query_call(struct bedrock_client *client, const char *service_id,
                                             const char *signing_name, const char *action,
                                             const char *version, const struct brk_buf *form,
                                             const struct brk_credentials *creds,
                                             struct brk_xml **out, struct bedrock_error *err);

/* JSON 1.0/1.1: POST / with X-Amz-Target: target and body (NULL = {}); *out gets the reply
 * object (new reference). json_version is "1.0" or "1.1". */
BEDROCK_MUST_USE bedrock_code brk_json_call(struct bedrock_client *client, const char *service_id,
                                            const char *signing_name, const char *json_version,
                                            const char *target, json_t *body, json_t **out,
                                            struct bedrock_error *err);

/* Internal accessors used by services and the CLI. */
struct brk_config *brk_client_config(struct bedrock_client *client);
struct brk_http *brk_client_http(struct bedrock_client *client);
/* Resolve (cached) credentials now. Borrowed pointer valid until the next call. */
BEDROCK_MUST_USE bedrock_code brk_client_credentials(struct bedrock_client *client,
                                                     const struct brk_credentials **out,
                                                     struct bedrock_error *err);

/* --- added by the client layer --- */
/* Tests only: send an extra header (e.g. "x-emulator-fault: throttle") on every call, signed
 * like the others. value NULL removes it. At most 8. */
BEDROCK_MUST_USE bedrock_code brk_client_set_extra_header(struct bedrock_client *client,
                                                          const char *name, const char *value);
/* Attempts the last brk_call made (1 = no retry), for tests and --debug. */
int brk_client_last_attempts(const struct bedrock_client *client);

/* hints.c: fill err->hint with what to do next, by err->code and the failed call's context
 * (service id, model id or NULL). May refine err->code (IAM denial vs model access). */
void brk_hint_fill(struct bedrock_client *client, const char *service_id, const char *model_id,
                   struct bedrock_error *err);
/* Parse AWS's "User: X is not authorized to perform: A on resource: R ..." message. */
bool brk_hint_parse_denial(const char *message, char *action, size_t action_len, char *resource,
                           size_t resource_len);
/* True for "... with on-demand throughput isn't supported ..." (model needs a profile). */
bool brk_hint_is_needs_profile(const struct bedrock_error *err);

#endif
