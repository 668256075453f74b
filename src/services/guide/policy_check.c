/*
 * services/guide/policy_check.c - findings about identity policies: over-broad grants
 * (`*` actions, bedrock:*, iam:*, Resource "*" on invoke actions, broad managed policies),
 * grants the application does not need, and grants it needs but lacks.
 *
 * Evaluation here is the identity-policy subset `policy check` and `doctor` need: Allow and
 * Deny statements, Action/NotAction, Resource/NotResource, '*' and '?' wildcards. Conditions
 * are not evaluated (a conditional Allow counts as an Allow; the emulator and AWS decide).
 */
#include "core/alloc.h"
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *brk_severity_name(enum brk_severity s)
{
    switch (s) {
    case BRK_SEV_ERROR:
        return "error";
    case BRK_SEV_WARNING:
        return "warning";
    case BRK_SEV_INFO:
        return "info";
    }
    return "info";
}

bedrock_code brk_severity_parse(const char *s, enum brk_severity *out)
{
    if (strcmp(s, "error") == 0) {
        *out = BRK_SEV_ERROR;
    } else if (strcmp(s, "warning") == 0) {
        *out = BRK_SEV_WARNING;
    } else if (strcmp(s, "info") == 0) {
        *out = BRK_SEV_INFO;
    } else {
        return BEDROCK_E_INVALID_ARG;
    }
    return BEDROCK_OK;
}

void brk_findings_cleanup(struct brk_findings *f)
{
    brk_free(f->items);
    memset(f, 0, sizeof(*f));
}

bedrock_code brk_findings_add(struct brk_findings *f, enum brk_severity sev, const char *where,
                              const char *fmt, ...)
{
    if (f->n == f->cap) {
        size_t ncap = f->cap == 0 ? 8 : f->cap * 2;
        struct brk_finding *p = brk_realloc(f->items, ncap * sizeof(*p));
        if (p == NULL) {
            return BEDROCK_E_NOMEM;
        }
        f->items = p;
        f->cap = ncap;
    }
    struct brk_finding *it = &f->items[f->n++];
    it->severity = sev;
    snprintf(it->where, sizeof(it->where), "%s", where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->text, sizeof(it->text), fmt, ap);
    va_end(ap);
    return BEDROCK_OK;
}

enum brk_severity brk_findings_max(const struct brk_findings *f)
{
    enum brk_severity m = BRK_SEV_INFO;
    for (size_t i = 0; i < f->n; i++) {
        if (f->items[i].severity > m) {
            m = f->items[i].severity;
        }
    }
    return m;
}

/* Calls fn for each string of a string-or-array member; returns true if any call did. */
static bool any_match(const json_t *v, const char *s, bool nocase)
{
    if (json_is_string(v)) {
        return brk_wildcard_match(json_string_value(v), s, nocase);
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (json_is_string(e) && brk_wildcard_match(json_string_value(e), s, nocase)) {
            return true;
        }
    }
    return false;
}

static bool stmt_matches(const json_t *st, const char *action, const char *resource)
{
    const json_t *a = json_object_get(st, "Action");
    const json_t *na = json_object_get(st, "NotAction");
    const json_t *r = json_object_get(st, "Resource");
    const json_t *nr = json_object_get(st, "NotResource");
    bool act =
        a != NULL ? any_match(a, action, true) : (na != NULL && !any_match(na, action, true));
    if (!act) {
        return false;
    }
    return r != NULL ? any_match(r, resource, false)
                     : (nr != NULL && !any_match(nr, resource, false));
}

static const json_t *statements(const json_t *doc)
{
    return json_object_get(doc, "Statement");
}

#define FOREACH_STATEMENT(doc, idx, st)                                                \
    for (size_t idx = 0, n_##idx = json_is_array(statements(doc))                      \
                                       ? json_array_size(statements(doc))              \
                                       : (json_is_object(statements(doc)) ? 1 : 0);    \
         idx < n_##idx &&                                                              \
         ((st) = json_is_array(statements(doc)) ? json_array_get(statements(doc), idx) \
                                                : statements(doc)) != NULL;            \
         idx++)

