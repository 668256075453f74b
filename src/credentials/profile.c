/*
 * credentials/profile.c - credentials from the shared files for a profile, as botocore does.
 *
 * For the selected profile (depth 0): role_arn (with source_profile, credential_source or
 * web_identity_token_file) -> static keys (credentials file, then config) -> credential_process.
 * For a source_profile (depth > 0): static keys first, then credential_process, then its own
 * role_arn (role chaining). A profile naming itself as source_profile uses its static keys.
 * Invariants: the chain of profiles is at most MAX_DEPTH long and never revisits a profile
 * (loop -> E_CREDENTIALS naming the cycle).
 */
#include "config.h"
#include "core/alloc.h"
#include "core/fileio.h"
#include "creds_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8

struct walk {
    struct brk_config *cfg;
    struct brk_http *http;
    const char *names[MAX_DEPTH];
    size_t n;
};

static const char *pvalue(const struct brk_config *cfg, const char *profile, const char *key)
{
    const char *v = brk_config_file_value(cfg, BRK_CFG_CONFIG, profile, key);
    if (v == NULL) {
        v = brk_config_file_value(cfg, BRK_CFG_CREDENTIALS, profile, key);
    }
    return v != NULL && *v != '\0' ? v : NULL;
}

/* Static keys: credentials file first, then config. E_NO_CREDENTIALS when none. */
static bedrock_code static_keys(const struct brk_config *cfg, const char *profile,
                                struct brk_credentials *out, struct bedrock_error *err)
{
    for (int f = BRK_CFG_CREDENTIALS; f <= BRK_CFG_CONFIG; f++) {
        enum brk_cfg_file which = (enum brk_cfg_file)f;
        const char *akid = brk_config_file_value(cfg, which, profile, "aws_access_key_id");
        const char *secret = brk_config_file_value(cfg, which, profile, "aws_secret_access_key");
        const char *file = brk_config_file_display(cfg, which);
        if (akid == NULL && secret == NULL) {
            continue;
        }
        if (akid == NULL || secret == NULL || *akid == '\0' || *secret == '\0') {
            bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                              "profile '%.100s' in %s has only one of aws_access_key_id and "
                              "aws_secret_access_key",
                              profile, file);
            return BEDROCK_E_CREDENTIALS;
        }
        struct brk_credentials c;
        memset(&c, 0, sizeof c);
        const char *token = brk_config_file_value(cfg, which, profile, "aws_session_token");
        const char *account = brk_config_file_value(cfg, which, profile, "aws_account_id");
        bedrock_code rc = brk_creds_set(&c.access_key_id, akid);
        if (rc == BEDROCK_OK) {
            rc = brk_creds_set(&c.secret_access_key, secret);
        }
        if (rc == BEDROCK_OK && token != NULL && *token != '\0') {
            rc = brk_creds_set(&c.session_token, token);
        }
        if (rc == BEDROCK_OK && account != NULL && *account != '\0') {
            rc = brk_creds_set(&c.account_id, account);
        }
        if (rc != BEDROCK_OK) {
            brk_credentials_cleanup(&c);
            return rc;
        }
        (void)snprintf(c.source, sizeof c.source, "%s profile %s",
                       which == BRK_CFG_CREDENTIALS ? "shared-credentials" : "shared-config",
                       profile);
        *out = c;
        return BEDROCK_OK;
    }
    return BEDROCK_E_NO_CREDENTIALS;
}

static bedrock_code resolve(struct walk *w, const char *profile, struct brk_credentials *out,
                            struct bedrock_error *err);

static bedrock_code loop_error(const struct walk *w, const char *profile, struct bedrock_error *err)
{
    char path[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < w->n && used < sizeof path; i++) {
        int k = snprintf(path + used, sizeof path - used, "%s -> ", w->names[i]);
        used += k > 0 ? (size_t)k : 0;
    }
    bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "source_profile loop: %s%.100s", path, profile);
    return BEDROCK_E_CREDENTIALS;
}

