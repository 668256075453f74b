/*
 * services/iam/iam_keys.c - IAM access keys: create (the only moment a secret is returned),
 * list, activate/deactivate, delete, last used.
 * Invariant: the secret from CreateAccessKey is copied into one malloc'd string and the XML
 * node text that carried it is wiped before the reply DOM is freed.
 */
#include "../../core/alloc.h"
#include "../../core/limits.h"
#include "iam_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM(f) struct brk_buf f = BRK_BUF(BRK_MAX_REQUEST_BYTES)

static void key_from(const struct brk_xml *k, struct brk_iam_access_key *out)
{
    brk_iam_copy(k, "AccessKeyId", out->id, sizeof(out->id));
    brk_iam_copy(k, "Status", out->status, sizeof(out->status));
    brk_iam_copy(k, "UserName", out->user, sizeof(out->user));
    out->created = brk_iam_time(k, "CreateDate");
}

static void wipe_node(struct brk_xml *x)
{
    if (x != NULL && x->text != NULL) {
        brk_wipe(x->text, strlen(x->text));
    }
}

bedrock_code brk_iam_create_access_key(struct bedrock_client *c, const char *user,
                                       struct brk_iam_access_key *out, struct bedrock_error *err)
{
    FORM(f);
    struct brk_xml *doc = NULL;
    memset(out, 0, sizeof(*out));
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, "CreateAccessKey", &f, &doc, err);
    }
    if (rc != BEDROCK_OK) {
        goto out;
    }
    const struct brk_xml *k = brk_xml_find(doc, "CreateAccessKeyResult/AccessKey");
    struct brk_xml *sec = (struct brk_xml *)(uintptr_t)brk_xml_find(k, "SecretAccessKey");
    if (k == NULL || sec == NULL || sec->text == NULL) {
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "CreateAccessKey: the reply has no AccessKey");
        goto out;
    }
    key_from(k, out);
    out->secret = brk_strdup(sec->text);
    wipe_node(sec);
    if (out->secret == NULL) {
        rc = BEDROCK_E_NOMEM;
        bedrock_error_set(err, rc, "out of memory");
    }
out:
    brk_xml_free(doc);
    brk_buf_cleanup(&f);
    return rc;
}

struct key_list {
    struct brk_iam_access_key *items;
    size_t n, cap;
};

static bedrock_code add_key(void *ctx, const struct brk_xml *m)
{
    struct key_list *l = ctx;
    if (brk_iam_grow((void **)&l->items, &l->cap, l->n, sizeof(*l->items)) != BEDROCK_OK) {
        return BEDROCK_E_NOMEM;
    }
    key_from(m, &l->items[l->n++]);
    return BEDROCK_OK;
}

bedrock_code brk_iam_list_access_keys(struct bedrock_client *c, const char *user,
                                      struct brk_iam_access_key **out, size_t *n,
                                      struct bedrock_error *err)
{
    FORM(f);
    struct key_list l = { 0 };
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_list(c, "ListAccessKeys", &f, "AccessKeyMetadata", add_key, &l, err);
    }
    brk_buf_cleanup(&f);
    if (rc != BEDROCK_OK) {
        brk_free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return BEDROCK_OK;
}

bedrock_code brk_iam_update_access_key(struct bedrock_client *c, const char *user,
                                       const char *key_id, const char *status,
                                       struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc = brk_iam_form(&f, err, "UserName", user, "AccessKeyId", key_id, "Status",
                                   status, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, "UpdateAccessKey", &f, NULL, err);
    }
    brk_buf_cleanup(&f);
    return rc;
}

bedrock_code brk_iam_delete_access_key(struct bedrock_client *c, const char *user,
                                       const char *key_id, struct bedrock_error *err)
{
    FORM(f);
    bedrock_code rc =
        brk_iam_form(&f, err, "UserName", user, "AccessKeyId", key_id, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, "DeleteAccessKey", &f, NULL, err);
    }
    brk_buf_cleanup(&f);
    return rc;
}

bedrock_code brk_iam_get_access_key_last_used(struct bedrock_client *c, const char *key_id,
                                              struct brk_iam_last_used *out,
                                              struct bedrock_error *err)
{
    FORM(f);
    struct brk_xml *doc = NULL;
    memset(out, 0, sizeof(*out));
    bedrock_code rc = brk_iam_form(&f, err, "AccessKeyId", key_id, (const char *)NULL);
    if (rc == BEDROCK_OK) {
        rc = brk_iam_call(c, "GetAccessKeyLastUsed", &f, &doc, err);
    }
    if (rc == BEDROCK_OK) {
        const struct brk_xml *r = brk_xml_find(doc, "GetAccessKeyLastUsedResult");
        brk_iam_copy(r, "UserName", out->user, sizeof(out->user));
        brk_iam_copy(r, "AccessKeyLastUsed/ServiceName", out->service, sizeof(out->service));
        brk_iam_copy(r, "AccessKeyLastUsed/Region", out->region, sizeof(out->region));
        out->when = brk_iam_time(r, "AccessKeyLastUsed/LastUsedDate");
        out->used = out->when != 0;
    }
    brk_xml_free(doc);
    brk_buf_cleanup(&f);
    return rc;
}

void brk_iam_access_key_cleanup(struct brk_iam_access_key *k)
{
    if (k != NULL && k->secret != NULL) {
        brk_secret_free(k->secret);
        k->secret = NULL;
    }
}

void brk_iam_access_keys_free(struct brk_iam_access_key *keys, size_t n)
{
    for (size_t i = 0; keys != NULL && i < n; i++) {
        brk_iam_access_key_cleanup(&keys[i]);
    }
    brk_free(keys);
}

bedrock_code brk_iam_root_keys_present(struct bedrock_client *c, bool *present,
                                       struct bedrock_error *err)
{
    struct brk_xml *doc = NULL;
    *present = false;
    bedrock_code rc = brk_iam_call(c, "GetAccountSummary", NULL, &doc, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    const struct brk_xml *m = brk_xml_find(doc, "GetAccountSummaryResult/SummaryMap");
    for (const struct brk_xml *e = m != NULL ? m->child : NULL; e != NULL; e = e->next) {
        const char *k = brk_xml_text(e, "key");
        const char *v = brk_xml_text(e, "value");
        if (k != NULL && v != NULL && strcmp(k, "AccountAccessKeysPresent") == 0) {
            *present = strtol(v, NULL, 10) > 0;
        }
    }
    brk_xml_free(doc);
    return BEDROCK_OK;
}
