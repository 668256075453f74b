/*
 * services/runtime/invoke.c - InvokeModel, InvokeModelWithResponseStream and CountTokens.
 * InvokeModel usage comes from the x-amzn-bedrock-* response headers; the streaming call feeds
 * body bytes to the pipeline (stream.c) as they arrive and fails unless the stream completed.
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "core/limits.h"
#include "runtime_internal.h"
#include "stream.h"

#include <bedrock/runtime.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long header_long(const struct brk_http_response *resp, const char *name)
{
    const char *v = brk_http_response_header(resp, name);
    if (v == NULL) {
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long x = strtol(v, &end, 10);
    return errno == 0 && end != v ? x : -1;
}

static void usage_from_headers(const struct brk_http_response *resp, struct bedrock_usage *u)
{
    memset(u, 0, sizeof(*u));
    u->input_tokens = header_long(resp, "x-amzn-bedrock-input-token-count");
    u->output_tokens = header_long(resp, "x-amzn-bedrock-output-token-count");
    u->latency_ms = header_long(resp, "x-amzn-bedrock-invocation-latency");
    u->first_byte_ms = -1;
}

static void request_id(const struct brk_http_response *resp, char *out, size_t len)
{
    const char *id = brk_http_response_header(resp, "x-amzn-requestid");
    snprintf(out, len, "%s", id != NULL ? id : "");
}

bedrock_code bedrock_runtime_invoke(struct bedrock_client *client,
                                    const struct bedrock_invoke_request *req,
                                    struct bedrock_invoke_response *out, struct bedrock_error *err)
{
    if (client == NULL || req == NULL || out == NULL) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "bedrock_runtime_invoke: NULL argument");
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct brk_rt_call r = { req->model_id, "invoke", req->body, req->body_len, req->content_type,
                             req->accept,   NULL,     NULL,      NULL };
    bedrock_code rc = brk_runtime_call(client, &r, &resp, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    memset(out, 0, sizeof(*out));
    usage_from_headers(&resp, &out->usage);
    request_id(&resp, out->request_id, sizeof(out->request_id));
    const char *ct = brk_http_response_header(&resp, "content-type");
    snprintf(out->content_type, sizeof(out->content_type), "%s", ct != NULL ? ct : "");
    if (resp.body.data == NULL) {
        rc = brk_buf_append(&resp.body, "", 0);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_take(&resp.body, &out->body, &out->body_len);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, NULL);
    }
out:
    brk_http_response_cleanup(&resp);
    return rc;
}

void bedrock_invoke_response_cleanup(struct bedrock_invoke_response *resp)
{
    if (resp == NULL) {
        return;
    }
    brk_free(resp->body);
    memset(resp, 0, sizeof(*resp));
}

bedrock_code brk_runtime_stream(struct bedrock_client *client, enum brk_stream_kind kind,
                                const struct brk_rt_call *base, bedrock_stream_fn *on_event,
                                void *ctx, struct bedrock_usage *usage, struct bedrock_error *err)
{
    struct brk_stream s;
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    bedrock_code rc = brk_stream_init(&s, kind, on_event, ctx);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not set up the stream decoder");
        brk_stream_cleanup(&s);
        return rc;
    }
    struct brk_rt_call r = *base;
    r.on_data = brk_stream_on_data;
    r.ctx = &s;
    rc = brk_runtime_call(client, &r, &resp, err);
    if (rc == BEDROCK_OK) {
        rc = brk_stream_finish(&s);
    }
    if (rc == BEDROCK_E_NETWORK && resp.status >= 200 && resp.status < 300 && !s.failed) {
        /* the connection broke mid-body: the stream is cut short, not a plain network error */
        char why[sizeof(err->message)];
        snprintf(why, sizeof(why), "%s", err->message);
        s.failed = true;
        bedrock_error_set(&s.err, BEDROCK_E_STREAM_TRUNCATED,
                          "the response stream ended after %lu events: %.900s", s.n_events, why);
    }
    if (s.failed && rc != BEDROCK_OK) {
        /* the pipeline's own reason (exception frame, CRC, truncation) wins */
        int status = resp.status;
        *err = s.err;
        err->http_status = status;
        request_id(&resp, err->request_id, sizeof(err->request_id));
        rc = s.err.code;
        brk_hint_fill(client, "bedrock-runtime", base->model_id, err);
        if (rc == BEDROCK_E_STREAM_TRUNCATED) {
            bedrock_error_hint(err, "The connection ended before the model finished: retry; if it "
                                    "keeps happening check proxies and --read-timeout.");
        }
    }
    if (usage != NULL) {
        *usage = s.usage;
    }
    brk_stream_cleanup(&s);
    brk_http_response_cleanup(&resp);
    return rc;
}

bedrock_code bedrock_runtime_invoke_stream(struct bedrock_client *client,
                                           const struct bedrock_invoke_request *req,
                                           bedrock_stream_fn *on_event, void *ctx,
                                           struct bedrock_usage *usage, struct bedrock_error *err)
{
    if (client == NULL || req == NULL) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "invoke_stream: NULL argument");
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_rt_call r = { req->model_id,
                             "invoke-with-response-stream",
                             req->body,
                             req->body_len,
                             req->content_type,
                             "application/vnd.amazon.eventstream",
                             req->accept != NULL ? req->accept : "application/json",
                             NULL,
                             NULL };
    return brk_runtime_stream(client, BRK_STREAM_INVOKE, &r, on_event, ctx, usage, err);
}

/* CountTokens: {"input":{"invokeModel":{"body":"<base64 of the body>"}}} (a blob member of a
 * rest-json body is base64 on the wire, as botocore serialises it). */
bedrock_code bedrock_runtime_count_tokens(struct bedrock_client *client, const char *model_id,
                                          const void *body, size_t body_len, long *input_tokens,
                                          struct bedrock_error *err)
{
    struct brk_buf b64 = BRK_BUF(BRK_MAX_REQUEST_BYTES);
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    json_t *doc = NULL, *reply = NULL;
    char *text = NULL;
    bedrock_code rc = brk_base64_encode(&b64, body, body_len);
    if (rc == BEDROCK_OK && b64.data == NULL) {
        rc = brk_buf_append(&b64, "", 0);
    }
    if (rc == BEDROCK_OK) {
        doc = json_pack("{s:{s:{s:s}}}", "input", "invokeModel", "body", b64.data);
        text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
        rc = text != NULL ? BEDROCK_OK : BEDROCK_E_NOMEM;
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not build the CountTokens request");
        goto out;
    }
    struct brk_rt_call r = { model_id, "count-tokens", text, strlen(text), NULL,
                             NULL,     NULL,           NULL, NULL };
    rc = brk_runtime_call(client, &r, &resp, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    json_error_t je;
    reply = json_loadb(resp.body.data != NULL ? resp.body.data : "", resp.body.len, 0, &je);
    json_t *n = json_object_get(reply, "inputTokens");
    if (!json_is_integer(n)) {
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "CountTokens: the reply has no inputTokens");
        goto out;
    }
    *input_tokens = (long)json_integer_value(n);
out:
    json_decref(reply);
    json_decref(doc);
    free(text);
    brk_buf_cleanup(&b64);
    brk_http_response_cleanup(&resp);
    return rc;
}
