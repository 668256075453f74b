/*
 * cli/cmd_models.c - `bedrockctl models list|get|profiles`: foundation models and inference
 * profiles from the Bedrock control plane (ListFoundationModels, GetFoundationModel,
 * ListInferenceProfiles).
 *
 * json output uses the service's own member names (modelSummaries, modelDetails,
 * inferenceProfileSummaries) so scripts written for `aws bedrock` keep working; text and
 * table show a compact column set that fits a terminal.
 */
#include "cli.h"

#include <bedrock/control.h>

static json_t *strv(char **v)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && v != NULL && v[i] != NULL; i++) {
        json_array_append_new(a, json_string(v[i]));
    }
    return a;
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *model_json(const struct bedrock_model_summary *m, bool compact)
{
    if (compact) {
        return json_pack("{s:o,s:o,s:o,s:o,s:o}", "modelId", str_or_null(m->model_id), "provider",
                         str_or_null(m->provider_name), "name", str_or_null(m->model_name),
                         "streaming",
                         m->streaming_known ? json_boolean(m->streaming_supported) : json_null(),
                         "inferenceTypes", strv(m->inference_types));
    }
    json_t *v = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "modelArn", str_or_null(m->model_arn), "modelId",
        str_or_null(m->model_id), "modelName", str_or_null(m->model_name), "providerName",
        str_or_null(m->provider_name), "inputModalities", strv(m->input_modalities),
        "outputModalities", strv(m->output_modalities), "responseStreamingSupported",
        m->streaming_known ? json_boolean(m->streaming_supported) : json_null(),
        "customizationsSupported", strv(m->customizations), "inferenceTypesSupported",
        strv(m->inference_types));
    if (v != NULL && m->lifecycle_status != NULL) {
        json_object_set_new(v, "modelLifecycle", json_pack("{ss}", "status", m->lifecycle_status));
    }
    return v;
}

static int print_models(struct brk_cli *cli, const struct bedrock_model_list *l, bool one)
{
    bool compact = cli->out_fmt != BRK_OUT_JSON;
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < l->n_models; i++) {
        json_array_append_new(arr, model_json(&l->models[i], compact));
    }
    if (arr == NULL) {
        return 1;
    }
    if (compact && !one) {
        brk_cli_print(cli, arr, "ListFoundationModels");
    } else if (one) {
        json_t *v = json_pack("{sO}", "modelDetails", json_array_get(arr, 0));
        brk_cli_print(cli, compact ? json_array_get(arr, 0) : v, "GetFoundationModel");
        json_decref(v);
    } else {
        json_t *v = json_pack("{sO}", "modelSummaries", arr);
        brk_cli_print(cli, v, "ListFoundationModels");
        json_decref(v);
    }
    json_decref(arr);
    return 0;
}

struct list_opts {
    const char *provider;
    const char *output_modality;
    const char *inference_type;
};

static const struct brk_opt list_options[] = {
    BRK_OPT_STR(struct list_opts, provider, "--provider", "P",
                "only this provider (Anthropic, Amazon, Meta, ...)"),
    BRK_OPT_STR(struct list_opts, output_modality, "--output-modality", "M", "TEXT, IMAGE, ..."),
    BRK_OPT_STR(struct list_opts, inference_type, "--inference-type", "T",
                "ON_DEMAND or PROVISIONED"),
    BRK_OPT_END,
};

static struct bedrock_client *client_or_fail(struct brk_cli *cli, int *status)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *client = NULL;
    if (brk_cli_client(cli, &client, &err) != BEDROCK_OK) {
        *status = brk_cli_fail(cli, &err);
        return NULL;
    }
    return client;
}

static int run_list(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    const struct list_opts *o = vopts;
    int status = 0;
    struct bedrock_client *client = client_or_fail(cli, &status);
    if (client == NULL) {
        return status;
    }
    struct bedrock_model_filter f = { o->provider, o->output_modality, o->inference_type, NULL };
    struct bedrock_model_list l = { NULL, 0, NULL };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (bedrock_list_foundation_models(client, &f, &l, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    status = print_models(cli, &l, false);
    bedrock_model_list_cleanup(&l);
    return status;
}

static int run_get(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    (void)vopts;
    (void)argc;
    int status = 0;
    struct bedrock_client *client = client_or_fail(cli, &status);
    if (client == NULL) {
        return status;
    }
    struct bedrock_model_list l = { NULL, 0, NULL };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (bedrock_get_foundation_model(client, argv[0], &l, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    status = l.n_models > 0 ? print_models(cli, &l, true) : 1;
    bedrock_model_list_cleanup(&l);
    return status;
}

static json_t *profile_json(const struct bedrock_inference_profile *p, bool compact)
{
    json_t *models = json_array();
    for (size_t i = 0; models != NULL && p->model_arns != NULL && p->model_arns[i]; i++) {
        json_array_append_new(models, compact ? json_string(p->model_arns[i])
                                              : json_pack("{ss}", "modelArn", p->model_arns[i]));
    }
    if (compact) {
        return json_pack("{s:o,s:o,s:o,s:o}", "profileId", str_or_null(p->profile_id), "status",
                         str_or_null(p->status), "type", str_or_null(p->type), "models", models);
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "inferenceProfileId", str_or_null(p->profile_id),
                     "inferenceProfileArn", str_or_null(p->profile_arn), "inferenceProfileName",
                     str_or_null(p->profile_name), "status", str_or_null(p->status), "type",
                     str_or_null(p->type), "models", models);
}

static int run_profiles(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    (void)vopts;
    (void)argc;
    (void)argv;
    int status = 0;
    struct bedrock_client *client = client_or_fail(cli, &status);
    if (client == NULL) {
        return status;
    }
    struct bedrock_profile_list l = { NULL, 0, NULL };
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (bedrock_list_inference_profiles(client, &l, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    bool compact = cli->out_fmt != BRK_OUT_JSON;
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < l.n_profiles; i++) {
        json_array_append_new(arr, profile_json(&l.profiles[i], compact));
    }
    json_t *v = compact ? json_incref(arr) : json_pack("{sO}", "inferenceProfileSummaries", arr);
    brk_cli_print(cli, v, "ListInferenceProfiles");
    json_decref(v);
    json_decref(arr);
    bedrock_profile_list_cleanup(&l);
    return 0;
}

static const struct brk_cli_command models_subs[] = {
    { .name = "list",
      .summary = "list the foundation models of the region (ListFoundationModels)",
      .usage = "[--provider P] [--output-modality M] [--inference-type T]",
      .opts = list_options,
      .opts_size = sizeof(struct list_opts),
      .run = run_list,
      .min_args = 0,
      .max_args = 0 },
    { .name = "get",
      .summary = "show one foundation model (GetFoundationModel)",
      .usage = "MODEL_ID",
      .run = run_get,
      .min_args = 1,
      .max_args = 1 },
    { .name = "profiles",
      .summary = "list inference profiles (ListInferenceProfiles, all pages)",
      .usage = "",
      .run = run_profiles,
      .min_args = 0,
      .max_args = 0 },
    { .name = NULL },
};

const struct brk_cli_command brk_cmd_models = {
    .name = "models",
    .summary = "list foundation models and inference profiles",
    .usage = "list|get|profiles [options]",
    .subs = models_subs,
};
