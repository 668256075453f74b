/*
 * services/call_proto.c - the query (form + XML) and JSON 1.0/1.1 (X-Amz-Target) protocols on
 * top of brk_call. Errors of both protocols are parsed by brk_call (brk_http_parse_error).
 */
#include "client_internal.h"
#include "core/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bedrock_code brk_query_call(struct bedrock_client *client, const char *service_id,
                            const char *signing_name, const char *action, const char *version,
                            const struct brk_buf *form, const struct brk_credentials *creds,
                            struct brk_xml **out, struct bedrock_error *err)
{
    static const char ctype[] = "application/x-www-form-urlencoded; charset=utf-8";
    struct brk_buf body = BRK_BUF(BRK_MAX_REQUEST_BYTES);
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    bedrock_code rc = brk_form_add(&body, "Action", action);
    if (rc == BEDROCK_OK) {
        rc = brk_form_add(&body, "Version", version);
    }
    if (rc == BEDROCK_OK && form != NULL && form->len > 0) {
        rc = brk_buf_appendf(&body, "&%s", form->data);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not build the %s request", action);
        goto out;
    }
    struct brk_header h[1] = { BRK_HDR("Content-Type", ctype) };
    struct brk_call call = { 0 };
    call.service_id = service_id;
    call.signing_name = signing_name;
    call.method = "POST";
    call.path = "/";
    call.headers = h;
    call.n_headers = 1;
    call.body = body.data;
    call.body_len = body.len;
    call.protocol = BRK_PROTO_QUERY;
    call.creds = creds;
    rc = brk_call(client, &call, &resp, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    rc = brk_xml_parse(resp.body.data != NULL ? resp.body.data : "", resp.body.len, out);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "%s: the %s reply is not valid XML", action, service_id);
    }
out:
    brk_http_response_cleanup(&resp);
    brk_buf_cleanup(&body);
    return rc;
}

bedrock_code brk_json_call(struct bedrock_client *client, const char *service_id,
                           const char *signing_name, const char *json_version, const char *target,
                           json_t *body, json_t **out, struct bedrock_error *err)
{
    char ctype[64];
    snprintf(ctype, sizeof(ctype), "application/x-amz-json-%s", json_version);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    const char *payload = text != NULL ? text : "{}";
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct brk_header h[2] = { BRK_HDR("Content-Type", ctype), BRK_HDR("X-Amz-Target", target) };
    struct brk_call call = { 0 };
    call.service_id = service_id;
    call.signing_name = signing_name;
    call.method = "POST";
    call.path = "/";
    call.headers = h;
    call.n_headers = 2;
    call.body = payload;
    call.body_len = strlen(payload);
    call.protocol = BRK_PROTO_JSON;
    bedrock_code rc = BEDROCK_OK;
    if (body != NULL && text == NULL) {
        rc = BEDROCK_E_NOMEM;
        bedrock_error_set(err, rc, "could not serialise the %s request", target);
        goto out;
    }
    rc = brk_call(client, &call, &resp, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    json_error_t je;
    json_t *reply =
        resp.body.len > 0 ? json_loadb(resp.body.data, resp.body.len, 0, &je) : json_object();
    if (reply == NULL || !json_is_object(reply)) {
        json_decref(reply);
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "%s: the reply is not a JSON object", target);
        goto out;
    }
    *out = reply;
out:
    free(text);
    brk_http_response_cleanup(&resp);
    return rc;
}
