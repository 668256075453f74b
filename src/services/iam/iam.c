/*
 * services/iam/iam.c - IAM users, managed policies, attachments and inline policies (query
 * protocol). Replies: <XResponse><XResult>...</XResult></XResponse>; see iam.h.
 */
#include "../../core/alloc.h"
#include "../../core/limits.h"
#include "iam_util.h"

#include <stdio.h>
#include <string.h>

#define FORM(f) struct brk_buf f = BRK_BUF(BRK_MAX_REQUEST_BYTES)

static void user_from(const struct brk_xml *u, struct brk_iam_user *out)
{
    memset(out, 0, sizeof(*out));
    brk_iam_copy(u, "UserName", out->name, sizeof(out->name));
    brk_iam_copy(u, "UserId", out->user_id, sizeof(out->user_id));
    brk_iam_copy(u, "Arn", out->arn, sizeof(out->arn));
    out->created = brk_iam_time(u, "CreateDate");
}

static void policy_from(const struct brk_xml *p, struct brk_iam_policy *out)
{
    memset(out, 0, sizeof(*out));
    brk_iam_copy(p, "PolicyName", out->name, sizeof(out->name));
    brk_iam_copy(p, "Arn", out->arn, sizeof(out->arn));
    if (out->arn[0] == '\0') {
        brk_iam_copy(p, "PolicyArn", out->arn, sizeof(out->arn));
    }
    brk_iam_copy(p, "DefaultVersionId", out->default_version, sizeof(out->default_version));
    const char *ac = brk_xml_text(p, "AttachmentCount");
    out->attachment_count = ac != NULL ? strtol(ac, NULL, 10) : 0;
}

static bedrock_code user_call(struct bedrock_client *c, const char *action, const char *user,
                              struct brk_iam_user *out, struct bedrock_error *err)
{
    FORM(f);
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, action, &f, &doc, err);
    }
    if (rc == BEDROCK_OK && out != NULL) {
        char path[96];
        snprintf(path, sizeof(path), "%sResult/User", action);
        const struct brk_xml *u = brk_xml_find(doc, path);
        if (u == NULL) {
            rc = BEDROCK_E_PARSE;
            bedrock_error_set(err, rc, "%s: the reply has no User", action);
        } else {
            user_from(u, out);
        }
    }
    brk_xml_free(doc);
    brk_buf_cleanup(&f);
    return rc;
}

bedrock_code brk_iam_get_user(struct bedrock_client *c, const char *user, struct brk_iam_user *out,
                              struct bedrock_error *err)
{
    return user_call(c, "GetUser", user, out, err);
}

bedrock_code brk_iam_create_user(struct bedrock_client *c, const char *user,
                                 struct brk_iam_user *out, struct bedrock_error *err)
{
    return user_call(c, "CreateUser", user, out, err);
}

bedrock_code brk_iam_delete_user(struct bedrock_client *c, const char *user,
                                 struct bedrock_error *err)
{
    return user_call(c, "DeleteUser", user, NULL, err);
}

struct user_list {
    struct brk_iam_user *items;
    size_t n, cap;
};