bool brk_policy_allows(const json_t *doc, const char *action, const char *resource)
{
    bool allowed = false;
    const json_t *st;
    FOREACH_STATEMENT(doc, i, st)
    {
        const char *eff = json_string_value(json_object_get(st, "Effect"));
        if (eff == NULL || !stmt_matches(st, action, resource)) {
            continue;
        }
        if (strcmp(eff, "Deny") == 0) {
            return false;
        }
        if (strcmp(eff, "Allow") == 0) {
            allowed = true;
        }
    }
    return allowed;
}

static const char *const invoke_actions[] = { "bedrock:InvokeModel",
                                              "bedrock:InvokeModelWithResponseStream", NULL };

static void where_of(char *buf, size_t len, const char *name, size_t idx, const json_t *st)
{
    const char *sid = json_string_value(json_object_get(st, "Sid"));
    if (sid != NULL) {
        snprintf(buf, len, "%s statement %zu (%s)", name, idx + 1, sid);
    } else {
        snprintf(buf, len, "%s statement %zu", name, idx + 1);
    }
}

/* One Allow statement's breadth findings. */
static bedrock_code check_breadth(const json_t *st, const char *where, struct brk_findings *out)
{
    bedrock_code rc = BEDROCK_OK;
    const json_t *acts = json_object_get(st, "Action");
    const json_t *res = json_object_get(st, "Resource");
    if (json_object_get(st, "NotAction") != NULL) {
        rc = brk_findings_add(out, BRK_SEV_WARNING, where,
                              "Allow with NotAction grants every action not listed; list the "
                              "actions the application needs instead");
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    /* a Resource that would match a model nobody named is "every model" */
    bool res_star =
        res != NULL &&
        any_match(res, "arn:aws:bedrock:zz-nowhere-1::foundation-model/zz.unnamed-v9:0", false);
    size_t n = json_is_array(acts) ? json_array_size(acts) : 1;
    for (size_t i = 0; acts != NULL && i < n; i++) {
        const json_t *a = json_is_array(acts) ? json_array_get(acts, i) : acts;
        const char *s = json_string_value(a);
        if (s == NULL) {
            continue;
        }
        if (strcmp(s, "*") == 0 || strcmp(s, "*:*") == 0) {
            rc = brk_findings_add(out, BRK_SEV_ERROR, where,
                                  "grants every action (\"%s\"); grant only the bedrock actions "
                                  "the application calls",
                                  s);
        } else if (strncasecmp(s, "iam:", 4) == 0) {
            rc = brk_findings_add(out, strchr(s, '*') != NULL ? BRK_SEV_ERROR : BRK_SEV_WARNING,
                                  where, "grants %s: an application key should not manage IAM", s);
        } else if (strcasecmp(s, "bedrock:*") == 0) {
            rc = brk_findings_add(out, BRK_SEV_WARNING, where,
                                  "grants bedrock:* (every Bedrock action, including model "
                                  "customisation, provisioned throughput and agents); grant "
                                  "bedrock:InvokeModel and InvokeModelWithResponseStream instead");
        }
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    for (size_t k = 0; invoke_actions[k] != NULL && res_star; k++) {
        if (acts != NULL && any_match(acts, invoke_actions[k], true)) {
            return brk_findings_add(out, BRK_SEV_WARNING, where,
                                    "allows %s on every model (Resource matches any model ARN); "
                                    "name the model ARNs",
                                    invoke_actions[k]);
        }
    }
    return rc;
}

/* Actions named in a document's Allow statements (no wildcards), to compare with `needed`. */
static bool needed_allows_action(const json_t *needed, const char *action)
{
    const json_t *st;
    FOREACH_STATEMENT(needed, i, st)
    {
        const json_t *a = json_object_get(st, "Action");
        if (a != NULL && any_match(a, action, true)) {
            return true;
        }
    }
    return false;
}

static bedrock_code check_unneeded(const json_t *st, const char *where, const json_t *needed,
                                   struct brk_findings *out)
{
    const json_t *acts = json_object_get(st, "Action");
    size_t n = json_is_array(acts) ? json_array_size(acts) : (acts != NULL ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        const json_t *a = json_is_array(acts) ? json_array_get(acts, i) : acts;
        const char *s = json_string_value(a);
        if (s == NULL || strchr(s, '*') != NULL || strchr(s, '?') != NULL) {
            continue; /* wildcards are reported as over-broad */
        }
        if (!needed_allows_action(needed, s)) {
            bedrock_code rc = brk_findings_add(out, BRK_SEV_WARNING, where,
                                               "grants %s, which the application does not need", s);
            if (rc != BEDROCK_OK) {
                return rc;
            }
        }
    }
    return BEDROCK_OK;
}

bedrock_code brk_policy_check(const json_t *doc, const char *name, const json_t *needed,
                              struct brk_findings *out)
{
    if (!json_is_object(doc) ||
        !(json_is_array(statements(doc)) || json_is_object(statements(doc)))) {
        return BEDROCK_E_PARSE;
    }
    const json_t *st;
    FOREACH_STATEMENT(doc, i, st)
    {
        const char *eff = json_string_value(json_object_get(st, "Effect"));
        if (eff == NULL || strcmp(eff, "Allow") != 0) {
            continue;
        }
        char where[128];
        where_of(where, sizeof(where), name, i, st);
        bedrock_code rc = check_breadth(st, where, out);
        if (rc == BEDROCK_OK && needed != NULL) {
            rc = check_unneeded(st, where, needed, out);
        }
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    return BEDROCK_OK;
}

static bool any_doc_allows(const json_t *const *docs, size_t n, const char *a, const char *r)
{
    bool allowed = false;
    for (size_t i = 0; i < n; i++) {
        if (brk_policy_allows(docs[i], a, r)) {
            allowed = true;
        }
    }
    return allowed;
}

bedrock_code brk_policy_check_missing(const json_t *const *docs, size_t n_docs,
                                      const json_t *needed, struct brk_findings *out)
{
    const json_t *st;
    FOREACH_STATEMENT(needed, i, st)
    {
        const json_t *acts = json_object_get(st, "Action");
        const json_t *res = json_object_get(st, "Resource");
        size_t na = json_is_array(acts) ? json_array_size(acts) : 1;
        size_t nr = json_is_array(res) ? json_array_size(res) : 1;
        for (size_t a = 0; a < na; a++) {
            const char *act =
                json_string_value(json_is_array(acts) ? json_array_get(acts, a) : acts);
            for (size_t r = 0; act != NULL && r < nr; r++) {
                const char *rs =
                    json_string_value(json_is_array(res) ? json_array_get(res, r) : res);
                if (rs == NULL || any_doc_allows(docs, n_docs, act, rs)) {
                    continue;
                }
                bedrock_code rc = brk_findings_add(
                    out, BRK_SEV_ERROR, "missing",
                    "no policy allows %s on %s, which the application needs", act, rs);
                if (rc != BEDROCK_OK) {
                    return rc;
                }
            }
        }
    }
    return BEDROCK_OK;
}

bedrock_code brk_policy_check_managed(const char *arn, struct brk_findings *out)
{
    const char *name = strrchr(arn, '/');
    name = name != NULL ? name + 1 : arn;
    bool aws_managed = strncmp(arn, "arn:aws:iam::aws:policy/", 24) == 0;
    char where[128];
    snprintf(where, sizeof(where), "attached %s", name);
    if (!aws_managed) {
        return BEDROCK_OK;
    }
    if (strcmp(name, "AdministratorAccess") == 0 || strcmp(name, "PowerUserAccess") == 0) {
        return brk_findings_add(out, BRK_SEV_ERROR, where,
                                "%s grants (nearly) every action on every resource; attach the "
                                "least-privilege policy from `bedrockctl policy generate`",
                                name);
    }
    if (strcmp(name, "IAMFullAccess") == 0) {
        return brk_findings_add(out, BRK_SEV_ERROR, where,
                                "IAMFullAccess lets this key create users and keys of its own");
    }
    if (strcmp(name, "AmazonBedrockFullAccess") == 0) {
        return brk_findings_add(out, BRK_SEV_WARNING, where,
                                "AmazonBedrockFullAccess grants bedrock:* on every resource (and "
                                "more); use `bedrockctl policy generate` for invoke-only access");
    }
    return BEDROCK_OK;
}
