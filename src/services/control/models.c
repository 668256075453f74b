/*
 * services/control/models.c - ListFoundationModels (GET /foundation-models?byProvider=..&
 * byOutputModality=..&byInferenceType=..&byCustomizationType=..) and GetFoundationModel
 * (GET /foundation-models/<id as one encoded segment>), plus the shared control-plane GET.
 * Enums are open strings; unknown members are ignored.
 */
#include "control_internal.h"
#include "core/alloc.h"
#include "core/limits.h"

#include <bedrock/control.h>

#include <stdlib.h>
#include <string.h>

bedrock_code brk_control_get(struct bedrock_client *client, const char *path, const char *query,
                             json_t **out, char **raw, struct bedrock_error *err)
{
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct brk_call call = { 0 };
    call.service_id = "bedrock";
    call.signing_name = "bedrock";
    call.method = "GET";
    call.path = path;
    call.query = query;
    call.protocol = BRK_PROTO_REST_JSON;
    call.allow_bearer = true;
    bedrock_code rc = brk_call(client, &call, &resp, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    json_error_t je;
    json_t *doc = json_loadb(resp.body.data != NULL ? resp.body.data : "", resp.body.len, 0, &je);
    if (!json_is_object(doc)) {
        json_decref(doc);
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "GET %s: the reply is not a JSON object", path);
        goto out;
    }
    if (raw != NULL) {
        *raw = brk_strndup(resp.body.data, resp.body.len);
        if (*raw == NULL) {
            json_decref(doc);
            rc = BEDROCK_E_NOMEM;
            bedrock_error_set(err, rc, NULL);
            goto out;
        }
    }
    *out = doc;
out:
    brk_http_response_cleanup(&resp);
    return rc;
}

char *brk_control_str(json_t *obj, const char *key, bool *oom)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s == NULL) {
        return NULL;
    }
    char *d = brk_strdup(s);
    if (d == NULL) {
        *oom = true;
    }
    return d;
}

char **brk_control_strv(json_t *obj, const char *key, bool *oom)
{
    json_t *arr = json_object_get(obj, key);
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    char **v = brk_calloc(n + 1, sizeof(*v));
    if (v == NULL) {
        *oom = true;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        /* profiles list {"modelArn": ...} objects; plain arrays list strings */
        const char *s = json_is_string(item) ? json_string_value(item)
                                             : json_string_value(json_object_get(item, "modelArn"));
        if (s == NULL) {
            continue;
        }
        v[k] = brk_strdup(s);
        if (v[k] == NULL) {
            *oom = true;
            break;
        }
        k++;
    }
    return v;
}

void brk_control_strv_free(char **v)
{
    if (v == NULL) {
        return;
    }
    for (size_t i = 0; v[i] != NULL; i++) {
        brk_free(v[i]);
    }
    brk_free(v);
}

static void summary_cleanup(struct bedrock_model_summary *m)
{
    brk_free(m->model_id);
    brk_free(m->model_arn);
    brk_free(m->model_name);
    brk_free(m->provider_name);
    brk_control_strv_free(m->input_modalities);
    brk_control_strv_free(m->output_modalities);
    brk_control_strv_free(m->inference_types);
    brk_control_strv_free(m->customizations);
    brk_free(m->lifecycle_status);
    memset(m, 0, sizeof(*m));
}

static bool summary_from(json_t *o, struct bedrock_model_summary *m)
{
    bool oom = false;
    m->model_id = brk_control_str(o, "modelId", &oom);
    m->model_arn = brk_control_str(o, "modelArn", &oom);
    m->model_name = brk_control_str(o, "modelName", &oom);
    m->provider_name = brk_control_str(o, "providerName", &oom);
    m->input_modalities = brk_control_strv(o, "inputModalities", &oom);
    m->output_modalities = brk_control_strv(o, "outputModalities", &oom);
    m->inference_types = brk_control_strv(o, "inferenceTypesSupported", &oom);
    m->customizations = brk_control_strv(o, "customizationsSupported", &oom);
    json_t *st = json_object_get(o, "responseStreamingSupported");
    m->streaming_known = json_is_boolean(st);
    m->streaming_supported = json_is_true(st);
    m->lifecycle_status = brk_control_str(json_object_get(o, "modelLifecycle"), "status", &oom);
    return !oom;
}