static bedrock_code named_source(struct walk *w, const char *profile, const char *source,
                                 struct brk_credentials *out, struct bedrock_error *err)
{
    if (strcmp(source, profile) == 0) {
        bedrock_code rc = static_keys(w->cfg, profile, out, err);
        if (rc == BEDROCK_E_NO_CREDENTIALS) {
            return loop_error(w, profile, err);
        }
        return rc;
    }
    if (!brk_config_profile_exists(w->cfg, source)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "source_profile '%.100s' of profile '%.100s' not found", source, profile);
        return BEDROCK_E_CREDENTIALS;
    }
    bedrock_code rc = resolve(w, source, out, err);
    if (rc == BEDROCK_E_NO_CREDENTIALS) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "source_profile '%.100s' of profile '%.100s' has no credentials", source,
                          profile);
        rc = BEDROCK_E_CREDENTIALS;
    }
    return rc;
}

static bedrock_code credential_source(struct walk *w, const char *profile, const char *kind,
                                      struct brk_credentials *out, struct bedrock_error *err)
{
    bedrock_code rc;
    if (strcmp(kind, "Environment") == 0) {
        rc = brk_creds_from_env(out, err);
    } else if (strcmp(kind, "Ec2InstanceMetadata") == 0) {
        rc = brk_creds_from_imds(w->cfg, out, err);
    } else if (strcmp(kind, "EcsContainer") == 0) {
        rc = brk_creds_from_container(w->cfg, out, err);
    } else {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s': credential_source '%.64s' is not one of "
                          "Environment, Ec2InstanceMetadata, EcsContainer",
                          profile, kind);
        return BEDROCK_E_CREDENTIALS;
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s': credential_source %.64s has no credentials", profile,
                          kind);
        rc = BEDROCK_E_CREDENTIALS;
    }
    return rc;
}

static bedrock_code role_params(const struct brk_config *cfg, const char *profile,
                                struct brk_assume_role *ar, struct bedrock_error *err)
{
    memset(ar, 0, sizeof *ar);
    ar->role_arn = pvalue(cfg, profile, "role_arn");
    ar->session_name = pvalue(cfg, profile, "role_session_name");
    ar->external_id = pvalue(cfg, profile, "external_id");
    const char *dur = pvalue(cfg, profile, "duration_seconds");
    if (dur != NULL) {
        char *end = NULL;
        errno = 0;
        long d = strtol(dur, &end, 10);
        if (errno != 0 || end == dur || *end != '\0' || d < 900 || d > 43200) {
            bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                              "profile '%.100s': duration_seconds must be 900..43200", profile);
            return BEDROCK_E_CREDENTIALS;
        }
        ar->duration_s = d;
    }
    if (pvalue(cfg, profile, "mfa_serial") != NULL) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s' needs an MFA code (mfa_serial), which bedrockctl "
                          "cannot prompt for",
                          profile);
        bedrock_error_hint(err, "run `aws sts assume-role` yourself and export the result");
        return BEDROCK_E_CREDENTIALS;
    }
    return BEDROCK_OK;
}

static bedrock_code web_identity(struct walk *w, const struct brk_assume_role *base,
                                 const char *file, struct brk_credentials *out,
                                 struct bedrock_error *err)
{
    struct brk_buf tok = BRK_SECRET_BUF(64u * 1024u);
    bedrock_code rc = brk_creds_read_token_file(file, &tok, err);
    if (rc == BEDROCK_OK) {
        struct brk_assume_role ar = *base;
        ar.web_identity_token = tok.data;
        rc = brk_creds_assume_role(w->cfg, w->http, &ar, NULL, out, err);
    }
    brk_buf_cleanup(&tok);
    return rc;
}

static bedrock_code assume(struct walk *w, const char *profile, struct brk_credentials *out,
                           struct bedrock_error *err)
{
    struct brk_assume_role ar;
    bedrock_code rc = role_params(w->cfg, profile, &ar, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    const char *src = pvalue(w->cfg, profile, "source_profile");
    const char *csrc = pvalue(w->cfg, profile, "credential_source");
    const char *wif = pvalue(w->cfg, profile, "web_identity_token_file");
    if (src != NULL && csrc != NULL) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s' has both source_profile and credential_source",
                          profile);
        return BEDROCK_E_CREDENTIALS;
    }
    if (src == NULL && csrc == NULL) {
        if (wif != NULL) {
            return web_identity(w, &ar, wif, out, err);
        }
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s' has role_arn but no source_profile, "
                          "credential_source or web_identity_token_file",
                          profile);
        return BEDROCK_E_CREDENTIALS;
    }
    struct brk_credentials source;
    memset(&source, 0, sizeof source);
    rc = src != NULL ? named_source(w, profile, src, &source, err)
                     : credential_source(w, profile, csrc, &source, err);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_assume_role(w->cfg, w->http, &ar, &source, out, err);
    }
    brk_credentials_cleanup(&source);
    return rc;
}

