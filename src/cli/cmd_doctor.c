/*
 * cli/cmd_doctor.c - `bedrockctl doctor`: the guide's "Testing the Access Keys" and
 * "Troubleshooting" as a checklist. Each line is ✓ or ✗ (or ! for a warning, - for skipped)
 * with the fix in one sentence. Exit 0 only when every required check passes.
 * Invariant: only the credentials' source and key id prefix are shown, never a secret.
 */
#include "../credentials/config.h"
#include "../services/call.h"
#include "../services/iam/iam.h"
#include "guide_policy.h"
#include "guide_setup.h"

#include <bedrock/control.h>
#include <bedrock/runtime.h>

#include <string.h>
#include <time.h>

struct doc_ctx {
    struct brk_cli *cli;
    struct bedrock_client *client;
    json_t *report; /* array or NULL */
    bool quiet;     /* --output json: no lines */
    bool ok;        /* every required check passed */
    char user[128];
    char key_id[64];
};

enum { REQ = 1, OPT = 0 };

static void result(struct doc_ctx *d, int required, const char *state, const char *what,
                   const char *fix)
{
    bool pass = strcmp(state, "ok") == 0;
    if (required && !pass && strcmp(state, "skipped") != 0) {
        d->ok = false;
    }
    if (d->report != NULL) {
        json_array_append_new(d->report,
                              json_pack("{sssssssb}", "Check", what, "Status", state, "Fix",
                                        fix != NULL ? fix : "", "Required", required != 0));
    }
    if (d->quiet) {
        return;
    }
    if (strcmp(state, "warning") == 0) {
        brk_guide_warn(d->cli, what, fix);
    } else if (strcmp(state, "skipped") == 0) {
        fprintf(d->cli->out, "  - %s\n", what);
    } else {
        brk_guide_line(d->cli, pass, what, fix);
    }
}

static void check_creds(struct doc_ctx *d)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    const struct brk_credentials *cr = NULL;
    char what[512];
    if (brk_client_credentials(d->client, &cr, &err) != BEDROCK_OK) {
        result(d, REQ, "failed", "credentials found",
               "put AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in .env or the environment, "
               "or run `bedrockctl setup`");
        return;
    }
    snprintf(what, sizeof(what), "credentials found (%s)", cr->source);
    result(d, REQ, "ok", what, NULL);
    snprintf(d->key_id, sizeof(d->key_id), "%s",
             cr->access_key_id != NULL ? cr->access_key_id : "");
    bool prefix =
        cr->access_key_id != NULL && strlen(cr->access_key_id) >= 16 &&
        (strncmp(cr->access_key_id, "AKIA", 4) == 0 || strncmp(cr->access_key_id, "ASIA", 4) == 0);
    if (cr->bearer_token != NULL && cr->access_key_id == NULL) {
        result(d, REQ, "ok", "credentials well-formed (Bedrock API key)", NULL);
    } else if (brk_credentials_has_whitespace(cr)) {
        result(d, REQ, "failed", "credentials well-formed: a stray space or newline",
               "remove the spaces, tabs or line breaks pasted in with the key");
    } else if (!prefix) {
        result(d, REQ, "failed",
               "credentials well-formed: the key id does not start with "
               "AKIA or ASIA",
               "copy the Access Key ID again from IAM");
    } else {
        result(d, REQ, "ok", "credentials well-formed", NULL);
    }
}

static bool check_identity(struct doc_ctx *d)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_identity id;
    memset(&id, 0, sizeof(id));
    char what[700];
    if (bedrock_sts_get_caller_identity(d->client, &id, &err) != BEDROCK_OK) {
        snprintf(what, sizeof(what), "identity (GetCallerIdentity): %.600s", err.message);
        result(d, REQ, "failed", what,
               err.hint[0] != '\0' ? err.hint
                                   : "check the key id and secret, and the clock of this machine");
        return false;
    }
    snprintf(what, sizeof(what), "identity %s", id.arn);
    result(d, REQ, "ok", what, NULL);
    const char *slash = strstr(id.arn, ":user/");
    if (slash != NULL) {
        snprintf(d->user, sizeof(d->user), "%s", slash + 6);
    }
    if (strlen(id.arn) > 5 && strcmp(id.arn + strlen(id.arn) - 5, ":root") == 0) {
        result(d, OPT, "warning", "these are the account root's keys",
               "create an IAM user for the application with `bedrockctl setup` and delete the "
               "root keys");
    }
    return true;
}

static void check_region(struct doc_ctx *d)
{
    const char *r = bedrock_client_region(d->client);
    char what[256];
    if (r == NULL || r[0] == '\0') {
        result(d, REQ, "failed", "region set", "set AWS_REGION (the guide uses eu-central-1)");
        return;
    }
    snprintf(what, sizeof(what), "region %s (from %s)", r,
             bedrock_client_region_source(d->client) != NULL
                 ? bedrock_client_region_source(d->client)
                 : "?");
    result(d, REQ, "ok", what, NULL);
}

