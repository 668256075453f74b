/*
 * services/runtime/converse.c - Converse and ConverseStream (botocore bedrock-runtime
 * service-2.json): request {"messages":[{"role","content":[{"text"}]}],"system":[{"text"}],
 * "inferenceConfig":{"maxTokens","temperature"}}; reply output.message.content[].text,
 * stopReason, usage.{inputTokens,outputTokens}, metrics.latencyMs. Unknown members ignored.
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "runtime_internal.h"

#include <bedrock/runtime.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *text_block(const char *text)
{
    return json_pack("{s:s}", "text", text != NULL ? text : "");
}

static json_t *build_request(const struct bedrock_converse_request *req)
{
    json_t *doc = json_object();
    json_t *msgs = json_array();
    if (doc == NULL || msgs == NULL || json_object_set_new(doc, "messages", msgs) != 0) {
        json_decref(doc);
        return NULL;
    }
    for (size_t i = 0; i < req->n_messages; i++) {
        json_t *m = json_pack("{s:s,s:[o]}", "role", req->messages[i].role, "content",
                              text_block(req->messages[i].text));
        if (m == NULL || json_array_append_new(msgs, m) != 0) {
            json_decref(doc);
            return NULL;
        }
    }
    if (req->system != NULL &&
        json_object_set_new(doc, "system", json_pack("[o]", text_block(req->system)))) {
        json_decref(doc);
        return NULL;
    }
    json_t *cfg = json_object();
    if (req->max_tokens > 0) {
        json_object_set_new(cfg, "maxTokens", json_integer(req->max_tokens));
    }
    if (req->temperature >= 0) {
        json_object_set_new(cfg, "temperature", json_real(req->temperature));
    }
    if (json_object_size(cfg) > 0) {
        json_object_set(doc, "inferenceConfig", cfg);
    }
    json_decref(cfg);
    return doc;
}

static bedrock_code request_text(const struct bedrock_converse_request *req, char **out,
                                 struct bedrock_error *err)
{
    if (req->raw_json != NULL) {
        *out = strdup(req->raw_json);
    } else {
        json_t *doc = build_request(req);
        *out = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
    }
    if (*out == NULL) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG,
                          "could not build the Converse request (check roles and text)");
        return BEDROCK_E_INVALID_ARG;
    }
    return BEDROCK_OK;
}

static long get_long(json_t *obj, const char *a, const char *b)
{
    json_t *v = json_object_get(json_object_get(obj, a), b);
    return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static bedrock_code parse_reply(const struct brk_http_response *resp,
                                struct bedrock_converse_response *out, struct bedrock_error *err)
{
    json_error_t je;
    struct brk_buf text = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
    json_t *doc =
        json_loadb(resp->body.data != NULL ? resp->body.data : "", resp->body.len, 0, &je);
    json_t *content =
        json_object_get(json_object_get(json_object_get(doc, "output"), "message"), "content");
    bedrock_code rc = BEDROCK_OK;
    if (!json_is_array(content)) {
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "Converse: the reply has no output.message.content");
        goto out;
    }
    size_t i;
    json_t *block;
    json_array_foreach(content, i, block)
    {
        const char *t = json_string_value(json_object_get(block, "text"));
        if (t != NULL && rc == BEDROCK_OK) {
            rc = brk_buf_append_str(&text, t);
        }
    }
    if (rc == BEDROCK_OK && text.data == NULL) {
        rc = brk_buf_append(&text, "", 0);
    }
    memset(out, 0, sizeof(*out));
    out->usage.input_tokens = get_long(doc, "usage", "inputTokens");
    out->usage.output_tokens = get_long(doc, "usage", "outputTokens");
    out->usage.latency_ms = get_long(doc, "metrics", "latencyMs");
    out->usage.first_byte_ms = -1;
    const char *stop = json_string_value(json_object_get(doc, "stopReason"));
    snprintf(out->usage.stop_reason, sizeof(out->usage.stop_reason), "%s", stop ? stop : "");
    size_t tl = 0;
    if (rc == BEDROCK_OK) {
        rc = brk_buf_take(&text, &out->text, &tl);
    }
    if (rc == BEDROCK_OK) {
        out->raw_json = brk_strndup(resp->body.data, resp->body.len);
        rc = out->raw_json != NULL ? BEDROCK_OK : BEDROCK_E_NOMEM;
    }
    if (rc != BEDROCK_OK) {
        bedrock_converse_response_cleanup(out);
        bedrock_error_set(err, rc, NULL);
    }
out:
    brk_buf_cleanup(&text);
    json_decref(doc);
    return rc;
}

bedrock_code bedrock_runtime_converse(struct bedrock_client *client,
                                      const struct bedrock_converse_request *req,
                                      struct bedrock_converse_response *out,
                                      struct bedrock_error *err)
{
    char *body = NULL;
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    bedrock_code rc = request_text(req, &body, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    struct brk_rt_call r = { req->model_id, "converse", body, strlen(body), NULL,
                             NULL,          NULL,       NULL, NULL };
    rc = brk_runtime_call(client, &r, &resp, err);
    if (rc == BEDROCK_OK) {
        rc = parse_reply(&resp, out, err);
    }
out:
    free(body);
    brk_http_response_cleanup(&resp);
    return rc;
}

void bedrock_converse_response_cleanup(struct bedrock_converse_response *resp)
{
    if (resp == NULL) {
        return;
    }
    brk_free(resp->text);
    brk_free(resp->raw_json);
    memset(resp, 0, sizeof(*resp));
}

bedrock_code bedrock_runtime_converse_stream(struct bedrock_client *client,
                                             const struct bedrock_converse_request *req,
                                             bedrock_stream_fn *on_event, void *ctx,
                                             struct bedrock_usage *usage, struct bedrock_error *err)
{
    char *body = NULL;
    bedrock_code rc = request_text(req, &body, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct brk_rt_call r = { req->model_id, "converse-stream",
                             body,          strlen(body),
                             NULL,          "application/vnd.amazon.eventstream",
                             NULL,          NULL,
                             NULL };
    rc = brk_runtime_stream(client, BRK_STREAM_CONVERSE, &r, on_event, ctx, usage, err);
    free(body);
    return rc;
}