static bedrock_code resolve(struct walk *w, const char *profile, struct brk_credentials *out,
                            struct bedrock_error *err)
{
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->names[i], profile) == 0) {
            return loop_error(w, profile, err);
        }
    }
    if (w->n == MAX_DEPTH) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "profile chain longer than %d at '%.100s'",
                          MAX_DEPTH, profile);
        return BEDROCK_E_CREDENTIALS;
    }
    w->names[w->n++] = profile;
    bool top = w->n == 1;
    bedrock_code rc = BEDROCK_E_NO_CREDENTIALS;
    if (!top) {
        rc = static_keys(w->cfg, profile, out, err);
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS && pvalue(w->cfg, profile, "role_arn") != NULL) {
        rc = assume(w, profile, out, err);
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS && top) {
        rc = static_keys(w->cfg, profile, out, err);
    }
    const char *proc = pvalue(w->cfg, profile, "credential_process");
    if (rc == BEDROCK_E_NO_CREDENTIALS && proc != NULL) {
        rc = brk_creds_from_process(proc, profile, out, err);
    }
    if (rc == BEDROCK_E_NO_CREDENTIALS && (pvalue(w->cfg, profile, "sso_session") != NULL ||
                                           pvalue(w->cfg, profile, "sso_start_url") != NULL)) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                          "profile '%.100s' uses IAM Identity Center (SSO), not supported here",
                          profile);
        bedrock_error_hint(err,
                           "run `aws configure export-credentials --profile %.100s "
                           "--format env` and use the exported keys",
                           profile);
        rc = BEDROCK_E_CREDENTIALS;
    }
    w->n--;
    return rc;
}

bedrock_code brk_creds_from_profile(struct brk_config *cfg, struct brk_http *http,
                                    struct brk_credentials *out, struct bedrock_error *err)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.cfg = cfg;
    w.http = http;
    return resolve(&w, brk_config_profile(cfg), out, err);
}

bedrock_code brk_creds_read_token_file(const char *path, struct brk_buf *out,
                                       struct bedrock_error *err)
{
    bedrock_code rc = brk_file_read(path, out->max, out);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "cannot read web identity token file %.512s",
                          path);
        return BEDROCK_E_CREDENTIALS;
    }
    struct brk_slice t = brk_slice_trim(brk_buf_slice(out));
    if (t.len == 0) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "web identity token file %.512s is empty",
                          path);
        return BEDROCK_E_CREDENTIALS;
    }
    memmove(out->data, t.ptr, t.len);
    brk_wipe(out->data + t.len, out->len - t.len);
    out->len = t.len;
    out->data[t.len] = '\0';
    return BEDROCK_OK;
}

bedrock_code brk_creds_from_env_web_identity(struct brk_config *cfg, struct brk_http *http,
                                             struct brk_credentials *out, struct bedrock_error *err)
{
    const char *file = brk_config_getenv(cfg, "AWS_WEB_IDENTITY_TOKEN_FILE");
    const char *arn = brk_config_getenv(cfg, "AWS_ROLE_ARN");
    if (file == NULL || arn == NULL) {
        return BEDROCK_E_NO_CREDENTIALS;
    }
    struct walk w;
    memset(&w, 0, sizeof w);
    w.cfg = cfg;
    w.http = http;
    struct brk_assume_role ar;
    memset(&ar, 0, sizeof ar);
    ar.role_arn = arn;
    ar.session_name = brk_config_getenv(cfg, "AWS_ROLE_SESSION_NAME");
    return web_identity(&w, &ar, file, out, err);
}
