/*
 * services/hints.c - "what to do next" for a failed call: one sentence in err->hint, from the
 * error code, AWS's message and the call's context (service, model). The fixes are the guide's
 * (docs: seed/bedrock-access-keys.md, Troubleshooting). Hints never contain secrets; they may
 * name the key id, the action and the resource AWS itself reported.
 * Also tells a model-access (Marketplace / Model access page) denial apart from an IAM denial
 * and refines err->code to BEDROCK_E_MODEL_ACCESS for the former.
 */
#include "client_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p != '\0'; p++) {
        if (strncasecmp(p, needle, n) == 0) {
            return p;
        }
    }
    return NULL;
}

/* Copy the token after `marker` up to a space (or end) into out. */
static bool word_after(const char *msg, const char *marker, char *out, size_t outlen)
{
    const char *p = strstr(msg, marker);
    if (p == NULL) {
        return false;
    }
    p += strlen(marker);
    while (*p == ' ') {
        p++;
    }
    size_t n = strcspn(p, " \t\n");
    while (n > 0 && (p[n - 1] == '.' || p[n - 1] == ',')) {
        n--;
    }
    if (n == 0 || n >= outlen) {
        return false;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

bool brk_hint_parse_denial(const char *message, char *action, size_t action_len, char *resource,
                           size_t resource_len)
{
    if (message == NULL || strstr(message, "is not authorized to perform") == NULL) {
        return false;
    }
    if (!word_after(message, "is not authorized to perform:", action, action_len)) {
        return false;
    }
    if (!word_after(message, "on resource:", resource, resource_len)) {
        snprintf(resource, resource_len, "*");
    }
    return true;
}

bool brk_hint_is_needs_profile(const struct bedrock_error *err)
{
    return (err->code == BEDROCK_E_VALIDATION || err->code == BEDROCK_E_NEEDS_PROFILE) &&
           find_ci(err->message, "on-demand throughput") != NULL &&
           find_ci(err->message, "support") != NULL;
}

static bool is_model_access_denial(const char *msg)
{
    return find_ci(msg, "don't have access to the model") != NULL ||
           find_ci(msg, "don\xe2\x80\x99t have access to the model") != NULL ||
           find_ci(msg, "model access") != NULL ||
           (find_ci(msg, "Marketplace") != NULL &&
            strstr(msg, "is not authorized to perform") == NULL);
}

static void hint_access(const char *model_id, struct bedrock_error *err)
{
    char action[128], resource[512];
    if (is_model_access_denial(err->message)) {
        err->code = BEDROCK_E_MODEL_ACCESS;
        bedrock_error_hint(err,
                           "This is not an IAM problem: the account has no access to model %s "
                           "yet - enable it on the Bedrock console's Model access page (or accept "
                           "its AWS Marketplace subscription), then retry.",
                           model_id != NULL ? model_id : "this model");
        return;
    }
    if (brk_hint_parse_denial(err->message, action, sizeof(action), resource, sizeof(resource))) {
        bedrock_error_hint(err,
                           "IAM denies %s on %s: attach a policy with the statement "
                           "{\"Effect\":\"Allow\",\"Action\":\"%s\",\"Resource\":\"%s\"} to this "
                           "user (see `bedrockctl policy`), then retry.",
                           action, resource, action, resource);
        return;
    }
    bedrock_error_hint(err, "IAM denied the request: check the policies attached to this user "
                            "allow the action (run with --debug to see the request).");
}

static void hint_invalid_model(const char *model_id, struct bedrock_error *err)
{
    bedrock_error_hint(err,
                       "Check the model id%s%s and that the model is offered in this region "
                       "(`bedrockctl models list`).",
                       model_id != NULL ? " " : "", model_id != NULL ? model_id : "");
}

static void hint_validation(const char *model_id, struct bedrock_error *err)
{
    if (find_ci(err->message, "model identifier") != NULL ||
        find_ci(err->message, "model id") != NULL) {
        hint_invalid_model(model_id, err);
    }
}

static void hint_signature(struct bedrock_error *err)
{
    bool has_canon = strstr(err->message, "Canonical String") != NULL;
    bedrock_error_hint(err,
                       "The secret access key does not match the key id, or the clock or region "
                       "is wrong: re-copy AWS_SECRET_ACCESS_KEY with no stray characters, sync the "
                       "clock, and run with --debug to see our canonical request%s.",
                       has_canon ? " beside the one AWS returned in this message"
                                 : " beside the one AWS expected");
}

void brk_hint_fill(struct bedrock_client *client, const char *service_id, const char *model_id,
                   struct bedrock_error *err)
{
    (void)service_id;
    switch (err->code) {
    case BEDROCK_E_INVALID_KEY:
        bedrock_error_hint(err,
                           "Check the access key id: that it was copied whole with no stray "
                           "spaces and that the key is still active (`bedrockctl keys list`).");
        break;
    case BEDROCK_E_SIGNATURE:
        hint_signature(err);
        break;
    case BEDROCK_E_CLOCK_SKEW:
        bedrock_error_hint(err, "The system clock is off: sync it (e.g. with NTP) and retry.");
        break;
    case BEDROCK_E_EXPIRED:
        bedrock_error_hint(err, "The temporary credentials have expired: refresh them (new "
                                "session token, `aws sso login`, or re-run the credential "
                                "process) and retry.");
        break;
    case BEDROCK_E_ACCESS_DENIED:
    case BEDROCK_E_MODEL_ACCESS:
        hint_access(model_id, err);
        break;
    case BEDROCK_E_NOT_FOUND:
        if (model_id != NULL) {
            hint_invalid_model(model_id, err);
        }
        break;
    case BEDROCK_E_VALIDATION:
        hint_validation(model_id, err);
        break;
    case BEDROCK_E_NEEDS_PROFILE:
        bedrock_error_hint(err, "This model has no on-demand throughput here: invoke it through an "
                                "inference profile (`bedrockctl models profiles`).");
        break;
    case BEDROCK_E_THROTTLED:
    case BEDROCK_E_QUOTA:
        bedrock_error_hint(err, "Bedrock kept throttling the requests: slow down, or request a "
                                "higher requests/tokens-per-minute quota for this model in "
                                "Service Quotas.");
        break;
    case BEDROCK_E_MODEL_TIMEOUT:
    case BEDROCK_E_TIMEOUT:
        bedrock_error_hint(err, "The model or network took too long: raise the read timeout "
                                "(--read-timeout) or ask for fewer tokens.");
        break;
    case BEDROCK_E_NO_REGION:
        bedrock_error_hint(err, "Set a region: --region, AWS_REGION, AWS_DEFAULT_REGION, .env, or "
                                "`region` in ~/.aws/config (`bedrockctl setup` writes one).");
        break;
    case BEDROCK_E_NO_CREDENTIALS:
        if (client != NULL && client->bearer_token != NULL) {
            bedrock_error_hint(err, "A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) only "
                                    "authenticates Bedrock runtime calls (invoke, chat, models); "
                                    "this command needs IAM credentials: set AWS_ACCESS_KEY_ID "
                                    "and AWS_SECRET_ACCESS_KEY, or a profile.");
            break;
        }
        bedrock_error_hint(err, "No credentials in any source (explicit, AWS_ACCESS_KEY_ID/"
                                "AWS_SECRET_ACCESS_KEY, .env, ~/.aws/credentials profile, "
                                "container, instance metadata): run `bedrockctl setup`.");
        break;
    case BEDROCK_E_NETWORK:
    case BEDROCK_E_TLS:
        bedrock_error_hint(err, "Could not reach the endpoint: check the network, proxy settings "
                                "and --endpoint-url / AWS_ENDPOINT_URL.");
        break;
    default:
        break;
    }
}
