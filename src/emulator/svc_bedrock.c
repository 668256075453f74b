/*
 * emulator/svc_bedrock.c - Bedrock control plane (rest-json): ListFoundationModels,
 * GetFoundationModel, GetFoundationModelAvailability, ListInferenceProfiles, GetInferenceProfile,
 * over catalog.c.
 *
 * Routes: GET /foundation-models[?byProvider&byOutputModality&byInferenceType&
 * byCustomizationType], GET /foundation-models/{id|arn}, GET /foundation-model-availability/{id}
 * (authorizationStatus follows the account's model access), GET /inference-profiles[?type&
 * maxResults&nextToken], GET /inference-profiles/{id|arn}. Path segments are percent-decoded
 * once. Only models offered in the emulator's region are visible; each operation is authorised
 * (emu_authorize_or_reply) before anything is revealed. nextToken is the decimal index of the
 * next profile (opaque to clients).
 */
#include "emulator/svc_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROFILE_CREATED_S 1727740800 /* 2024-10-01T00:00:00Z */

static json_t *model_json(const struct emu_model *m, const char *region)
{
    char arn[320];
    emu_fm_arn(region, m->model_id, arn, sizeof(arn));
    json_t *o = json_object();
    json_object_set_new(o, "modelArn", json_string(arn));
    json_object_set_new(o, "modelId", json_string(m->model_id));
    json_object_set_new(o, "modelName", json_string(m->name));
    json_object_set_new(o, "providerName", json_string(m->provider));
    json_object_set_new(o, "inputModalities", emu_json_list(m->input_modalities));
    json_object_set_new(o, "outputModalities", emu_json_list(m->output_modalities));
    json_object_set_new(o, "responseStreamingSupported", json_boolean(m->streaming));
    json_object_set_new(o, "customizationsSupported",
                        emu_json_list(m->customizations != NULL ? m->customizations : ""));
    json_object_set_new(o, "inferenceTypesSupported", emu_json_list(m->inference_types));
    json_object_set_new(o, "modelLifecycle", json_pack("{s:s}", "status", m->lifecycle));
    return o;
}

static bool filter_match(const char *want, const char *list)
{
    return want[0] == '\0' || emu_list_has(list, want);
}

static void list_models(struct emu_request *req)
{
    char prov[64], outm[64], inft[64], cust[64];
    if (!emu_authorize_or_reply(req, "bedrock:ListFoundationModels", "*", NULL, 0)) {
        return;
    }
    (void)emu_svc_query_get(req->query, "byProvider", prov, sizeof(prov));
    (void)emu_svc_query_get(req->query, "byOutputModality", outm, sizeof(outm));
    (void)emu_svc_query_get(req->query, "byInferenceType", inft, sizeof(inft));
    (void)emu_svc_query_get(req->query, "byCustomizationType", cust, sizeof(cust));
    size_t n = 0;
    const struct emu_model *models = emu_catalog_models(&n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct emu_model *m = &models[i];
        if (!emu_model_in_region(m, req->region) ||
            (prov[0] != '\0' && strcasecmp(prov, m->provider) != 0) ||
            !filter_match(outm, m->output_modalities) || !filter_match(inft, m->inference_types) ||
            !filter_match(cust, m->customizations != NULL ? m->customizations : "")) {
            continue;
        }
        json_array_append_new(arr, model_json(m, req->region));
    }
    emu_reply_json(req, 200, "application/json", json_pack("{s:o}", "modelSummaries", arr));
}