/* Fill list from an array of FoundationModelSummary objects. */
static bedrock_code list_from(json_t *arr, struct bedrock_model_list *list,
                              struct bedrock_error *err)
{
    size_t n = json_array_size(arr);
    list->models = brk_calloc(n + 1, sizeof(*list->models));
    if (list->models == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
        return BEDROCK_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            continue;
        }
        bool ok = summary_from(o, &list->models[list->n_models]);
        list->n_models++;
        if (!ok) {
            bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
            return BEDROCK_E_NOMEM;
        }
    }
    return BEDROCK_OK;
}

static bedrock_code add_filter(struct brk_buf *q, const char *key, const char *value)
{
    if (value == NULL || value[0] == '\0') {
        return BEDROCK_OK;
    }
    return brk_form_add(q, key, value);
}

bedrock_code bedrock_list_foundation_models(struct bedrock_client *client,
                                            const struct bedrock_model_filter *filter,
                                            struct bedrock_model_list *out,
                                            struct bedrock_error *err)
{
    struct brk_buf q = BRK_BUF(BRK_MAX_URL_BYTES);
    struct bedrock_model_list list = { 0 };
    json_t *doc = NULL;
    bedrock_code rc = BEDROCK_OK;
    if (filter != NULL) {
        rc = add_filter(&q, "byProvider", filter->by_provider);
        rc = rc == BEDROCK_OK ? add_filter(&q, "byOutputModality", filter->by_output_modality) : rc;
        rc = rc == BEDROCK_OK ? add_filter(&q, "byInferenceType", filter->by_inference_type) : rc;
        rc = rc == BEDROCK_OK ? add_filter(&q, "byCustomizationType", filter->by_customization_type)
                              : rc;
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "filter too long");
        goto out;
    }
    rc = brk_control_get(client, "/foundation-models", q.data, &doc, &list.raw_json, err);
    if (rc == BEDROCK_OK) {
        rc = list_from(json_object_get(doc, "modelSummaries"), &list, err);
    }
    if (rc == BEDROCK_OK) {
        *out = list;
        memset(&list, 0, sizeof(list));
    }
out:
    bedrock_model_list_cleanup(&list);
    json_decref(doc);
    brk_buf_cleanup(&q);
    return rc;
}

bedrock_code bedrock_get_foundation_model(struct bedrock_client *client, const char *model_id,
                                          struct bedrock_model_list *out, struct bedrock_error *err)
{
    struct brk_buf path = BRK_BUF(BRK_MAX_URL_BYTES);
    struct bedrock_model_list list = { 0 };
    json_t *doc = NULL, *arr = NULL;
    bedrock_code rc = brk_buf_append_str(&path, "/foundation-models/");
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(&path, model_id, strlen(model_id), false);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "model id too long");
        goto out;
    }
    rc = brk_control_get(client, path.data, NULL, &doc, &list.raw_json, err);
    if (rc != BEDROCK_OK) {
        brk_hint_fill(client, "bedrock", model_id, err);
        rc = err->code;
        goto out;
    }
    json_t *details = json_object_get(doc, "modelDetails");
    if (!json_is_object(details)) {
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "GetFoundationModel: the reply has no modelDetails");
        goto out;
    }
    arr = json_pack("[O]", details);
    rc = list_from(arr, &list, err);
    if (rc == BEDROCK_OK) {
        *out = list;
        memset(&list, 0, sizeof(list));
    }
out:
    bedrock_model_list_cleanup(&list);
    json_decref(arr);
    json_decref(doc);
    brk_buf_cleanup(&path);
    return rc;
}

void bedrock_model_list_cleanup(struct bedrock_model_list *list)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->n_models; i++) {
        summary_cleanup(&list->models[i]);
    }
    brk_free(list->models);
    brk_free(list->raw_json);
    memset(list, 0, sizeof(list[0]));
}
