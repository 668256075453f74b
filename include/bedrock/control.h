/*
 * control.h - the Bedrock control plane: foundation models and inference profiles.
 * Every enum is an open string: unknown values are kept as they come.
 */
#ifndef BEDROCK_CONTROL_H
#define BEDROCK_CONTROL_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bedrock_model_summary {
    char *model_id;
    char *model_arn;
    char *model_name;
    char *provider_name;
    char **input_modalities; /* NULL-terminated arrays */
    char **output_modalities;
    char **inference_types; /* ON_DEMAND, PROVISIONED, INFERENCE_PROFILE, ... */
    char **customizations;
    bool streaming_supported;
    bool streaming_known;
    char *lifecycle_status; /* ACTIVE, LEGACY, ... or NULL */
};

struct bedrock_model_list {
    struct bedrock_model_summary *models;
    size_t n_models;
    char *raw_json; /* the whole response */
};

struct bedrock_model_filter {
    const char *by_provider;
    const char *by_output_modality;
    const char *by_inference_type;
    const char *by_customization_type;
};

BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_list_foundation_models(
    struct bedrock_client *client, const struct bedrock_model_filter *filter,
    struct bedrock_model_list *out, struct bedrock_error *err);
/* One model (n_models == 1) by id or ARN. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_get_foundation_model(struct bedrock_client *client, const char *model_id,
                             struct bedrock_model_list *out, struct bedrock_error *err);
BEDROCK_API void bedrock_model_list_cleanup(struct bedrock_model_list *list);

struct bedrock_inference_profile {
    char *profile_id;
    char *profile_arn;
    char *profile_name;
    char *status;
    char *type;        /* SYSTEM_DEFINED | APPLICATION */
    char **model_arns; /* NULL-terminated: foundation-model ARNs it routes to */
};
struct bedrock_profile_list {
    struct bedrock_inference_profile *profiles;
    size_t n_profiles;
    char *raw_json;
};
/* All pages. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_list_inference_profiles(
    struct bedrock_client *client, struct bedrock_profile_list *out, struct bedrock_error *err);
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_get_inference_profile(struct bedrock_client *client, const char *profile_id,
                              struct bedrock_profile_list *out, struct bedrock_error *err);
BEDROCK_API void bedrock_profile_list_cleanup(struct bedrock_profile_list *list);

/* The inference profile to use for model_id from region (prefers the region's geography
 * prefix: eu./us./apac., then global.). Writes the profile id; E_NOT_FOUND when none. */
BEDROCK_API BEDROCK_MUST_USE bedrock_code
bedrock_find_profile_for_model(struct bedrock_client *client, const char *model_id,
                               char *profile_id, size_t len, struct bedrock_error *err);

#ifdef __cplusplus
}
#endif
#endif