/* Identifier syntax check as the service model's pattern does it (length, charset). */
static bool ident_syntax_ok(const char *id)
{
    size_t len = strlen(id);
    if (len == 0 || len > 2048) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == ':' || c == '/' || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

static void get_model(struct emu_request *req, const char *ident)
{
    const struct emu_model *m = NULL;
    const struct emu_profile *p = NULL;
    char arn[320];
    if (!ident_syntax_ok(ident)) {
        emu_reply_error(req, 400, "ValidationException",
                        "1 validation error detected: Value '%s' at 'modelIdentifier' failed to "
                        "satisfy constraint: Member must satisfy regular expression pattern: "
                        "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/"
                        "[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}/[a-z0-9]{12})|(:foundation-model/"
                        "[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}))|([a-z0-9-]{1,63}[.]{1}"
                        "[a-z0-9-:]{1,63})",
                        ident);
        return;
    }
    bool found =
        emu_resolve_model_id(ident, &m, &p) && m != NULL && emu_model_in_region(m, req->region);
    emu_fm_arn(req->region, found ? m->model_id : ident, arn, sizeof(arn));
    if (!emu_authorize_or_reply(req, "bedrock:GetFoundationModel", found ? arn : "*", NULL, 0)) {
        return;
    }
    if (!found) {
        emu_reply_error(req, 404, "ResourceNotFoundException",
                        "Could not resolve the foundation model from the provided model "
                        "identifier.");
        return;
    }
    emu_reply_json(req, 200, "application/json",
                   json_pack("{s:o}", "modelDetails", model_json(m, req->region)));
}

/* Model access as the console's "Model access" page shows it: the admin API and
 * --deny-model-access flip authorizationStatus/entitlementAvailability. */
static void get_availability(struct emu_request *req, const char *ident)
{
    const struct emu_model *m = NULL;
    const struct emu_profile *p = NULL;
    if (!emu_authorize_or_reply(req, "bedrock:GetFoundationModelAvailability", "*", NULL, 0)) {
        return;
    }
    if (!emu_resolve_model_id(ident, &m, &p) || m == NULL || p != NULL ||
        !emu_model_in_region(m, req->region)) {
        emu_reply_error(req, 404, "ResourceNotFoundException",
                        "Could not resolve the foundation model from the provided model "
                        "identifier.");
        return;
    }
    bool granted = emu_model_access_granted(req->server, m->model_id);
    emu_reply_json(req, 200, "application/json",
                   json_pack("{s:s,s:{s:s},s:s,s:s,s:s}", "modelId", m->model_id,
                             "agreementAvailability", "status", "AVAILABLE", "authorizationStatus",
                             granted ? "AUTHORIZED" : "NOT_AUTHORIZED", "entitlementAvailability",
                             granted ? "AVAILABLE" : "NOT_AVAILABLE", "regionAvailability",
                             "AVAILABLE"));
}

static json_t *profile_json(struct emu_request *req, const struct emu_profile *p)
{
    char arn[320], marn[320];
    const char *acct = emu_server_account(req->server);
    emu_profile_arn(req->region, acct, p->profile_id, arn, sizeof(arn));
    json_t *models = json_array();
    bool global = strcmp(p->dest_regions, "*") == 0;
    json_t *dests = emu_json_list(global ? "" : p->dest_regions);
    if (global) {
        emu_fm_arn("", p->model_id, marn, sizeof(marn));
        json_array_append_new(models, json_pack("{s:s}", "modelArn", marn));
    }
    size_t i;
    json_t *r;
    json_array_foreach(dests, i, r)
    {
        emu_fm_arn(json_string_value(r), p->model_id, marn, sizeof(marn));
        json_array_append_new(models, json_pack("{s:s}", "modelArn", marn));
    }
    json_decref(dests);
    const struct emu_model *m = emu_catalog_find_model(p->model_id);
    char desc[512];
    snprintf(desc, sizeof(desc), "Routes requests to %s %s in %s.", m != NULL ? m->provider : "",
             m != NULL ? m->name : p->model_id, global ? "any commercial region" : p->dest_regions);
    return json_pack("{s:s,s:s,s:i,s:i,s:s,s:o,s:s,s:s,s:s}", "inferenceProfileName", p->name,
                     "description", desc, "createdAt", PROFILE_CREATED_S, "updatedAt",
                     PROFILE_CREATED_S, "inferenceProfileArn", arn, "models", models,
                     "inferenceProfileId", p->profile_id, "status", "ACTIVE", "type",
                     "SYSTEM_DEFINED");
}

static void list_profiles(struct emu_request *req)
{
    char type[32], maxr[16], tok[32];
    if (!emu_authorize_or_reply(req, "bedrock:ListInferenceProfiles", "*", NULL, 0)) {
        return;
    }
    (void)emu_svc_query_get(req->query, "type", type, sizeof(type));
    long max = 1000, start = 0;
    if (emu_svc_query_get(req->query, "maxResults", maxr, sizeof(maxr))) {
        char *end = NULL;
        max = strtol(maxr, &end, 10);
        if (end == maxr || *end != '\0' || max < 1 || max > 1000) {
            emu_reply_error(req, 400, "ValidationException",
                            "1 validation error detected: Value '%s' at 'maxResults' failed to "
                            "satisfy constraint: Member must have value between 1 and 1000",
                            maxr);
            return;
        }
    }
    if (emu_svc_query_get(req->query, "nextToken", tok, sizeof(tok))) {
        char *end = NULL;
        start = strtol(tok, &end, 10);
        if (end == tok || *end != '\0' || start < 0) {
            emu_reply_error(req, 400, "ValidationException", "Invalid pagination token.");
            return;
        }
    }
    json_t *arr = json_array();
    json_t *out = json_object();
    if (type[0] != '\0' && strcmp(type, "SYSTEM_DEFINED") != 0) {
        json_object_set_new(out, "inferenceProfileSummaries", arr);
        emu_reply_json(req, 200, "application/json", out);
        return;
    }
    size_t n = 0;
    const struct emu_profile *ps = emu_catalog_profiles(&n);
    long seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!emu_list_has(ps[i].source_region_set, req->region)) {
            continue;
        }
        if (seen++ < start) {
            continue;
        }
        if ((long)json_array_size(arr) == max) {
            char next[32];
            snprintf(next, sizeof(next), "%ld", seen - 1);
            json_object_set_new(out, "nextToken", json_string(next));
            break;
        }
        json_array_append_new(arr, profile_json(req, &ps[i]));
    }
    json_object_set_new(out, "inferenceProfileSummaries", arr);
    emu_reply_json(req, 200, "application/json", out);
}

