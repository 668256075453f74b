/*
 * cli/guide_policy.c - read a user's policies from IAM and run the checker over them
 * (see guide_policy.h). AWS-managed policies are judged by ARN (brk_policy_check_managed);
 * customer-managed ones by their default version's document; inline ones by their document.
 */
#include "guide_policy.h"

#include "../core/alloc.h"
#include "../services/iam/iam.h"

#include <string.h>

bedrock_code brk_guide_check_file(struct brk_cli *cli, const char *path, const json_t *needed,
                                  struct brk_findings *f, struct bedrock_error *err)
{
    (void)cli;
    char *text = NULL;
    size_t len = 0;
    bedrock_code rc = brk_cli_read_file(path, 1024 * 1024, &text, &len, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    json_error_t je;
    json_t *doc = json_loadb(text, len, 0, &je);
    brk_free(text);
    if (doc == NULL) {
        bedrock_error_set(err, BEDROCK_E_PARSE, "%s: not JSON (line %d: %s)", path, je.line,
                          je.text);
        return BEDROCK_E_PARSE;
    }
    rc = brk_policy_check(doc, path, needed, f);
    if (rc == BEDROCK_OK && needed != NULL) {
        const json_t *docs[1] = { doc };
        rc = brk_policy_check_missing(docs, 1, needed, f);
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "%s is not an IAM policy document", path);
    }
    json_decref(doc);
    return rc;
}

static bool aws_managed(const char *arn)
{
    return strncmp(arn, "arn:aws:iam::aws:policy/", 24) == 0;
}

struct docs {
    json_t *items[64];
    size_t n;
};

static bedrock_code check_attached(struct bedrock_client *client, const char *user,
                                   const json_t *needed, struct docs *d, bool *unknown,
                                   struct brk_findings *f, struct bedrock_error *err)
{
    struct brk_iam_policy *att = NULL;
    size_t n = 0;
    bedrock_code rc = brk_iam_list_attached_user_policies(client, user, &att, &n, err);
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        if (aws_managed(att[i].arn)) {
            *unknown = true;
            rc = brk_policy_check_managed(att[i].arn, f);
            continue;
        }
        struct brk_iam_policy p;
        json_t *doc = NULL;
        rc = brk_iam_get_policy(client, att[i].arn, &p, err);
        if (rc == BEDROCK_OK) {
            rc = brk_iam_get_policy_version(client, att[i].arn, p.default_version, &doc, err);
        }
        if (rc == BEDROCK_OK) {
            char where[200];
            snprintf(where, sizeof(where), "policy %s", att[i].name);
            rc = brk_policy_check(doc, where, needed, f);
        }
        if (doc != NULL && d->n < 64) {
            d->items[d->n++] = doc;
        } else {
            json_decref(doc);
        }
    }
    brk_free(att);
    return rc;
}

static bedrock_code check_inline(struct bedrock_client *client, const char *user,
                                 const json_t *needed, struct docs *d, struct brk_findings *f,
                                 struct bedrock_error *err)
{
    char **names = NULL;
    bedrock_code rc = brk_iam_list_user_policies(client, user, &names, err);
    for (size_t i = 0; rc == BEDROCK_OK && names[i] != NULL; i++) {
        json_t *doc = NULL;
        rc = brk_iam_get_user_policy(client, user, names[i], &doc, err);
        if (rc == BEDROCK_OK) {
            char where[200];
            snprintf(where, sizeof(where), "inline policy %s", names[i]);
            rc = brk_policy_check(doc, where, needed, f);
        }
        if (doc != NULL && d->n < 64) {
            d->items[d->n++] = doc;
        } else {
            json_decref(doc);
        }
    }
    brk_iam_strv_free(names);
    return rc;
}

bedrock_code brk_guide_check_user(struct bedrock_client *client, const char *user,
                                  const json_t *needed, struct brk_findings *f,
                                  struct bedrock_error *err)
{
    bedrock_code rc;
    struct docs d;
    memset(&d, 0, sizeof(d));
    bool unknown = false;
    rc = check_attached(client, user, needed, &d, &unknown, f, err);
    if (rc == BEDROCK_OK) {
        rc = check_inline(client, user, needed, &d, f, err);
    }
    if (rc == BEDROCK_OK && needed != NULL && !unknown) {
        rc = brk_policy_check_missing((const json_t *const *)d.items, d.n, needed, f);
    }
    for (size_t i = 0; i < d.n; i++) {
        json_decref(d.items[i]);
    }
    if (rc != BEDROCK_OK && err->message[0] == '\0') {
        bedrock_error_set(err, rc, "checking the policies of %s failed", user);
    }
    return rc;
}

void brk_guide_print_findings(struct brk_cli *cli, const struct brk_findings *f)
{
    if (cli->output_given && cli->out_fmt == BRK_OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; arr != NULL && i < f->n; i++) {
            json_array_append_new(arr, json_pack("{ssssss}", "Severity",
                                                 brk_severity_name(f->items[i].severity), "Where",
                                                 f->items[i].where, "Finding", f->items[i].text));
        }
        brk_cli_print_json(cli->out, arr);
        json_decref(arr);
        return;
    }
    for (size_t i = 0; i < f->n; i++) {
        const struct brk_finding *x = &f->items[i];
        const char *c = brk_cli_color(cli, false,
                                      x->severity == BRK_SEV_ERROR     ? "red"
                                      : x->severity == BRK_SEV_WARNING ? "yellow"
                                                                       : "dim");
        fprintf(cli->out, "%s%-7s%s %s: %s\n", c, brk_severity_name(x->severity),
                brk_cli_color(cli, false, "reset"), x->where, x->text);
    }
    if (f->n == 0) {
        fprintf(cli->out, "no findings\n");
    }
}

bedrock_code brk_guide_account(struct brk_cli *cli, char *out, size_t len,
                               struct bedrock_error *err)
{
    struct bedrock_client *client = NULL;
    bedrock_code rc = brk_cli_client(cli, &client, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    struct bedrock_identity id;
    memset(&id, 0, sizeof(id));
    rc = bedrock_sts_get_caller_identity(client, &id, err);
    if (rc == BEDROCK_OK) {
        snprintf(out, len, "%s", id.account);
    }
    return rc;
}
