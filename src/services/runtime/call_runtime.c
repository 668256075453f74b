/*
 * services/runtime/call_runtime.c - the shared bedrock-runtime call (see runtime_internal.h).
 * Invariant: the auto-profile retry happens at most once and only before any byte of a 2xx
 * body reached the caller (a needs-profile answer is a 400, so nothing was streamed).
 */
#include "core/limits.h"
#include "runtime_internal.h"

#include <bedrock/control.h>

#include <stdio.h>
#include <string.h>

bedrock_code brk_runtime_path(struct brk_buf *out, const char *model_id, const char *op)
{
    bedrock_code rc = brk_buf_append_str(out, "/model/");
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(out, model_id, strlen(model_id), false);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(out, "/%s", op);
    }
    return rc;
}

static bedrock_code call_model(struct bedrock_client *client, const struct brk_rt_call *r,
                               const char *model_id, struct brk_http_response *resp,
                               struct bedrock_error *err)
{
    struct brk_buf path = BRK_BUF(BRK_MAX_URL_BYTES);
    const char *ctype = r->content_type != NULL ? r->content_type : "application/json";
    const char *accept = r->accept != NULL ? r->accept : "application/json";
    struct brk_header h[3] = { BRK_HDR("Content-Type", ctype),
                               BRK_HDR("Accept", accept),
                               { NULL, 0, NULL, 0 } };
    size_t nh = 2;
    if (r->bedrock_accept != NULL) {
        h[nh++] = BRK_HDR("X-Amzn-Bedrock-Accept", r->bedrock_accept);
    }
    bedrock_code rc = brk_runtime_path(&path, model_id, r->op);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "model id too long");
        goto out;
    }
    struct brk_call call = { 0 };
    call.service_id = "bedrock-runtime";
    call.signing_name = "bedrock";
    call.method = "POST";
    call.path = path.data;
    call.headers = h;
    call.n_headers = nh;
    call.body = r->body;
    call.body_len = r->body_len;
    call.protocol = BRK_PROTO_REST_JSON;
    call.on_data = r->on_data;
    call.ctx = r->ctx;
    call.allow_bearer = true;
    rc = brk_call(client, &call, resp, err);
out:
    brk_buf_cleanup(&path);
    return rc;
}

/* Turn a needs-profile ValidationException into E_NEEDS_PROFILE naming the profile. */
static bool needs_profile(struct bedrock_client *client, const char *model_id, char *profile,
                          size_t plen, struct bedrock_error *err)
{
    if (!brk_hint_is_needs_profile(err)) {
        return false;
    }
    struct bedrock_error saved = *err;
    struct bedrock_error perr;
    bedrock_error_clear(&perr);
    bedrock_code prc = bedrock_find_profile_for_model(client, model_id, profile, plen, &perr);
    *err = saved;
    err->code = BEDROCK_E_NEEDS_PROFILE;
    if (prc == BEDROCK_OK) {
        bedrock_error_hint(err,
                           "Model %s has no on-demand throughput in %s: use the inference "
                           "profile %s instead (e.g. --model %s), or pass --auto-profile.",
                           model_id, bedrock_client_region(client), profile, profile);
        return true;
    }
    bedrock_error_hint(err,
                       "Model %s has no on-demand throughput in %s: invoke it through an "
                       "inference profile that contains it (`bedrockctl models profiles`); "
                       "none was found for this region (%s).",
                       model_id, bedrock_client_region(client), perr.message);
    profile[0] = '\0';
    return true;
}

bedrock_code brk_runtime_call(struct bedrock_client *client, const struct brk_rt_call *r,
                              struct brk_http_response *resp, struct bedrock_error *err)
{
    if (r->model_id == NULL || r->model_id[0] == '\0') {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "no model id given");
        return BEDROCK_E_INVALID_ARG;
    }
    bedrock_code rc = call_model(client, r, r->model_id, resp, err);
    if (rc == BEDROCK_OK) {
        return rc;
    }
    char profile[256];
    if (!needs_profile(client, r->model_id, profile, sizeof(profile), err)) {
        brk_hint_fill(client, "bedrock-runtime", r->model_id, err);
        return err->code != BEDROCK_OK ? err->code : rc;
    }
    if (!client->auto_profile || profile[0] == '\0') {
        return BEDROCK_E_NEEDS_PROFILE;
    }
    bedrock_error_clear(err);
    rc = call_model(client, r, profile, resp, err);
    if (rc != BEDROCK_OK) {
        brk_hint_fill(client, "bedrock-runtime", profile, err);
        return err->code != BEDROCK_OK ? err->code : rc;
    }
    return rc;
}
