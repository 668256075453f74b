/*
 * credentials/creds_internal.h - what the chain's providers share inside src/credentials/:
 * raw access to the shared files of any profile, the .env file alone, and the providers.
 * Not installed; not used outside src/credentials/.
 */
#ifndef BRK_CREDENTIALS_INTERNAL_H
#define BRK_CREDENTIALS_INTERNAL_H

#include "config.h"

enum brk_cfg_file { BRK_CFG_CREDENTIALS = 0, BRK_CFG_CONFIG = 1 };

/* A key of profile `profile` in one of the two shared files; NULL when absent. */
const char *brk_config_file_value(const struct brk_config *cfg, enum brk_cfg_file which,
                                  const char *profile, const char *key);
/* The file as shown to users ("~/.aws/config" or the AWS_CONFIG_FILE value). */
const char *brk_config_file_display(const struct brk_config *cfg, enum brk_cfg_file which);
bool brk_config_profile_exists(const struct brk_config *cfg, const char *profile);
/* The .env file alone (NULL when absent) and its path ("./.env"), NULL when no file. */
const char *brk_config_dotenv_value(const struct brk_config *cfg, const char *name);
const char *brk_config_dotenv_path(const struct brk_config *cfg);
/* The explicit credentials given in the options (fields may be NULL; secrets borrowed). */
void brk_config_explicit(const struct brk_config *cfg, const char **akid, const char **secret,
                         const char **token, const char **bearer);
/* --endpoint-url as given, or NULL. */
const char *brk_config_endpoint_option(const struct brk_config *cfg);
/* Region for signing STS calls: the configured one, else "us-east-1". */
const char *brk_config_region_or_default(const struct brk_config *cfg);

/* Set a field of c to a copy of s (NULL stays NULL). */
BEDROCK_MUST_USE bedrock_code brk_creds_set(char **field, const char *s);

/* --- providers: each returns OK (filled), E_NO_CREDENTIALS (not configured here: try the
 * next), or a real failure with err set. --- */
BEDROCK_MUST_USE bedrock_code brk_creds_from_process(const char *command, const char *profile,
                                                     struct brk_credentials *out,
                                                     struct bedrock_error *err);
/* Parse the JSON of credential_process / container / IMDS answers. `what` names the source
 * in messages; the JSON text is never quoted back. version_required: credential_process. */
BEDROCK_MUST_USE bedrock_code brk_creds_parse_json(const char *json, size_t len, const char *what,
                                                   bool version_required,
                                                   struct brk_credentials *out,
                                                   struct bedrock_error *err);

struct brk_assume_role {
    const char *role_arn;
    const char *session_name;       /* NULL: bedrockctl-<time> */
    const char *external_id;        /* NULL when none */
    long duration_s;                /* 0: STS default */
    const char *web_identity_token; /* set: AssumeRoleWithWebIdentity (unsigned) */
};
BEDROCK_MUST_USE bedrock_code brk_creds_assume_role(struct brk_config *cfg, struct brk_http *http,
                                                    const struct brk_assume_role *ar,
                                                    const struct brk_credentials *source,
                                                    struct brk_credentials *out,
                                                    struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_creds_from_container(struct brk_config *cfg,
                                                       struct brk_credentials *out,
                                                       struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_creds_from_imds(struct brk_config *cfg,
                                                  struct brk_credentials *out,
                                                  struct bedrock_error *err);
/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] from the process environment. */
BEDROCK_MUST_USE bedrock_code brk_creds_from_env(struct brk_credentials *out,
                                                 struct bedrock_error *err);
/* AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME]. */
BEDROCK_MUST_USE bedrock_code brk_creds_from_env_web_identity(struct brk_config *cfg,
                                                              struct brk_http *http,
                                                              struct brk_credentials *out,
                                                              struct bedrock_error *err);
/* Read a web identity token file (trimmed) into a secret buffer. */
BEDROCK_MUST_USE bedrock_code brk_creds_read_token_file(const char *path, struct brk_buf *out,
                                                        struct bedrock_error *err);
/* The shared-files part of the chain for the selected profile. */
BEDROCK_MUST_USE bedrock_code brk_creds_from_profile(struct brk_config *cfg, struct brk_http *http,
                                                     struct brk_credentials *out,
                                                     struct bedrock_error *err);

#endif
