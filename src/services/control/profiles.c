/*
 * services/control/profiles.c - ListInferenceProfiles (GET /inference-profiles?maxResults=1000
 * &type=SYSTEM_DEFINED, following nextToken over every page), GetInferenceProfile, and the
 * profile to use for a model from the client's region (geography prefix eu./us./apac., then
 * global.). Unknown members are ignored; status and type are open strings.
 */
#include "control_internal.h"
#include "core/alloc.h"
#include "core/limits.h"

#include <bedrock/control.h>

#include <stdio.h>
#include <string.h>

#define BRK_MAX_PROFILE_PAGES 100

static void profile_cleanup(struct bedrock_inference_profile *p)
{
    brk_free(p->profile_id);
    brk_free(p->profile_arn);
    brk_free(p->profile_name);
    brk_free(p->status);
    brk_free(p->type);
    brk_control_strv_free(p->model_arns);
    memset(p, 0, sizeof(*p));
}

static bool profile_from(json_t *o, struct bedrock_inference_profile *p)
{
    bool oom = false;
    p->profile_id = brk_control_str(o, "inferenceProfileId", &oom);
    p->profile_arn = brk_control_str(o, "inferenceProfileArn", &oom);
    p->profile_name = brk_control_str(o, "inferenceProfileName", &oom);
    p->status = brk_control_str(o, "status", &oom);
    p->type = brk_control_str(o, "type", &oom);
    p->model_arns = brk_control_strv(o, "models", &oom);
    return !oom;
}

static bedrock_code append_profiles(struct bedrock_profile_list *list, json_t *arr,
                                    struct bedrock_error *err)
{
    size_t n = json_array_size(arr);
    struct bedrock_inference_profile *grown =
        brk_realloc(list->profiles, (list->n_profiles + n + 1) * sizeof(*grown));
    if (grown == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
        return BEDROCK_E_NOMEM;
    }
    list->profiles = grown;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            continue;
        }
        struct bedrock_inference_profile *p = &list->profiles[list->n_profiles];
        memset(p, 0, sizeof(*p));
        bool ok = profile_from(o, p);
        list->n_profiles++;
        if (!ok) {
            bedrock_error_set(err, BEDROCK_E_NOMEM, NULL);
            return BEDROCK_E_NOMEM;
        }
    }
    return BEDROCK_OK;
}

static bedrock_code page_query(struct brk_buf *q, const char *next)
{
    brk_buf_reset(q);
    bedrock_code rc = brk_form_add(q, "maxResults", "1000");
    if (rc == BEDROCK_OK && next != NULL) {
        rc = brk_form_add(q, "nextToken", next);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_form_add(q, "type", "SYSTEM_DEFINED");
    }
    return rc;
}

bedrock_code bedrock_list_inference_profiles(struct bedrock_client *client,
                                             struct bedrock_profile_list *out,
                                             struct bedrock_error *err)
{
    struct brk_buf q = BRK_BUF(BRK_MAX_URL_BYTES);
    struct bedrock_profile_list list = { 0 };
    char *next = NULL;
    bedrock_code rc = BEDROCK_OK;
    for (int page = 0; page < BRK_MAX_PROFILE_PAGES; page++) {
        json_t *doc = NULL;
        char *raw = NULL;
        rc = page_query(&q, next);
        if (rc != BEDROCK_OK) {
            bedrock_error_set(err, rc, "nextToken too long");
            break;
        }
        rc = brk_control_get(client, "/inference-profiles", q.data, &doc, &raw, err);
        if (rc == BEDROCK_OK) {
            rc = append_profiles(&list, json_object_get(doc, "inferenceProfileSummaries"), err);
        }
        brk_free(next);
        next = NULL;
        if (rc == BEDROCK_OK) {
            bool oom = false;
            next = brk_control_str(doc, "nextToken", &oom);
            rc = oom ? BEDROCK_E_NOMEM : BEDROCK_OK;
        }
        /* raw_json keeps the first page (the CLI prints the merged list itself) */
        if (list.raw_json == NULL) {
            list.raw_json = raw;
        } else {
            brk_free(raw);
        }
        json_decref(doc);
        if (rc != BEDROCK_OK || next == NULL || next[0] == '\0') {
            break;
        }
    }
    brk_free(next);
    if (rc == BEDROCK_OK) {
        *out = list;
        memset(&list, 0, sizeof(list));
    }
    bedrock_profile_list_cleanup(&list);
    brk_buf_cleanup(&q);
    return rc;
}

