/*
 * credentials/endpoint.c - the base URL of a service (precedence in config.h).
 *
 *   --endpoint-url > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > profile endpoint_url
 *   > https://<host> from the table below.
 * The middle three are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true or the profile
 * sets ignore_configured_endpoint_urls = true. <SERVICE> is botocore's service id upper-cased
 * with '-' and ' ' as '_' ("monitoring" is CloudWatch). A trailing '/' is dropped.
 * Sources returned are string literals (valid forever).
 */
#include "config.h"
#include "creds_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct service_row {
    const char *id;
    const char *env;    /* AWS_ENDPOINT_URL_<SERVICE> */
    const char *prefix; /* host label */
    bool global;        /* no region in the host */
};

static const struct service_row services[] = {
    { "bedrock-runtime", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "bedrock-runtime", false },
    { "bedrock", "AWS_ENDPOINT_URL_BEDROCK", "bedrock", false },
    { "sts", "AWS_ENDPOINT_URL_STS", "sts", false },
    { "iam", "AWS_ENDPOINT_URL_IAM", "iam", true },
    { "monitoring", "AWS_ENDPOINT_URL_CLOUDWATCH", "monitoring", false },
    { "budgets", "AWS_ENDPOINT_URL_BUDGETS", "budgets", true },
};

static const struct service_row *find_service(const char *id)
{
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
        if (strcmp(services[i].id, id) == 0) {
            return &services[i];
        }
    }
    return NULL;
}

static bool truthy(const char *v)
{
    return v != NULL && strcasecmp(v, "true") == 0;
}

static bedrock_code put_url(struct brk_buf *out, const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') {
        n--;
    }
    return brk_buf_set(out, url, n);
}

/* The configured (non-default) endpoint, or NULL. */
static const char *configured(const struct brk_config *cfg, const struct service_row *svc,
                              const char **source)
{
    if (truthy(brk_config_getenv(cfg, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
        truthy(brk_config_profile_value(cfg, "ignore_configured_endpoint_urls"))) {
        return NULL;
    }
    const char *v = brk_config_getenv(cfg, svc->env);
    if (v != NULL) {
        *source = svc->env;
        return v;
    }
    v = brk_config_getenv(cfg, "AWS_ENDPOINT_URL");
    if (v != NULL) {
        *source = "AWS_ENDPOINT_URL";
        return v;
    }
    v = brk_config_profile_value(cfg, "endpoint_url");
    if (v != NULL && *v != '\0') {
        *source = "profile endpoint_url";
        return v;
    }
    return NULL;
}

bedrock_code brk_config_endpoint(const struct brk_config *cfg, const char *service_id,
                                 struct brk_buf *out, const char **source,
                                 struct bedrock_error *err)
{
    const char *src_dummy = NULL;
    const char **src = source != NULL ? source : &src_dummy;
    const struct service_row *svc = service_id != NULL ? find_service(service_id) : NULL;
    if (cfg == NULL || out == NULL || svc == NULL) {
        bedrock_error_set(err, BEDROCK_E_INVALID_ARG, "unknown service id '%.64s'",
                          service_id != NULL ? service_id : "(null)");
        return BEDROCK_E_INVALID_ARG;
    }
    brk_buf_reset(out);
    const char *opt = brk_config_endpoint_option(cfg);
    if (opt != NULL) {
        *src = "--endpoint-url";
        return put_url(out, opt);
    }
    const char *v = configured(cfg, svc, src);
    if (v != NULL) {
        return put_url(out, v);
    }
    *src = "default";
    if (svc->global) {
        return brk_buf_appendf(out, "https://%s.amazonaws.com", svc->prefix);
    }
    const char *region = brk_config_region(cfg);
    if (region == NULL) {
        bedrock_error_set(err, BEDROCK_E_NO_REGION, "no region configured for %s", service_id);
        bedrock_error_hint(err, "pass --region, set AWS_REGION, or add `region = ...` to the "
                                "profile in ~/.aws/config");
        return BEDROCK_E_NO_REGION;
    }
    return brk_buf_appendf(out, "https://%s.%s.amazonaws.com", svc->prefix, region);
}
