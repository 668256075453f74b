/*
 * credentials/creds_json.c - the JSON credential documents shared by credential_process,
 * the container endpoint and IMDS:
 *   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
 *    "SessionToken" | "Token": "...", "Expiration": "2024-01-01T00:00:00Z", "AccountId": "..."}
 * IMDS adds "Code": "Success". Error messages name the field, never the document's text.
 */
#include "config.h"
#include "creds_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *str_field(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bedrock_code bad(struct bedrock_error *err, const char *what, const char *why)
{
    bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "%s: %s", what, why);
    return BEDROCK_E_CREDENTIALS;
}

static bedrock_code check_shape(const json_t *root, const char *what, bool version_required,
                                struct bedrock_error *err)
{
    if (!json_is_object(root)) {
        return bad(err, what, "output is not a JSON object");
    }
    if (version_required) {
        const json_t *ver = json_object_get(root, "Version");
        if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
            return bad(err, what, "output must have \"Version\": 1");
        }
    }
    const char *code = str_field(root, "Code");
    if (code != NULL && strcmp(code, "Success") != 0) {
        return bad(err, what, "the answer's Code is not Success");
    }
    const char *akid = str_field(root, "AccessKeyId");
    const char *secret = str_field(root, "SecretAccessKey");
    if (akid == NULL || *akid == '\0') {
        return bad(err, what, "AccessKeyId is missing");
    }
    if (secret == NULL || *secret == '\0') {
        return bad(err, what, "SecretAccessKey is missing");
    }
    return BEDROCK_OK;
}

static bedrock_code fill(const json_t *root, const char *what, struct brk_credentials *c,
                         struct bedrock_error *err)
{
    const char *token = str_field(root, "SessionToken");
    if (token == NULL) {
        token = str_field(root, "Token");
    }
    const char *exp = str_field(root, "Expiration");
    if (exp != NULL && brk_parse_iso8601(exp, &c->expires_at_s) != BEDROCK_OK) {
        return bad(err, what, "Expiration is not an ISO 8601 time");
    }
    const char *account = str_field(root, "AccountId");
    bedrock_code rc = brk_creds_set(&c->access_key_id, str_field(root, "AccessKeyId"));
    if (rc == BEDROCK_OK) {
        rc = brk_creds_set(&c->secret_access_key, str_field(root, "SecretAccessKey"));
    }
    if (rc == BEDROCK_OK && token != NULL && *token != '\0') {
        rc = brk_creds_set(&c->session_token, token);
    }
    if (rc == BEDROCK_OK && account != NULL && *account != '\0') {
        rc = brk_creds_set(&c->account_id, account);
    }
    return rc;
}

bedrock_code brk_creds_parse_json(const char *json, size_t len, const char *what,
                                  bool version_required, struct brk_credentials *out,
                                  struct bedrock_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        /* jerr.text may quote the input (a secret): report only the position */
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "%s: output is not valid JSON (line %d)",
                          what, jerr.line);
        return BEDROCK_E_CREDENTIALS;
    }
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    bedrock_code rc = check_shape(root, what, version_required, err);
    if (rc == BEDROCK_OK) {
        rc = fill(root, what, &c, err);
    }
    json_decref(root);
    if (rc != BEDROCK_OK) {
        brk_credentials_cleanup(&c);
        return rc;
    }
    (void)snprintf(c.source, sizeof c.source, "%s", what);
    *out = c;
    return BEDROCK_OK;
}