/* An inference profile is looked up with GetInferenceProfile, not GetFoundationModel. */
static void check_profile(struct doc_ctx *d, const char *model)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_profile_list pl;
    memset(&pl, 0, sizeof(pl));
    char what[512];
    bedrock_code rc = bedrock_get_inference_profile(d->client, model, &pl, &err);
    if (rc == BEDROCK_E_NOT_FOUND || rc == BEDROCK_E_VALIDATION) {
        snprintf(what, sizeof(what), "inference profile %s exists in this region", model);
        result(d, REQ, "failed", what,
               "pick a profile from `bedrockctl models profiles`, or another region");
    } else if (rc != BEDROCK_OK || pl.n_profiles == 0) {
        result(d, OPT, "skipped", "profile details (GetInferenceProfile not permitted)", NULL);
    } else {
        bool active = pl.profiles[0].status == NULL || strcmp(pl.profiles[0].status, "ACTIVE") == 0;
        snprintf(what, sizeof(what), "inference profile %s exists and is %s", model,
                 active ? "active" : pl.profiles[0].status);
        result(d, REQ, active ? "ok" : "failed", what,
               active ? NULL : "pick an active profile from `bedrockctl models profiles`");
    }
    bedrock_profile_list_cleanup(&pl);
}

static void check_list(struct doc_ctx *d, const char *model)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_model_list l;
    memset(&l, 0, sizeof(l));
    if (bedrock_list_foundation_models(d->client, NULL, &l, &err) != BEDROCK_OK) {
        result(d, REQ, "failed", "ListFoundationModels allowed",
               err.code == BEDROCK_E_ACCESS_DENIED
                   ? "allow bedrock:ListFoundationModels (see `bedrockctl policy generate`)"
                   : "check that Bedrock is offered in this region and the endpoint is right");
        return;
    }
    bedrock_model_list_cleanup(&l);
    result(d, REQ, "ok", "ListFoundationModels allowed", NULL);
    if (brk_policy_is_profile(model)) {
        check_profile(d, model);
        return;
    }
    memset(&l, 0, sizeof(l));
    char what[512];
    bedrock_code rc = bedrock_get_foundation_model(d->client, model, &l, &err);
    if (rc == BEDROCK_E_NOT_FOUND || rc == BEDROCK_E_VALIDATION) {
        snprintf(what, sizeof(what), "model %s exists in this region", model);
        result(d, REQ, "failed", what,
               "pick a model from `bedrockctl models list`, or another "
               "region");
        return;
    }
    if (rc != BEDROCK_OK || l.n_models == 0) {
        result(d, OPT, "skipped", "model details (GetFoundationModel not permitted)", NULL);
        bedrock_model_list_cleanup(&l);
        return;
    }
    bool on_demand = false;
    for (char **t = l.models[0].inference_types; t != NULL && *t != NULL; t++) {
        on_demand = on_demand || strcmp(*t, "ON_DEMAND") == 0;
    }
    bedrock_model_list_cleanup(&l);
    snprintf(what, sizeof(what), "model %s exists and supports on-demand", model);
    if (on_demand) {
        result(d, REQ, "ok", what, NULL);
        return;
    }
    char prof[256] = "";
    bedrock_error_clear(&err);
    if (bedrock_find_profile_for_model(d->client, model, prof, sizeof(prof), &err) != BEDROCK_OK) {
        snprintf(prof, sizeof(prof), "an inference profile");
    }
    char fix[512];
    snprintf(what, sizeof(what), "model %s needs an inference profile", model);
    snprintf(fix, sizeof(fix), "use the profile %s as the model id (and in the policy)", prof);
    result(d, REQ, "failed", what, fix);
}

static const char hello_body[] = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
                                 "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

static const char *invoke_fix(const struct bedrock_error *err)
{
    if (err->code == BEDROCK_E_MODEL_ACCESS) {
        return "request access to the model in the Bedrock console (Model access)";
    }
    if (err->code == BEDROCK_E_ACCESS_DENIED) {
        return "allow bedrock:InvokeModel on this model's ARN (`bedrockctl policy generate`)";
    }
    if (err->code == BEDROCK_E_NEEDS_PROFILE) {
        return err->hint;
    }
    return err->hint[0] != '\0' ? err->hint : "see the error above";
}

static bedrock_code count_events(void *ctx, const struct bedrock_stream_event *ev)
{
    (void)ev;
    (*(int *)ctx)++;
    return BEDROCK_OK;
}

