/*
 * emulator/policy.c - IAM identity policy validation and evaluation.
 *
 * Semantics (AWS's identity-policy subset): a statement applies when its Action/NotAction,
 * Resource/NotResource and every Condition block match. Any matching Deny wins; otherwise a
 * matching Allow is needed. Actions match case-insensitively, resources case-sensitively, with
 * '*' and '?' wildcards. Condition: operators AND, keys AND, values OR; "...IfExists" makes an
 * absent key match; negated operators match an absent key. Root is always allowed.
 * Pure functions on the document; emu_authorize() adds the principal's documents from the store
 * and evaluates them in their parsed form, cached by exact content (never stale; bounded).
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "core/match.h"
#include "server.h"
#include "store.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* String or array of strings; true if any element matches value. */
static bool any_match(json_t *pats, const char *value, bool icase)
{
    if (json_is_string(pats)) {
        return brk_wildcard_match(json_string_value(pats), value, icase);
    }
    size_t i;
    json_t *p;
    json_array_foreach(pats, i, p)
    {
        if (json_is_string(p) && brk_wildcard_match(json_string_value(p), value, icase)) {
            return true;
        }
    }
    return false;
}

static const char *ctx_get(const struct emu_cond_kv *ctx, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (ctx[i].key != NULL && strcasecmp(ctx[i].key, key) == 0) {
            return ctx[i].value;
        }
    }
    return NULL;
}

enum op_kind { OP_STR_EQ, OP_STR_EQ_IC, OP_STR_LIKE, OP_ARN_LIKE, OP_BOOL, OP_NULL, OP_BAD };

struct op {
    enum op_kind kind;
    bool negate, if_exists;
};

static struct op parse_op(const char *name)
{
    struct op op = { OP_BAD, false, false };
    char buf[96];
    const char *colon = strchr(name, ':');
    if (colon != NULL &&
        (strncmp(name, "ForAnyValue:", 12) == 0 || strncmp(name, "ForAllValues:", 13) == 0)) {
        name = colon + 1;
    }
    snprintf(buf, sizeof(buf), "%s", name);
    size_t len = strlen(buf);
    if (len > 8 && strcmp(buf + len - 8, "IfExists") == 0) {
        op.if_exists = true;
        buf[len - 8] = '\0';
    }
    static const struct {
        const char *name;
        enum op_kind kind;
        bool negate;
    } OPS[] = {
        { "StringEquals", OP_STR_EQ, false },
        { "StringNotEquals", OP_STR_EQ, true },
        { "StringEqualsIgnoreCase", OP_STR_EQ_IC, false },
        { "StringNotEqualsIgnoreCase", OP_STR_EQ_IC, true },
        { "StringLike", OP_STR_LIKE, false },
        { "StringNotLike", OP_STR_LIKE, true },
        { "ArnEquals", OP_ARN_LIKE, false },
        { "ArnLike", OP_ARN_LIKE, false },
        { "ArnNotEquals", OP_ARN_LIKE, true },
        { "ArnNotLike", OP_ARN_LIKE, true },
        { "Bool", OP_BOOL, false },
        { "Null", OP_NULL, false },
    };
    for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]); i++) {
        if (strcmp(buf, OPS[i].name) == 0) {
            op.kind = OPS[i].kind;
            op.negate = OPS[i].negate;
        }
    }
    return op;
}

static bool value_match(enum op_kind kind, const char *pat, const char *v)
{
    switch (kind) {
    case OP_STR_EQ:
        return strcmp(pat, v) == 0;
    case OP_STR_EQ_IC:
    case OP_BOOL:
        return strcasecmp(pat, v) == 0;
    case OP_STR_LIKE:
    case OP_ARN_LIKE:
        return brk_wildcard_match(pat, v, false);
    default:
        return false;
    }
}

static bool key_match(struct op op, json_t *vals, const char *actual)
{
    if (op.kind == OP_NULL) {
        bool want_absent = json_is_string(vals) ? strcasecmp(json_string_value(vals), "true") == 0
                                                : json_is_true(vals);
        return want_absent == (actual == NULL);
    }
    if (actual == NULL) {
        return op.if_exists || op.negate;
    }
    bool any = false;
    if (json_is_string(vals)) {
        any = value_match(op.kind, json_string_value(vals), actual);
    } else if (json_is_boolean(vals)) {
        any = value_match(op.kind, json_is_true(vals) ? "true" : "false", actual);
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(vals, i, v)
        {
            if (json_is_string(v) && value_match(op.kind, json_string_value(v), actual)) {
                any = true;
                break;
            }
        }
    }
    return op.negate ? !any : any;
}