static void get_profile(struct emu_request *req, const char *ident)
{
    const struct emu_model *m = NULL;
    const struct emu_profile *p = NULL;
    char arn[320];
    bool found = emu_resolve_model_id(ident, &m, &p) && p != NULL &&
                 emu_list_has(p->source_region_set, req->region);
    emu_profile_arn(req->region, emu_server_account(req->server), found ? p->profile_id : ident,
                    arn, sizeof(arn));
    if (!emu_authorize_or_reply(req, "bedrock:GetInferenceProfile", arn, NULL, 0)) {
        return;
    }
    if (!found) {
        emu_reply_error(req, 404, "ResourceNotFoundException",
                        "The specified inference profile %s was not found.", ident);
        return;
    }
    emu_reply_json(req, 200, "application/json", profile_json(req, p));
}

void emu_svc_bedrock(struct emu_request *req)
{
    static const char fm[] = "/foundation-models";
    static const char ip[] = "/inference-profiles";
    static const char av[] = "/foundation-model-availability/";
    char ident[2100];
    const char *path = req->path;
    const char *rest = NULL;
    bool models = false;
    if (strncmp(path, av, sizeof(av) - 1) == 0 && strcmp(req->method, "GET") == 0) {
        if (!emu_svc_pct_decode(path + sizeof(av) - 1, strlen(path + sizeof(av) - 1), false, ident,
                                sizeof(ident))) {
            emu_reply_error(req, 400, "ValidationException", "The provided identifier is invalid.");
            return;
        }
        get_availability(req, ident);
        return;
    }
    if (strncmp(path, fm, sizeof(fm) - 1) == 0) {
        rest = path + sizeof(fm) - 1;
        models = true;
    } else if (strncmp(path, ip, sizeof(ip) - 1) == 0) {
        rest = path + sizeof(ip) - 1;
    }
    if (rest == NULL || strcmp(req->method, "GET") != 0 || (rest[0] != '\0' && rest[0] != '/')) {
        emu_reply_error(req, 404, "UnknownOperationException", "Unknown operation");
        return;
    }
    if (rest[0] == '\0' || strcmp(rest, "/") == 0) {
        if (models) {
            list_models(req);
        } else {
            list_profiles(req);
        }
        return;
    }
    if (!emu_svc_pct_decode(rest + 1, strlen(rest + 1), false, ident, sizeof(ident))) {
        emu_reply_error(req, 400, "ValidationException", "The provided identifier is invalid.");
        return;
    }
    if (models) {
        get_model(req, ident);
    } else {
        get_profile(req, ident);
    }
}
