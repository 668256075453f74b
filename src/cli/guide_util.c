/*
 * cli/guide_util.c - helpers shared by the guide's commands (see guide.h).
 */
#include "../core/alloc.h"
#include "../credentials/config.h"
#include "../http/http.h"
#include "../services/guide/policy.h"
#include "guide.h"

#include <bedrock/control.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *brk_guide_region(struct brk_cli *cli)
{
    struct brk_config *cfg = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (brk_cli_get_config(cli, &cfg, &err) == BEDROCK_OK) {
        const char *r = brk_config_region(cfg);
        if (r != NULL && r[0] != '\0') {
            return r;
        }
    }
    return BRK_GUIDE_DEFAULT_REGION;
}

bedrock_code brk_guide_client_with_key(struct brk_cli *cli, const char *id, const char *secret,
                                       struct bedrock_client **out, struct bedrock_error *err)
{
    struct bedrock_client_options o;
    memset(&o, 0, sizeof(o));
    o.profile = cli->g.profile;
    /* Only force the region when nothing configures one, so that whoami/doctor still name the
     * real source (--region, AWS_REGION, profile ...) of a configured region. */
    struct brk_config *cfg = NULL;
    struct bedrock_error ignored;
    bedrock_error_clear(&ignored);
    bool resolvable = brk_cli_get_config(cli, &cfg, &ignored) == BEDROCK_OK &&
                      brk_config_region(cfg) != NULL && brk_config_region(cfg)[0] != '\0' &&
                      brk_config_region_source(cfg) != NULL &&
                      strstr(brk_config_region_source(cfg), ".env") == NULL;
    o.region = resolvable ? cli->g.region : brk_guide_region(cli);
    o.endpoint_url = cli->g.endpoint_url;
    o.no_dotenv = true;
    o.access_key_id = id;
    o.secret_access_key = secret;
    o.max_attempts = 2;
    return bedrock_client_new(&o, out, err);
}

static bool not_yet_known(bedrock_code rc)
{
    return rc == BEDROCK_E_INVALID_KEY || rc == BEDROCK_E_SIGNATURE || rc == BEDROCK_E_AUTH;
}

bedrock_code brk_guide_wait_identity(struct bedrock_client *client, struct bedrock_identity *id,
                                     struct bedrock_error *err)
{
    const char *w = getenv("BEDROCKCTL_IAM_WAIT");
    long wait_s = w != NULL ? strtol(w, NULL, 10) : 30;
    time_t deadline = time(NULL) + (wait_s > 0 ? wait_s : 0);
    long delay = 500;
    for (;;) {
        bedrock_error_clear(err);
        bedrock_code rc = bedrock_sts_get_caller_identity(client, id, err);
        if (rc == BEDROCK_OK || !not_yet_known(rc) || time(NULL) >= deadline) {
            return rc;
        }
        brk_sleep_ms(delay);
        delay = delay < 4000 ? delay * 2 : delay;
    }
}

static bedrock_code profile_dests(struct brk_cli *cli, const char *model, char ***arns,
                                  struct bedrock_error *err)
{
    struct bedrock_client *client = NULL;
    bedrock_code rc = brk_cli_client(cli, &client, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct bedrock_profile_list pl;
    memset(&pl, 0, sizeof(pl));
    rc = bedrock_get_inference_profile(client, model, &pl, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    size_t n = 0;
    char **src = pl.n_profiles > 0 ? pl.profiles[0].model_arns : NULL;
    while (src != NULL && src[n] != NULL) {
        n++;
    }
    char **v = brk_calloc(n + 1, sizeof(char *));
    for (size_t i = 0; v != NULL && i < n; i++) {
        v[i] = brk_strdup(src[i]);
    }
    bedrock_profile_list_cleanup(&pl);
    if (v == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory");
        return BEDROCK_E_NOMEM;
    }
    *arns = v;
    return BEDROCK_OK;
}

static void strv_free(char **v)
{
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        brk_free(v[i]);
    }
    brk_free(v);
}

bedrock_code brk_guide_policy(struct brk_cli *cli, const struct brk_guide_policy_opts *o,
                              json_t **doc, struct bedrock_error *err)
{
    const char *def[1] = { brk_cli_default_model(cli) };
    const char *const *models = o->n_models > 0 ? o->models : def;
    size_t n = o->n_models > 0 ? o->n_models : 1;
    struct brk_policy_model *pm = brk_calloc(n, sizeof(*pm));
    char ***dests = brk_calloc(n, sizeof(char **));
    bedrock_code rc = pm != NULL && dests != NULL ? BEDROCK_OK : BEDROCK_E_NOMEM;
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "out of memory");
    }
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        pm[i].model_id = models[i];
        if (brk_policy_is_profile(models[i])) {
            rc = profile_dests(cli, models[i], &dests[i], err);
            pm[i].dest_model_arns = (const char *const *)dests[i];
        }
    }
    if (rc == BEDROCK_OK) {
        struct brk_policy_spec spec;
        memset(&spec, 0, sizeof(spec));
        spec.models = pm;
        spec.n_models = n;
        spec.region = o->region;
        spec.account_id = o->account_id;
        spec.no_stream = o->no_stream;
        spec.no_list = o->no_list;
        spec.count_tokens = o->count_tokens;
        rc = brk_policy_generate(&spec, doc, err);
    }
    for (size_t i = 0; dests != NULL && i < n; i++) {
        strv_free(dests[i]);
    }
    brk_free(dests);
    brk_free(pm);
    return rc;
}

void brk_guide_line(struct brk_cli *cli, bool ok, const char *what, const char *fix)
{
    const char *c = brk_cli_color(cli, false, ok ? "green" : "red");
    const char *r = brk_cli_color(cli, false, "reset");
    fprintf(cli->out, "  %s%s%s %s\n", c, ok ? "\u2713" : "\u2717", r, what);
    if (!ok && fix != NULL && fix[0] != '\0') {
        fprintf(cli->out, "      fix: %s\n", fix);
    }
}

void brk_guide_warn(struct brk_cli *cli, const char *what, const char *fix)
{
    const char *c = brk_cli_color(cli, false, "yellow");
    const char *r = brk_cli_color(cli, false, "reset");
    fprintf(cli->out, "  %s!%s %s\n", c, r, what);
    if (fix != NULL && fix[0] != '\0') {
        fprintf(cli->out, "      fix: %s\n", fix);
    }
}

long brk_guide_duration(const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return -1;
    }
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || v < 0) {
        return -1;
    }
    long mul = 1;
    if (*end == 'd') {
        mul = 86400;
    } else if (*end == 'h') {
        mul = 3600;
    } else if (*end == 'm') {
        mul = 60;
    } else if (*end == 's' || *end == '\0') {
        mul = 1;
    } else {
        return -1;
    }
    if (*end != '\0' && end[1] != '\0') {
        return -1;
    }
    return v * mul;
}