static bool conditions_match(json_t *cond, const struct emu_cond_kv *ctx, size_t n_ctx)
{
    const char *opname;
    json_t *block;
    json_object_foreach(cond, opname, block)
    {
        struct op op = parse_op(opname);
        const char *key;
        json_t *vals;
        json_object_foreach(block, key, vals)
        {
            if (!key_match(op, vals, ctx_get(ctx, n_ctx, key))) {
                return false;
            }
        }
    }
    return true;
}

static bool statement_applies(json_t *st, const char *action, const char *resource,
                              const struct emu_cond_kv *ctx, size_t n_ctx)
{
    json_t *a = json_object_get(st, "Action");
    json_t *na = json_object_get(st, "NotAction");
    if (a != NULL ? !any_match(a, action, true) : any_match(na, action, true)) {
        return false;
    }
    json_t *r = json_object_get(st, "Resource");
    json_t *nr = json_object_get(st, "NotResource");
    if (r != NULL ? !any_match(r, resource, false) : any_match(nr, resource, false)) {
        return false;
    }
    json_t *cond = json_object_get(st, "Condition");
    return cond == NULL || conditions_match(cond, ctx, n_ctx);
}

/* --- validation --- */

static bool str_or_str_array(json_t *v)
{
    if (json_is_string(v)) {
        return true;
    }
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return false;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            return false;
        }
    }
    return true;
}

static bool actions_prefixed(json_t *v)
{
    json_t *one = json_is_string(v) ? v : NULL;
    size_t i = 0, n = json_is_string(v) ? 1 : json_array_size(v);
    for (i = 0; i < n; i++) {
        const char *s = json_string_value(one != NULL ? one : json_array_get(v, i));
        if (strcmp(s, "*") != 0 && strchr(s, ':') == NULL) {
            return false;
        }
    }
    return true;
}

static bedrock_code fail(char *msg, size_t msglen, bedrock_code rc, const char *text)
{
    if (msg != NULL && msglen > 0) {
        snprintf(msg, msglen, "%s", text);
    }
    return rc;
}

static bedrock_code validate_statement(json_t *st, char *msg, size_t msglen)
{
    if (!json_is_object(st)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    }
    const char *key;
    json_t *v;
    json_object_foreach(st, key, v)
    {
        static const char *const KNOWN[] = { "Sid",       "Effect",    "Action",
                                             "NotAction", "Resource",  "NotResource",
                                             "Condition", "Principal", "NotPrincipal" };
        bool known = false;
        for (size_t i = 0; i < sizeof(KNOWN) / sizeof(KNOWN[0]); i++) {
            known = known || strcmp(key, KNOWN[i]) == 0;
        }
        if (!known) {
            return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
        }
    }
    if (json_object_get(st, "Principal") != NULL || json_object_get(st, "NotPrincipal") != NULL) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION,
                    "Policy document should not specify a principal.");
    }
    const char *effect = json_string_value(json_object_get(st, "Effect"));
    if (effect == NULL || (strcmp(effect, "Allow") != 0 && strcmp(effect, "Deny") != 0)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    }
    json_t *a = json_object_get(st, "Action"), *na = json_object_get(st, "NotAction");
    if ((a == NULL) == (na == NULL)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Policy statement must contain actions.");
    }
    if (!str_or_str_array(a != NULL ? a : na)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    }
    if (!actions_prefixed(a != NULL ? a : na)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION,
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    }
    json_t *r = json_object_get(st, "Resource"), *nr = json_object_get(st, "NotResource");
    if ((r == NULL) == (nr == NULL)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Policy statement must contain resources.");
    }
    if (!str_or_str_array(r != NULL ? r : nr)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    }
    json_t *cond = json_object_get(st, "Condition");
    if (cond == NULL) {
        return BEDROCK_OK;
    }
    if (!json_is_object(cond)) {
        return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    }
    const char *opname;
    json_t *block;
    json_object_foreach(cond, opname, block)
    {
        if (parse_op(opname).kind == OP_BAD) {
            if (msg != NULL && msglen > 0) {
                snprintf(msg, msglen, "Invalid Condition type : %s", opname);
            }
            return BEDROCK_E_VALIDATION;
        }
        if (!json_is_object(block)) {
            return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
        }
        const char *ck;
        json_t *cv;
        json_object_foreach(block, ck, cv)
        {
            if (!json_is_boolean(cv) && !str_or_str_array(cv)) {
                return fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
            }
        }
    }
    return BEDROCK_OK;
}

