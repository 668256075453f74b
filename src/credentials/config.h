/*
 * credentials/config.h - configuration the AWS way: profile, region, endpoints, .env, shared
 * config/credentials files; and the credential chain.
 *
 * Precedence (first wins):
 *   profile:  --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"
 *   region:   --region, AWS_REGION, AWS_DEFAULT_REGION, .env AWS_REGION, profile `region`
 *   endpoint: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, profile
 *             `endpoint_url`, else https://<service>.<region>.amazonaws.com
 *   credentials: explicit, environment, .env (--env-file or ./.env), shared files
 *             (static keys, credential_process, role_arn+source_profile, web identity),
 *             container credentials, EC2 IMDSv2.
 * Every resolved value records where it came from (for whoami and --debug), never secrets.
 */
#ifndef BRK_CREDENTIALS_CONFIG_H
#define BRK_CREDENTIALS_CONFIG_H

#include "../core/buf.h"
#include "../http/http.h"

#include <bedrock/bedrock.h>

#include <stdbool.h>
#include <time.h>

struct brk_config_options {
    const char *profile;       /* --profile */
    const char *region;        /* --region */
    const char *endpoint_url;  /* --endpoint-url (all services) */
    const char *env_file;      /* --env-file; NULL = ./.env when present */
    bool no_dotenv;            /* skip ./.env */
    const char *access_key_id; /* explicit credentials (library arguments / flags) */
    const char *secret_access_key;
    const char *session_token;
    const char *bearer_token;
};

/* Credentials in hand. Secrets are wiped on cleanup. */
struct brk_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL when none */
    char *bearer_token;  /* Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), NULL when none */
    time_t expires_at_s; /* 0 = does not expire */
    char source[128];    /* "environment", "env-file ./.env", "shared-credentials profile dev",
                          * "credential_process (profile x)", "assume-role arn:...",
                          * "web-identity", "container", "imds", "explicit" */
    char *account_id;    /* when the source says (aws_account_id), else NULL */
};
void brk_credentials_cleanup(struct brk_credentials *c);
/* True when the access key id, secret or token holds a space, tab, CR or LF (kept as given:
 * `doctor` flags stray whitespace pasted in with a key). */
bool brk_credentials_has_whitespace(const struct brk_credentials *c);
BEDROCK_MUST_USE bedrock_code brk_credentials_copy(struct brk_credentials *dst,
                                                   const struct brk_credentials *src);

struct brk_config; /* opaque */

BEDROCK_MUST_USE bedrock_code brk_config_load(const struct brk_config_options *opts,
                                              struct brk_config **out, struct bedrock_error *err);
void brk_config_free(struct brk_config *cfg);

const char *brk_config_profile(const struct brk_config *cfg);
const char *brk_config_profile_source(const struct brk_config *cfg);
/* NULL when no region anywhere. */
const char *brk_config_region(const struct brk_config *cfg);
const char *brk_config_region_source(const struct brk_config *cfg);
/* A value from the environment, then the .env file; NULL when neither has it. */
const char *brk_config_getenv(const struct brk_config *cfg, const char *name);
/* A key of the selected profile (config file, then credentials file); NULL when absent. */
const char *brk_config_profile_value(const struct brk_config *cfg, const char *key);

/* Endpoint for a service id: "bedrock-runtime", "bedrock", "sts", "iam", "monitoring",
 * "budgets". Writes the base URL (no trailing '/') into out, and where it came from into
 * source (may be NULL). IAM and Budgets are global (iam.amazonaws.com,
 * budgets.amazonaws.com). Fails with E_NO_REGION when a regional default needs a region. */
BEDROCK_MUST_USE bedrock_code brk_config_endpoint(const struct brk_config *cfg,
                                                  const char *service_id, struct brk_buf *out,
                                                  const char **source, struct bedrock_error *err);

/* Run the chain. http is used for STS, container and IMDS calls (may be shared with the
 * caller). On E_NO_CREDENTIALS, err says every source tried. */
BEDROCK_MUST_USE bedrock_code brk_creds_resolve(struct brk_config *cfg, struct brk_http *http,
                                                struct brk_credentials *out,
                                                struct bedrock_error *err);

/* Cached provider: resolves once, refreshes temporary credentials `refresh_s` before expiry
 * (default 300), and on brk_creds_invalidate() (after an ExpiredToken answer). */
struct brk_creds_cache;
BEDROCK_MUST_USE bedrock_code brk_creds_cache_new(struct brk_config *cfg, struct brk_http *http,
                                                  struct brk_creds_cache **out);
void brk_creds_cache_free(struct brk_creds_cache *c);
/* Borrowed pointer valid until the next get/invalidate/free. */
BEDROCK_MUST_USE bedrock_code brk_creds_cache_get(struct brk_creds_cache *c, time_t now_s,
                                                  const struct brk_credentials **out,
                                                  struct bedrock_error *err);
void brk_creds_invalidate(struct brk_creds_cache *c);
/* Change the refresh window (seconds before expiry); default 300. */
void brk_creds_cache_set_refresh(struct brk_creds_cache *c, long refresh_s);

/* --- parsers (each has a fuzz target) --- */
/* INI as the AWS CLI reads it: [section], key = value, '#' and ';' comments, indented
 * continuation lines (nested s3 = ... blocks kept as raw text). */
struct brk_ini;
BEDROCK_MUST_USE bedrock_code brk_ini_parse(const char *data, size_t len, struct brk_ini **out,
                                            struct bedrock_error *err);
void brk_ini_free(struct brk_ini *ini);
const char *brk_ini_get(const struct brk_ini *ini, const char *section, const char *key);
bool brk_ini_has_section(const struct brk_ini *ini, const char *section);

/* .env: KEY=VALUE lines, '#' comments, optional `export `, single/double quotes (double quotes
 * understand \n \" \\), inline " # comment" after unquoted values. */
struct brk_dotenv;
BEDROCK_MUST_USE bedrock_code brk_dotenv_parse(const char *data, size_t len,
                                               struct brk_dotenv **out, struct bedrock_error *err);
void brk_dotenv_free(struct brk_dotenv *env);
const char *brk_dotenv_get(const struct brk_dotenv *env, const char *key);

#endif
