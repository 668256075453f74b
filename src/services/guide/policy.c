/*
 * services/guide/policy.c - least-privilege policy generation and policy checking.
 *
 * With the defaults (the guide's model and region) the generated document is the guide's
 * BedrockClaudeInvokeOnly policy statement for statement. For an inference profile it grants
 * the profile ARN, plus the foundation model in every destination region the profile routes
 * to, pinned to that profile with a bedrock:InferenceProfileArn condition: AWS authorises a
 * profile call twice (profile ARN, then the model in the region the request lands in), so a
 * policy that names only the source region fails intermittently when routing picks another.
 */
#include "policy.h"

#include "core/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const profile_prefixes[] = { "us.", "eu.", "apac.", "global.", "us-gov.",
                                                "ca.", "jp.", "au.",   "apne1.",  NULL };

bool brk_policy_is_profile(const char *model_id)
{
    if (strncmp(model_id, "arn:", 4) == 0) {
        return strstr(model_id, ":inference-profile/") != NULL ||
               strstr(model_id, ":application-inference-profile/") != NULL;
    }
    for (size_t i = 0; profile_prefixes[i] != NULL; i++) {
        if (strncmp(model_id, profile_prefixes[i], strlen(profile_prefixes[i])) == 0) {
            return true;
        }
    }
    return false;
}

bedrock_code brk_policy_bare_id(const char *model_id, char *out, size_t len)
{
    const char *id = model_id;
    if (strncmp(model_id, "arn:", 4) == 0) {
        const char *slash = strchr(model_id, '/');
        if (slash == NULL || slash[1] == '\0') {
            return BEDROCK_E_INVALID_ARG;
        }
        id = slash + 1;
    }
    size_t n = strlen(id);
    if (n == 0 || n >= len) {
        return BEDROCK_E_INVALID_ARG;
    }
    memcpy(out, id, n + 1);
    return BEDROCK_OK;
}

const char *brk_policy_profile_model(const char *profile_id)
{
    const char *dot = strchr(profile_id, '.');
    return dot != NULL ? dot + 1 : profile_id;
}

static json_t *invoke_actions(const struct brk_policy_spec *spec)
{
    json_t *a = json_array();
    json_array_append_new(a, json_string("bedrock:InvokeModel"));
    if (!spec->no_stream) {
        json_array_append_new(a, json_string("bedrock:InvokeModelWithResponseStream"));
    }
    if (spec->count_tokens) {
        json_array_append_new(a, json_string("bedrock:CountTokens"));
    }
    return a;
}

static json_t *statement(const char *sid, json_t *actions, json_t *resources)
{
    json_t *st = json_object();
    json_object_set_new(st, "Sid", json_string(sid));
    json_object_set_new(st, "Effect", json_string("Allow"));
    json_object_set_new(st, "Action", actions);
    json_object_set_new(st, "Resource", resources);
    return st;
}

static bool array_has(const json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(v), s) == 0) {
            return true;
        }
    }
    return false;
}

static bedrock_code profile_statements(const struct brk_policy_spec *spec, json_t *stmts,
                                       json_t *profile_arns, struct bedrock_error *err)
{
    size_t nprof = 0;
    for (size_t i = 0; i < spec->n_models; i++) {
        const struct brk_policy_model *m = &spec->models[i];
        if (!brk_policy_is_profile(m->model_id)) {
            continue;
        }
        char arn[512];
        if (strncmp(m->model_id, "arn:", 4) == 0) {
            snprintf(arn, sizeof(arn), "%s", m->model_id);
        } else {
            if (spec->account_id == NULL || spec->account_id[0] == '\0') {
                bedrock_error_set(err, BEDROCK_E_INVALID_ARG,
                                  "inference profile %s needs the account id (--account-id)",
                                  m->model_id);
                return BEDROCK_E_INVALID_ARG;
            }
            snprintf(arn, sizeof(arn), "arn:aws:bedrock:%s:%s:inference-profile/%s", spec->region,
                     spec->account_id, m->model_id);
        }
        if (m->dest_model_arns == NULL || m->dest_model_arns[0] == NULL) {
            bedrock_error_set(err, BEDROCK_E_INVALID_ARG,
                              "inference profile %s: its destination model ARNs are unknown "
                              "(GetInferenceProfile)",
                              m->model_id);
            return BEDROCK_E_INVALID_ARG;
        }
        json_array_append_new(profile_arns, json_string(arn));
        json_t *res = json_array();
        for (size_t k = 0; m->dest_model_arns[k] != NULL; k++) {
            if (!array_has(res, m->dest_model_arns[k])) {
                json_array_append_new(res, json_string(m->dest_model_arns[k]));
            }
        }
        nprof++;
        char sid[64];
        snprintf(sid, sizeof(sid), "BedrockInvokeViaProfile%zu", nprof);
        json_t *st = statement(sid, invoke_actions(spec), res);
        json_t *cond = json_pack("{s:{s:s}}", "StringEquals", "bedrock:InferenceProfileArn", arn);
        json_object_set_new(st, "Condition", cond);
        json_array_append_new(stmts, st);
    }
    return BEDROCK_OK;
}