static bedrock_code load(const char *doc, size_t len, json_t **root, char *msg, size_t msglen)
{
    if (len > BRK_MAX_POLICY_BYTES) {
        return fail(msg, msglen, BEDROCK_E_LIMIT, "Cannot exceed quota for PolicySize: 6144");
    }
    json_error_t jerr;
    json_t *j = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL) {
        return fail(msg, msglen, BEDROCK_E_PARSE, "Syntax errors in policy.");
    }
    bedrock_code rc = BEDROCK_OK;
    json_t *ver = json_object_get(j, "Version");
    json_t *sts = json_object_get(j, "Statement");
    if (!json_is_object(j) || sts == NULL) {
        rc = fail(msg, msglen, BEDROCK_E_VALIDATION, "Syntax errors in policy.");
    } else if (ver != NULL &&
               (!json_is_string(ver) || (strcmp(json_string_value(ver), "2012-10-17") != 0 &&
                                         strcmp(json_string_value(ver), "2008-10-17") != 0))) {
        rc = fail(msg, msglen, BEDROCK_E_VALIDATION, "The policy failed legacy parsing");
    } else if (json_is_array(sts)) {
        size_t i;
        json_t *st;
        json_array_foreach(sts, i, st)
        {
            rc = validate_statement(st, msg, msglen);
            if (rc != BEDROCK_OK) {
                break;
            }
        }
    } else {
        rc = validate_statement(sts, msg, msglen);
    }
    if (rc != BEDROCK_OK) {
        json_decref(j);
        return rc;
    }
    *root = j;
    return BEDROCK_OK;
}

bedrock_code emu_policy_validate(const char *doc, size_t len, char *msg, size_t msglen)
{
    json_t *j = NULL;
    bedrock_code rc = load(doc, len, &j, msg, msglen);
    json_decref(j);
    return rc;
}

/* Decision of one loaded (validated) document: 1 allow, -1 explicit deny, 0 none. */
static int eval_loaded(json_t *j, const char *action, const char *resource,
                       const struct emu_cond_kv *ctx, size_t n_ctx)
{
    int d = 0;
    json_t *sts = json_object_get(j, "Statement");
    size_t n = json_is_array(sts) ? json_array_size(sts) : 1;
    for (size_t i = 0; i < n; i++) {
        json_t *st = json_is_array(sts) ? json_array_get(sts, i) : sts;
        if (!statement_applies(st, action, resource, ctx, n_ctx)) {
            continue;
        }
        if (strcmp(json_string_value(json_object_get(st, "Effect")), "Deny") == 0) {
            return -1;
        }
        d = 1;
    }
    return d;
}

bedrock_code emu_policy_eval(const char *doc, size_t len, const char *action, const char *resource,
                             const struct emu_cond_kv *ctx, size_t n_ctx, int *decision)
{
    json_t *j = NULL;
    bedrock_code rc = load(doc, len, &j, NULL, 0);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    *decision = eval_loaded(j, action, resource, ctx, n_ctx);
    json_decref(j);
    return BEDROCK_OK;
}

/* --- parsed documents, cached by content ---
 * emu_authorize() runs on every request; the documents come from the store each time (so a
 * changed policy takes effect at once) but are parsed and validated only the first time a
 * given text is seen. Keyed by the exact bytes (hash, then length + memcmp), so a cached
 * entry can never be stale. Two-way set associative, least recently used replaced; bounded. */
#define PCACHE_SETS 32
#define PCACHE_WAYS 2

struct pcache_entry {
    uint64_t hash;
    size_t len;
    char *doc; /* NULL = empty way */
    json_t *j; /* NULL = the document does not validate (ignored, as before) */
    unsigned long used;
};
static struct pcache_entry g_pcache[PCACHE_SETS][PCACHE_WAYS];
static unsigned long g_pcache_clock;

