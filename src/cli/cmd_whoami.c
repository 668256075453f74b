/*
 * cli/cmd_whoami.c - `bedrockctl whoami`: who the credentials belong to (STS
 * GetCallerIdentity) and every setting that decides where requests go, each with its source:
 * region, profile, credential source, and the sts / bedrock / bedrock-runtime endpoints.
 * That is the region/profile confusion users report most, answered in one command.
 *
 * Output keys UserId, Account, Arn match `aws sts get-caller-identity`; the rest are ours.
 * Invariant: only the access key's *source* is shown, never a secret.
 */
#include "cli.h"

#include <bedrock/sts.h>

#include <string.h>

static const char *const endpoint_services[] = { "sts", "bedrock", "bedrock-runtime" };

static json_t *endpoints_json(struct bedrock_client *client)
{
    json_t *eps = json_object();
    for (size_t i = 0; eps != NULL && i < sizeof(endpoint_services) / sizeof(char *); i++) {
        char url[1024];
        const char *source = NULL;
        struct bedrock_error err;
        bedrock_error_clear(&err);
        json_t *one;
        if (bedrock_client_endpoint(client, endpoint_services[i], url, sizeof(url), &source,
                                    &err) == BEDROCK_OK) {
            one = json_pack("{ssss}", "Url", url, "Source", source != NULL ? source : "");
        } else {
            one = json_pack("{snss}", "Url", "Error", err.message);
        }
        if (one != NULL) {
            json_object_set_new(eps, endpoint_services[i], one);
        }
    }
    return eps;
}

static const char *or_none(const char *s)
{
    return s != NULL ? s : "";
}

static json_t *settings_json(struct bedrock_client *client, const char *cred_source)
{
    const char *region = bedrock_client_region(client);
    json_t *v = json_object();
    if (v == NULL) {
        return NULL;
    }
    json_object_set_new(v, "Region", region != NULL ? json_string(region) : json_null());
    json_object_set_new(v, "RegionSource",
                        json_string(or_none(bedrock_client_region_source(client))));
    json_object_set_new(v, "Profile", json_string(or_none(bedrock_client_profile(client))));
    json_object_set_new(v, "ProfileSource",
                        json_string(or_none(bedrock_client_profile_source(client))));
    json_object_set_new(v, "CredentialSource", json_string(cred_source));
    json_object_set_new(v, "Endpoints", endpoints_json(client));
    return v;
}

static int run_whoami(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)opts;
    (void)argc;
    (void)argv;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *client = NULL;
    if (brk_cli_client(cli, &client, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    char source[256];
    if (bedrock_client_credential_source(client, source, sizeof(source), &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct bedrock_identity id;
    memset(&id, 0, sizeof(id));
    if (bedrock_sts_get_caller_identity(client, &id, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    json_t *v = json_pack("{ssssss}", "UserId", id.user_id, "Account", id.account, "Arn", id.arn);
    json_t *settings = settings_json(client, source);
    if (v == NULL || settings == NULL) {
        json_decref(v);
        json_decref(settings);
        bedrock_error_set(&err, BEDROCK_E_NOMEM, "out of memory");
        return brk_cli_fail(cli, &err);
    }
    json_object_update(v, settings);
    json_decref(settings);
    brk_cli_print(cli, v, "WhoAmI");
    json_decref(v);
    return 0;
}

const struct brk_cli_command brk_cmd_whoami = {
    .name = "whoami",
    .summary = "show the account, ARN and user id of your keys, and where region, profile, "
               "credentials and endpoints come from",
    .usage = "",
    .description =
        "Calls STS GetCallerIdentity with the resolved credentials (no permission needed) and\n"
        "prints UserId, Account and Arn as `aws sts get-caller-identity` does, plus Region,\n"
        "Profile and CredentialSource with where each came from (flag, environment, .env,\n"
        "profile), and the sts, bedrock and bedrock-runtime endpoints with their sources.\n"
        "Authentication failures explain what to check: an unknown key id, a wrong secret or\n"
        "a skewed clock, an expired session token.",
    .run = run_whoami,
    .min_args = 0,
    .max_args = 0,
};
