/*
 * client.h - a libbedrock client: configuration (profile, region, endpoints), the credential
 * chain with its cache, one reused HTTP connection, and retries. Not thread-safe: use one
 * client per thread.
 */
#ifndef BEDROCK_CLIENT_H
#define BEDROCK_CLIENT_H

#include <bedrock/bedrock.h>

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bedrock_client;

/* All-zero = defaults (the AWS SDKs' environment and files decide). */
struct bedrock_client_options {
    const char *profile;       /* else AWS_PROFILE, else "default" */
    const char *region;        /* else AWS_REGION, AWS_DEFAULT_REGION, .env, profile */
    const char *endpoint_url;  /* else AWS_ENDPOINT_URL_<SVC>, AWS_ENDPOINT_URL, profile */
    const char *env_file;      /* a .env file to read; NULL = ./.env when present */
    bool no_dotenv;            /* do not read ./.env */
    const char *access_key_id; /* explicit credentials win over every other source */
    const char *secret_access_key;
    const char *session_token;
    const char *bearer_token; /* Bedrock API key; else AWS_BEARER_TOKEN_BEDROCK */
    long connect_timeout_ms;  /* default 10000 */
    long read_timeout_ms;     /* idle time between bytes, default 300000 */
    long total_timeout_ms;    /* default none */
    int max_attempts;         /* default AWS_MAX_ATTEMPTS, else 3 */
};

BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_client_new(const struct bedrock_client_options *opts, struct bedrock_client **out,
                   struct bedrock_error *err);
BEDROCK_API void bedrock_client_free(struct bedrock_client *client);

/* Resolved settings and where they came from ("--region", "AWS_REGION", "profile dev", ...).
 * Strings are owned by the client. */
BEDROCK_API const char *bedrock_client_region(const struct bedrock_client *client);
BEDROCK_API const char *bedrock_client_region_source(const struct bedrock_client *client);
BEDROCK_API const char *bedrock_client_profile(const struct bedrock_client *client);
BEDROCK_API const char *bedrock_client_profile_source(const struct bedrock_client *client);
/* Resolves credentials if not yet done; writes the winning source (never a secret). */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_client_credential_source(
    struct bedrock_client *client, char *buf, size_t buflen, struct bedrock_error *err);
/* The endpoint for a service id ("bedrock-runtime", "bedrock", "sts", "iam", "monitoring",
 * "budgets") and its source. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_client_endpoint(struct bedrock_client *client,
                                                                  const char *service_id, char *buf,
                                                                  size_t buflen,
                                                                  const char **source,
                                                                  struct bedrock_error *err);

/* --debug: log requests (headers redacted) to stderr. Process-wide. */
BEDROCK_API void bedrock_set_debug(int level);

#ifdef __cplusplus
}
#endif
#endif