bedrock_code brk_policy_generate(const struct brk_policy_spec *spec_in, json_t **out,
                                 struct bedrock_error *err)
{
    struct brk_policy_spec spec = *spec_in;
    static const struct brk_policy_model default_model = { BRK_GUIDE_DEFAULT_MODEL, NULL };
    if (spec.region == NULL || spec.region[0] == '\0') {
        spec.region = BRK_GUIDE_DEFAULT_REGION;
    }
    if (spec.n_models == 0) {
        spec.models = &default_model;
        spec.n_models = 1;
    }
    json_t *stmts = json_array();
    json_t *model_arns = json_array();
    json_t *profile_arns = json_array();
    json_t *doc = NULL;
    bedrock_code rc = BEDROCK_OK;
    if (stmts == NULL || model_arns == NULL || profile_arns == NULL) {
        rc = BEDROCK_E_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < spec.n_models; i++) {
        const char *id = spec.models[i].model_id;
        if (brk_policy_is_profile(id)) {
            continue;
        }
        char arn[512];
        if (strncmp(id, "arn:", 4) == 0) {
            snprintf(arn, sizeof(arn), "%s", id);
        } else {
            snprintf(arn, sizeof(arn), "arn:aws:bedrock:%s::foundation-model/%s", spec.region, id);
        }
        if (!array_has(model_arns, arn)) {
            json_array_append_new(model_arns, json_string(arn));
        }
    }
    if (json_array_size(model_arns) > 0) {
        json_array_append_new(
            stmts, statement("BedrockInvokeModel", invoke_actions(&spec), json_incref(model_arns)));
    }
    json_t *prof_stmts = json_array();
    rc = profile_statements(&spec, prof_stmts, profile_arns, err);
    if (rc != BEDROCK_OK) {
        json_decref(prof_stmts);
        goto out;
    }
    if (json_array_size(profile_arns) > 0) {
        json_array_append_new(stmts, statement("BedrockInvokeInferenceProfile",
                                               invoke_actions(&spec), json_incref(profile_arns)));
        json_array_extend(stmts, prof_stmts);
    }
    json_decref(prof_stmts);
    if (!spec.no_list) {
        json_t *acts = json_array();
        json_array_append_new(acts, json_string("bedrock:ListFoundationModels"));
        json_array_append_new(acts, json_string("bedrock:GetFoundationModel"));
        if (json_array_size(profile_arns) > 0) {
            json_array_append_new(acts, json_string("bedrock:ListInferenceProfiles"));
            json_array_append_new(acts, json_string("bedrock:GetInferenceProfile"));
        }
        json_array_append_new(stmts, statement("BedrockListModels", acts, json_string("*")));
    }
    if (json_array_size(stmts) == 0) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG,
                          "the policy would be empty: give a model or drop --no-list");
        rc = BEDROCK_E_INVALID_ARG;
        goto out;
    }
    doc = json_object();
    json_object_set_new(doc, "Version", json_string("2012-10-17"));
    json_object_set(doc, "Statement", stmts);
    *out = doc;
out:
    json_decref(stmts);
    json_decref(model_arns);
    json_decref(profile_arns);
    return rc;
}

char *brk_policy_dump(const json_t *doc)
{
    char *s = json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
    if (s == NULL) {
        return NULL;
    }
    char *copy = brk_strdup(s);
    free(s);
    return copy;
}