bedrock_code bedrock_get_inference_profile(struct bedrock_client *client, const char *profile_id,
                                           struct bedrock_profile_list *out,
                                           struct bedrock_error *err)
{
    struct brk_buf path = BRK_BUF(BRK_MAX_URL_BYTES);
    struct bedrock_profile_list list = { 0 };
    json_t *doc = NULL, *arr = NULL;
    bedrock_code rc = brk_buf_append_str(&path, "/inference-profiles/");
    if (rc == BEDROCK_OK) {
        rc = brk_uri_encode(&path, profile_id, strlen(profile_id), false);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "profile id too long");
        goto out;
    }
    rc = brk_control_get(client, path.data, NULL, &doc, &list.raw_json, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    arr = json_pack("[O]", doc);
    rc = append_profiles(&list, arr, err);
    if (rc == BEDROCK_OK) {
        *out = list;
        memset(&list, 0, sizeof(list));
    }
out:
    bedrock_profile_list_cleanup(&list);
    json_decref(arr);
    json_decref(doc);
    brk_buf_cleanup(&path);
    return rc;
}

void bedrock_profile_list_cleanup(struct bedrock_profile_list *list)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->n_profiles; i++) {
        profile_cleanup(&list->profiles[i]);
    }
    brk_free(list->profiles);
    brk_free(list->raw_json);
    memset(list, 0, sizeof(*list));
}

/* "eu-central-1" -> "eu."; NULL when the geography has no prefix we know. */
static const char *geo_prefix(const char *region)
{
    if (region == NULL) {
        return NULL;
    }
    if (strncmp(region, "us-gov-", 7) == 0) {
        return "us-gov.";
    }
    if (strncmp(region, "eu-", 3) == 0) {
        return "eu.";
    }
    if (strncmp(region, "us-", 3) == 0) {
        return "us.";
    }
    if (strncmp(region, "ap-", 3) == 0) {
        return "apac.";
    }
    if (strncmp(region, "ca-", 3) == 0) {
        return "ca.";
    }
    return NULL;
}

/* The foundation-model id inside an id or ARN ("arn:...:foundation-model/x" -> "x"). */
static const char *base_model(const char *model_id)
{
    const char *fm = strstr(model_id, "foundation-model/");
    return fm != NULL ? fm + strlen("foundation-model/") : model_id;
}

static bool profile_matches(const struct bedrock_inference_profile *p, const char *prefix,
                            const char *base)
{
    size_t pl = strlen(prefix);
    if (p->profile_id == NULL || strncmp(p->profile_id, prefix, pl) != 0) {
        return false;
    }
    if (strcmp(p->profile_id + pl, base) == 0) {
        return true;
    }
    for (size_t i = 0; p->model_arns != NULL && p->model_arns[i] != NULL; i++) {
        if (strcmp(base_model(p->model_arns[i]), base) == 0) {
            return true;
        }
    }
    return false;
}

bedrock_code bedrock_find_profile_for_model(struct bedrock_client *client, const char *model_id,
                                            char *profile_id, size_t len, struct bedrock_error *err)
{
    struct bedrock_profile_list list = { 0 };
    const char *base = base_model(model_id);
    const char *prefixes[2] = { geo_prefix(bedrock_client_region(client)), "global." };
    bedrock_code rc = bedrock_list_inference_profiles(client, &list, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    rc = BEDROCK_E_NOT_FOUND;
    for (size_t k = 0; k < 2 && rc != BEDROCK_OK; k++) {
        for (size_t i = 0; prefixes[k] != NULL && i < list.n_profiles; i++) {
            if (profile_matches(&list.profiles[i], prefixes[k], base)) {
                snprintf(profile_id, len, "%s", list.profiles[i].profile_id);
                rc = BEDROCK_OK;
                break;
            }
        }
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "no inference profile for %s in region %s", base,
                          bedrock_client_region(client) ? bedrock_client_region(client) : "?");
    }
    bedrock_profile_list_cleanup(&list);
    return rc;
}