static bedrock_code add_user(void *ctx, const struct brk_xml *m)
{
    struct user_list *l = ctx;
    if (brk_iam_grow((void **)&l->items, &l->cap, l->n, sizeof(*l->items)) != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    user_from(m, &l->items[l->n++]);
    return BEDROCK_OK;
}

bedrock_code brk_iam_list_users(struct bedrock_client *c, struct brk_iam_user **out, size_t *n,
                                struct bedrock_error *err)
{
    struct user_list l = { 0 };
    bedrock_code rc = brk_iam_list(c, "ListUsers", NULL, "Users", add_user, &l, err);
    if (rc != BEDROCK_OK) {
        brk_free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return BEDROCK_OK;
}

static bedrock_code policy_call(struct bedrock_client *c, const char *action, struct brk_buf *f,
                                struct brk_iam_policy *out, struct bedrock_error *err)
{
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_iam_call(c, action, f, &doc, err);
    if (rc == BEDROCK_OK && out != NULL) {
        char path[96];
        snprintf(path, sizeof(path), "%sResult/Policy", action);
        const struct brk_xml *p = brk_xml_find(doc, path);
        if (p == NULL) {
            rc = BEDROCK_E_PARSE;
            bedrock_error_set(err, rc, "%s: the reply has no Policy", action);
        } else {
            policy_from(p, out);
        }
    }
    brk_xml_free(doc);
    brk_buf_cleanup(f);
    return rc;
}

bedrock_code brk_iam_create_policy(struct bedrock_client *c, const char *name, const char *document,
                                   struct brk_iam_policy *out, struct bedrock_error *err)
{
    FORM(f);
    /* no Description: moto rebuilds form bodies (spaces as '+') before checking the
     * signature, so a value with spaces fails there although AWS accepts it */
    bedrock_code rc =
        brk_iam_form(&f, err, "PolicyName", name, "PolicyDocument", document, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return policy_call(c, "CreatePolicy", &f, out, err);
}

bedrock_code brk_iam_get_policy(struct bedrock_client *c, const char *arn,
                                struct brk_iam_policy *out, struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "PolicyArn", arn, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return policy_call(c, "GetPolicy", &f, out, err);
}

bedrock_code brk_iam_delete_policy(struct bedrock_client *c, const char *arn,
                                   struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "PolicyArn", arn, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return policy_call(c, "DeletePolicy", &f, NULL, err);
}

static bedrock_code doc_call(struct bedrock_client *c, const char *action, struct brk_buf *f,
                             const char *path, json_t **doc, struct bedrock_error *err)
{
    struct brk_xml *x = NULL;
    bedrock_code rc = brk_iam_call(c, action, f, &x, err);
    if (rc == BEDROCK_OK) {
        const char *enc = brk_xml_text(x, path);
        if (enc == NULL) {
            rc = BEDROCK_E_PARSE;
            bedrock_error_set(err, rc, "%s: the reply has no policy document", action);
        } else {
            rc = brk_iam_parse_doc(enc, doc, err);
        }
    }
    brk_xml_free(x);
    brk_buf_cleanup(f);
    return rc;
}

bedrock_code brk_iam_get_policy_version(struct bedrock_client *c, const char *arn,
                                        const char *version, json_t **doc,
                                        struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc =
        brk_iam_form(&f, err, "PolicyArn", arn, "VersionId", version, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return doc_call(c, "GetPolicyVersion", &f, "GetPolicyVersionResult/PolicyVersion/Document", doc,
                    err);
}

struct policy_list {
    struct brk_iam_policy *items;
    size_t n, cap;
};

static bedrock_code add_policy(void *ctx, const struct brk_xml *m)
{
    struct policy_list *l = ctx;
    if (brk_iam_grow((void **)&l->items, &l->cap, l->n, sizeof(*l->items)) != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    policy_from(m, &l->items[l->n++]);
    return BEDROCK_OK;
}

static bedrock_code list_policies_call(struct bedrock_client *c, const char *action,
                                       struct brk_buf *f, const char *list,
                                       struct brk_iam_policy **out, size_t *n,
                                       struct bedrock_error *err)
{
    struct policy_list l = { 0 };
    bedrock_code rc = brk_iam_list(c, action, f, list, add_policy, &l, err);
    brk_buf_cleanup(f);
    if (rc != BEDROCK_OK) {
        brk_free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return BEDROCK_OK;
}

bedrock_code brk_iam_list_policies(struct bedrock_client *c, bool local_only,
                                   struct brk_iam_policy **out, size_t *n,
                                   struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc =
        brk_iam_form(&f, err, "Scope", local_only ? "Local" : "All", (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return list_policies_call(c, "ListPolicies", &f, "Policies", out, n, err);
}

static bedrock_code attach_call(struct bedrock_client *c, const char *action, const char *user,
                                const char *arn, struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, "PolicyArn", arn, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, action, &f, NULL, err);
    }
    brk_buf_cleanup(&f);
    return rc;
}

bedrock_code brk_iam_attach_user_policy(struct bedrock_client *c, const char *user, const char *arn,
                                        struct bedrock_error *err)
{
    return attach_call(c, "AttachUserPolicy", user, arn, err);
}

bedrock_code brk_iam_detach_user_policy(struct bedrock_client *c, const char *user, const char *arn,
                                        struct bedrock_error *err)
{
    return attach_call(c, "DetachUserPolicy", user, arn, err);
}

bedrock_code brk_iam_list_attached_user_policies(struct bedrock_client *c, const char *user,
                                                 struct brk_iam_policy **out, size_t *n,
                                                 struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return list_policies_call(c, "ListAttachedUserPolicies", &f, "AttachedPolicies", out, n, err);
}

bedrock_code brk_iam_put_user_policy(struct bedrock_client *c, const char *user, const char *name,
                                     const char *document, struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, "PolicyName", name, "PolicyDocument",
                                   document, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, "PutUserPolicy", &f, NULL, err);
    }
    brk_buf_cleanup(&f);
    return rc;
}

bedrock_code brk_iam_get_user_policy(struct bedrock_client *c, const char *user, const char *name,
                                     json_t **doc, struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc =
        brk_iam_form(&f, err, "UserName", user, "PolicyName", name, (const char *)NULL);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&f);
        return rc;
    }
    return doc_call(c, "GetUserPolicy", &f, "GetUserPolicyResult/PolicyDocument", doc, err);
}

struct name_list {
    char **items;
    size_t n, cap;
};

static bedrock_code add_name(void *ctx, const struct brk_xml *m)
{
    struct name_list *l = ctx;
    if (brk_iam_grow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items)) != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    l->items[l->n] = brk_strdup(m->text != NULL ? m->text : "");
    if (l->items[l->n] == NULL) {
        return BEDROCK_E_NOMEM;
    }
    l->n++;
    return BEDROCK_OK;
}

bedrock_code brk_iam_list_user_policies(struct bedrock_client *c, const char *user, char ***names,
                                        struct bedrock_error *err)
{
    FORM(f);
    struct name_list l = { 0 };
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_list(c, "ListUserPolicies", &f, "PolicyNames", add_name, &l, err);
    }
    brk_buf_cleanup(&f);
    if (rc == BEDROCK_OK && l.items == NULL) {
        rc = brk_iam_grow((void **)&l.items, &l.cap, 0, sizeof(*l.items));
        if (rc != BEDROCK_OK) {
            bedrock_error_set(err, rc, "out of memory");
        }
    }
    if (rc != BEDROCK_OK) {
        brk_iam_strv_free(l.items);
        return rc;
    }
    *names = l.items;
    return BEDROCK_OK;
}

void brk_iam_strv_free(char **v)
{
    for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
        brk_free(v[i]);
    }
    brk_free(v);
}

bool brk_iam_arn_account(const char *arn, char *out, size_t len)
{
    /* arn:PARTITION:SERVICE:REGION:ACCOUNT:... */
    const char *p = arn;
    for (int i = 0; i < 4 && p != NULL; i++) {
        p = strchr(p, ':');
        if (p != NULL) {
            p++;
        }
    }
    if (p == NULL || strncmp(arn, "arn:", 4) != 0) {
        return false;
    }
    const char *e = strchr(p, ':');
    if (e == NULL || e == p || (size_t)(e - p) >= len) {
        return false;
    }
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return true;
}
