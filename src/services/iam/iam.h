/*
 * services/iam/iam.h - the IAM operations the guide needs (query protocol, Version 2010-05-08,
 * global endpoint "iam", signing name "iam"), over brk_query_call.
 *
 * Invariants: names, ARNs and ids are copied into fixed buffers (IAM limits: user name 64,
 * policy name 128, ARN 2048 -> we keep 512); list results are brk_malloc'd arrays freed by
 * brk_free; a created secret access key lives only in a malloc'd string wiped by
 * brk_iam_access_key_cleanup (the reply's XML text holding it is wiped before it is freed).
 * List calls follow Marker/IsTruncated to the end.
 */
#ifndef BRK_SERVICES_IAM_H
#define BRK_SERVICES_IAM_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define BRK_IAM_FULL_ACCESS_ARN "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
#define BRK_IAM_ADMIN_ARN       "arn:aws:iam::aws:policy/AdministratorAccess"

struct brk_iam_user {
    char name[128];
    char user_id[64];
    char arn[512];
    time_t created;
};

struct brk_iam_policy {
    char name[160];
    char arn[512];
    char default_version[32];
    long attachment_count;
};

struct brk_iam_access_key {
    char id[64];
    char status[16]; /* Active | Inactive */
    char user[128];
    time_t created;
    char *secret; /* only from CreateAccessKey; wiped by brk_iam_access_key_cleanup */
};

struct brk_iam_last_used {
    bool used; /* false: never used */
    time_t when;
    char service[64]; /* "N/A" when never used */
    char region[64];
    char user[128];
};

/* user NULL: GetUser on the caller. */
BEDROCK_MUST_USE bedrock_code brk_iam_get_user(struct bedrock_client *c, const char *user,
                                               struct brk_iam_user *out, struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_create_user(struct bedrock_client *c, const char *user,
                                                  struct brk_iam_user *out,
                                                  struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_delete_user(struct bedrock_client *c, const char *user,
                                                  struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_list_users(struct bedrock_client *c,
                                                 struct brk_iam_user **out, size_t *n,
                                                 struct bedrock_error *err);

/* document: the JSON text. */
BEDROCK_MUST_USE bedrock_code brk_iam_create_policy(struct bedrock_client *c, const char *name,
                                                    const char *document,
                                                    struct brk_iam_policy *out,
                                                    struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_get_policy(struct bedrock_client *c, const char *arn,
                                                 struct brk_iam_policy *out,
                                                 struct bedrock_error *err);
/* The document of one version (URL-decoded, parsed); *doc is a new reference. */
BEDROCK_MUST_USE bedrock_code brk_iam_get_policy_version(struct bedrock_client *c, const char *arn,
                                                         const char *version, json_t **doc,
                                                         struct bedrock_error *err);
/* Local (customer-managed) policies when local_only, else all. */
BEDROCK_MUST_USE bedrock_code brk_iam_list_policies(struct bedrock_client *c, bool local_only,
                                                    struct brk_iam_policy **out, size_t *n,
                                                    struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_delete_policy(struct bedrock_client *c, const char *arn,
                                                    struct bedrock_error *err);

BEDROCK_MUST_USE bedrock_code brk_iam_attach_user_policy(struct bedrock_client *c, const char *user,
                                                         const char *arn,
                                                         struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_detach_user_policy(struct bedrock_client *c, const char *user,
                                                         const char *arn,
                                                         struct bedrock_error *err);
/* name and arn filled; default_version empty. */
BEDROCK_MUST_USE bedrock_code brk_iam_list_attached_user_policies(struct bedrock_client *c,
                                                                  const char *user,
                                                                  struct brk_iam_policy **out,
                                                                  size_t *n,
                                                                  struct bedrock_error *err);

BEDROCK_MUST_USE bedrock_code brk_iam_put_user_policy(struct bedrock_client *c, const char *user,
                                                      const char *name, const char *document,
                                                      struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_get_user_policy(struct bedrock_client *c, const char *user,
                                                      const char *name, json_t **doc,
                                                      struct bedrock_error *err);
/* Inline policy names: a NULL-terminated array of malloc'd strings (brk_iam_strv_free). */
BEDROCK_MUST_USE bedrock_code brk_iam_list_user_policies(struct bedrock_client *c, const char *user,
                                                         char ***names, struct bedrock_error *err);
void brk_iam_strv_free(char **v);

/* user NULL: the caller's own keys. */
BEDROCK_MUST_USE bedrock_code brk_iam_create_access_key(struct bedrock_client *c, const char *user,
                                                        struct brk_iam_access_key *out,
                                                        struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_list_access_keys(struct bedrock_client *c, const char *user,
                                                       struct brk_iam_access_key **out, size_t *n,
                                                       struct bedrock_error *err);
/* status: "Active" or "Inactive". */
BEDROCK_MUST_USE bedrock_code brk_iam_update_access_key(struct bedrock_client *c, const char *user,
                                                        const char *key_id, const char *status,
                                                        struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_delete_access_key(struct bedrock_client *c, const char *user,
                                                        const char *key_id,
                                                        struct bedrock_error *err);
BEDROCK_MUST_USE bedrock_code brk_iam_get_access_key_last_used(struct bedrock_client *c,
                                                               const char *key_id,
                                                               struct brk_iam_last_used *out,
                                                               struct bedrock_error *err);
void brk_iam_access_key_cleanup(struct brk_iam_access_key *k);
void brk_iam_access_keys_free(struct brk_iam_access_key *keys, size_t n);

/* GetAccountSummary: does the account root have access keys? */
BEDROCK_MUST_USE bedrock_code brk_iam_root_keys_present(struct bedrock_client *c, bool *present,
                                                        struct bedrock_error *err);

/* "arn:aws:iam::ACCOUNT:user/NAME" -> ACCOUNT into out; false when not an IAM ARN. */
bool brk_iam_arn_account(const char *arn, char *out, size_t len);

#endif