static void check_invoke(struct doc_ctx *d, const char *model)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_invoke_request req = { model, hello_body, sizeof(hello_body) - 1, NULL, NULL };
    struct bedrock_invoke_response resp;
    memset(&resp, 0, sizeof(resp));
    char what[1300];
    if (bedrock_runtime_invoke(d->client, &req, &resp, &err) != BEDROCK_OK) {
        snprintf(what, sizeof(what), "InvokeModel \"Say hello\": %s", err.message);
        result(d, REQ, "failed", what, invoke_fix(&err));
    } else {
        result(d, REQ, "ok", "model access granted, InvokeModel \"Say hello\" works", NULL);
    }
    bedrock_invoke_response_cleanup(&resp);
    bedrock_error_clear(&err);
    int events = 0;
    struct bedrock_usage usage;
    if (bedrock_runtime_invoke_stream(d->client, &req, count_events, &events, &usage, &err) !=
        BEDROCK_OK) {
        snprintf(what, sizeof(what), "streaming (InvokeModelWithResponseStream): %s", err.message);
        result(d, REQ, "failed", what,
               err.code == BEDROCK_E_ACCESS_DENIED ? "allow bedrock:InvokeModelWithResponseStream"
                                                   : invoke_fix(&err));
    } else {
        snprintf(what, sizeof(what), "streaming works (%d events)", events);
        result(d, REQ, "ok", what, NULL);
    }
}

static void check_key_age(struct doc_ctx *d)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_iam_access_key *keys = NULL;
    size_t n = 0;
    char what[256];
    if (brk_iam_list_access_keys(d->client, NULL, &keys, &n, &err) != BEDROCK_OK) {
        snprintf(what, sizeof(what), "key age: skipped (ListAccessKeys %s)",
                 err.code == BEDROCK_E_ACCESS_DENIED ? "not permitted to this key" : "failed");
        result(d, OPT, "skipped", what, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i].id, d->key_id) != 0) {
            continue;
        }
        long days = (long)((time(NULL) - keys[i].created) / 86400);
        snprintf(what, sizeof(what), "key age %ld days", days);
        result(d, OPT, days > 90 ? "warning" : "ok", what,
               days > 90 ? "rotate it: bedrockctl keys rotate --write-env .env" : NULL);
    }
    brk_iam_access_keys_free(keys, n);
}

static void check_breadth(struct doc_ctx *d)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_findings f = { 0 };
    if (d->user[0] == '\0' ||
        brk_guide_check_user(d->client, d->user, NULL, &f, &err) != BEDROCK_OK) {
        result(d, OPT, "skipped",
               "over-broad policy: skipped (this key may not read its "
               "policies, which is how it should be)",
               NULL);
        brk_findings_cleanup(&f);
        return;
    }
    bool broad = f.n > 0 && brk_findings_max(&f) >= BRK_SEV_WARNING;
    result(d, OPT, broad ? "warning" : "ok",
           broad ? "an over-broad policy is attached" : "no over-broad policy attached",
           broad ? "run `bedrockctl policy check --user` and attach the least-privilege policy"
                 : NULL);
    brk_findings_cleanup(&f);
}

bool brk_doctor_checks(struct brk_cli *cli, struct bedrock_client *client, const char *model,
                       json_t *report)
{
    struct doc_ctx d;
    memset(&d, 0, sizeof(d));
    d.cli = cli;
    d.client = client;
    d.report = report;
    d.quiet = report != NULL;
    d.ok = true;
    check_creds(&d);
    if (!d.ok) {
        return false;
    }
    if (check_identity(&d)) {
        check_region(&d);
        check_list(&d, model);
        check_invoke(&d, model);
        check_key_age(&d);
        check_breadth(&d);
    }
    return d.ok;
}

struct doctor_opts {
    const char *model;
};

static const struct brk_opt doctor_options[] = {
    BRK_OPT_STR(struct doctor_opts, model, "--model", "ID",
                "model to probe (default: the "
                "configured model)"),
    BRK_OPT_END,
};

static int run_doctor(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct doctor_opts *o = opts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *client = NULL;
    if (brk_cli_client(cli, &client, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    const char *model = o->model != NULL ? o->model : brk_cli_default_model(cli);
    bool json = cli->output_given && cli->out_fmt == BRK_OUT_JSON;
    json_t *report = json ? json_array() : NULL;
    if (!json) {
        fprintf(cli->out, "bedrockctl doctor (model %s)\n", model);
    }
    bool ok = brk_doctor_checks(cli, client, model, report);
    if (json) {
        json_t *v = json_pack("{sbso}", "Ok", ok, "Checks", report);
        brk_cli_print_json(cli->out, v);
        json_decref(v);
    } else {
        fprintf(cli->out, ok ? "all required checks passed\n" : "some required checks failed\n");
    }
    return ok ? 0 : 1;
}

const struct brk_cli_command brk_cmd_doctor = {
    .name = "doctor",
    .summary = "check credentials, identity, region, model access, invoke and streaming",
    .usage = "[--model ID] [--output json]",
    .opts = doctor_options,
    .opts_size = sizeof(struct doctor_opts),
    .min_args = 0,
    .max_args = 0,
    .run = run_doctor,
};