static uint64_t doc_hash(const char *doc, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (uint8_t)doc[i]) * 1099511628211ull;
    }
    return h;
}

static void pcache_drop(struct pcache_entry *e)
{
    brk_free(e->doc);
    json_decref(e->j);
    memset(e, 0, sizeof(*e));
}

void emu_policy_cache_clear(void)
{
    for (size_t s = 0; s < PCACHE_SETS; s++) {
        for (size_t w = 0; w < PCACHE_WAYS; w++) {
            pcache_drop(&g_pcache[s][w]);
        }
    }
}

/* The loaded document for doc, or NULL when it does not validate. *owned is set when the
 * result is not cached (out of memory) and the caller must json_decref it. */
static json_t *pcache_get(const char *doc, size_t len, bool *owned)
{
    uint64_t h = doc_hash(doc, len);
    struct pcache_entry *set = g_pcache[h % PCACHE_SETS];
    struct pcache_entry *victim = &set[0];
    *owned = false;
    for (size_t w = 0; w < PCACHE_WAYS; w++) {
        struct pcache_entry *e = &set[w];
        if (e->doc != NULL && e->hash == h && e->len == len && memcmp(e->doc, doc, len) == 0) {
            e->used = ++g_pcache_clock;
            return e->j;
        }
        if (e->doc == NULL || (victim->doc != NULL && e->used < victim->used)) {
            victim = e;
        }
    }
    json_t *j = NULL;
    if (load(doc, len, &j, NULL, 0) != BEDROCK_OK) {
        j = NULL;
    }
    char *copy = brk_malloc(len + 1);
    if (copy == NULL) {
        *owned = j != NULL;
        return j;
    }
    memcpy(copy, doc, len);
    copy[len] = '\0';
    pcache_drop(victim);
    victim->hash = h;
    victim->len = len;
    victim->doc = copy;
    victim->j = j;
    victim->used = ++g_pcache_clock;
    return j;
}

struct auth_ctx {
    const char *action, *resource;
    const struct emu_cond_kv *ctx;
    size_t n_ctx;
    int decision;
};

static bool eval_one(void *p, const char *doc, size_t len)
{
    struct auth_ctx *a = p;
    bool owned = false;
    json_t *j = pcache_get(doc, len, &owned);
    if (j == NULL) {
        return true; /* a document that does not validate grants nothing */
    }
    int d = eval_loaded(j, a->action, a->resource, a->ctx, a->n_ctx);
    if (owned) {
        json_decref(j);
    }
    if (d < 0) {
        a->decision = -1;
        return false;
    }
    if (d > 0) {
        a->decision = 1;
    }
    return true;
}

bool emu_authorize(struct emu_request *req, const char *action, const char *resource,
                   const struct emu_cond_kv *ctx, size_t n_ctx, char *msg, size_t msglen)
{
    const struct emu_principal *p = &req->principal;
    if (p->authenticated && p->is_root) {
        return true;
    }
    struct auth_ctx a = { action, resource, ctx, n_ctx, 0 };
    if (p->authenticated && p->user_name[0] != '\0') {
        emu_store_user_policies(emu_server_store(req->server), p->user_name, eval_one, &a);
    }
    if (a.decision > 0) {
        return true;
    }
    if (msg != NULL && msglen > 0) {
        snprintf(msg, msglen, "User: %s is not authorized to perform: %s on resource: %s %s",
                 p->arn, action, resource,
                 a.decision < 0 ? "with an explicit deny in an identity-based policy"
                                : "because no identity-based policy allows the ");
        if (a.decision == 0) {
            size_t used = strlen(msg);
            snprintf(msg + used, msglen - used, "%s action", action);
        }
    }
    return false;
}

bool emu_authorize_or_reply(struct emu_request *req, const char *action, const char *resource,
                            const struct emu_cond_kv *ctx, size_t n_ctx)
{
    char msg[1024];
    if (emu_authorize(req, action, resource, ctx, n_ctx, msg, sizeof(msg))) {
        return true;
    }
    const char *code = req->protocol == EMU_PROTO_QUERY ? "AccessDenied" : "AccessDeniedException";
    emu_reply_error(req, 403, code, "%s", msg);
    return false;
}
