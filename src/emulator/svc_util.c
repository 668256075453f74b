/*
 * emulator/svc_util.c - helpers shared by the emusvc handlers: percent-decoding, query
 * parameters, JSON replies, ARN formatting and model identifier resolution.
 *
 * Invariants: decoders never write past cap and always NUL-terminate; on failure the output is
 * "". Identifier resolution accepts plain ids and ARNs, nothing else.
 */
#include "emulator/svc_util.h"

#include "core/alloc.h"
#include "crypto/sigv4.h"

#include <stdio.h>
#include <string.h>

bool emu_svc_pct_decode(const char *in, size_t n, bool plus_space, char *out, size_t cap)
{
    if (cap == 0) {
        return false;
    }
    out[0] = '\0';
    struct brk_buf dec = BRK_BUF(cap - 1);
    bool ok = brk_uri_decode(&dec, in, n, plus_space) == BEDROCK_OK &&
              (dec.len == 0 || memchr(dec.data, '\0', dec.len) == NULL);
    if (ok && dec.len > 0) {
        memcpy(out, dec.data, dec.len + 1);
    }
    brk_buf_cleanup(&dec);
    return ok;
}

bool emu_svc_query_get(const char *query, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    const char *p = query != NULL ? query : "";
    while (*p != '\0') {
        const char *amp = strchr(p, '&');
        size_t len = amp != NULL ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t nlen = eq != NULL ? (size_t)(eq - p) : len;
        if (nlen == klen && memcmp(p, key, klen) == 0) {
            const char *v = eq != NULL ? eq + 1 : p + len;
            return emu_svc_pct_decode(v, (size_t)(p + len - v), true, out, cap);
        }
        if (amp == NULL) {
            break;
        }
        p = amp + 1;
    }
    if (cap > 0) {
        out[0] = '\0';
    }
    return false;
}

void emu_reply_json(struct emu_request *req, int status, const char *content_type, json_t *doc)
{
    char *s = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (s == NULL) {
        emu_reply_error(req, 500, "InternalServerException", "Internal server error");
        return;
    }
    emu_reply(req, status, content_type, s, strlen(s));
    free(s); /* jansson allocates with malloc */
}

void emu_fm_arn(const char *region, const char *model_id, char *out, size_t cap)
{
    snprintf(out, cap, "arn:aws:bedrock:%s::foundation-model/%s", region, model_id);
}

void emu_profile_arn(const char *region, const char *account, const char *profile_id, char *out,
                     size_t cap)
{
    snprintf(out, cap, "arn:aws:bedrock:%s:%s:inference-profile/%s", region, account, profile_id);
}

/* "arn:aws:bedrock:REGION:ACCOUNT:TYPE/ID" -> ID when TYPE matches and account presence fits. */
static const char *arn_tail(const char *arn, const char *type, bool want_account)
{
    static const char prefix[] = "arn:aws:bedrock:";
    if (strncmp(arn, prefix, sizeof(prefix) - 1) != 0) {
        return NULL;
    }
    const char *region = arn + sizeof(prefix) - 1;
    const char *c1 = strchr(region, ':');
    if (c1 == NULL) {
        return NULL;
    }
    const char *c2 = strchr(c1 + 1, ':');
    if (c2 == NULL || (c2 > c1 + 1) != want_account) {
        return NULL;
    }
    size_t tlen = strlen(type);
    if (strncmp(c2 + 1, type, tlen) != 0 || c2[1 + tlen] != '/') {
        return NULL;
    }
    return c2 + 2 + tlen;
}

bool emu_resolve_model_id(const char *ident, const struct emu_model **model,
                          const struct emu_profile **profile)
{
    *model = NULL;
    *profile = NULL;
    const char *id = ident;
    if (strncmp(ident, "arn:", 4) == 0) {
        id = arn_tail(ident, "foundation-model", false);
        if (id != NULL) {
            *model = emu_catalog_find_model(id);
            return *model != NULL;
        }
        id = arn_tail(ident, "inference-profile", true);
        if (id == NULL) {
            return false;
        }
        *profile = emu_catalog_find_profile(id);
        return *profile != NULL;
    }
    *model = emu_catalog_find_model(id);
    if (*model == NULL) {
        *profile = emu_catalog_find_profile(id);
    }
    return *model != NULL || *profile != NULL;
}

json_t *emu_json_list(const char *comma_list)
{
    json_t *a = json_array();
    const char *p = comma_list;
    while (a != NULL && p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, len));
        p = comma != NULL ? comma + 1 : NULL;
    }
    return a;
}

json_t *emu_body_json(const struct emu_request *req)
{
    json_error_t err;
    if (req->body == NULL || req->body_len == 0) {
        return NULL;
    }
    json_t *doc = json_loadb((const char *)req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
    if (doc != NULL && !json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}
