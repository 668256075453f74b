/*
 * emulator/form.c - form/query decoding and emu_form_get() (lazily parses the request's form:
 * the body for a form POST, else the query string; cached in the request until it ends).
 */
#include "form.h"

#include "core/alloc.h"
#include "crypto/sigv4.h"
#include "server.h"

#include <string.h>
#include <strings.h>

char *emu_pct_decode(const char *s, size_t len, bool plus)
{
    struct brk_buf out = BRK_BUF(len + 1);
    char *res = NULL;
    if (brk_uri_decode(&out, s, len, plus) != BEDROCK_OK ||
        brk_buf_take(&out, &res, NULL) != BEDROCK_OK) {
        brk_buf_cleanup(&out);
        return NULL;
    }
    return res;
}

void emu_form_cleanup(struct emu_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        brk_free(f->keys[i]);
        brk_free(f->vals[i]);
    }
    brk_free(f->keys);
    brk_free(f->vals);
    memset(f, 0, sizeof(*f));
}

bedrock_code emu_form_parse(const char *s, size_t len, struct emu_form *out)
{
    struct emu_form f = { NULL, NULL, 0 };
    size_t cap = 0;
    bedrock_code rc = BEDROCK_OK;
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - s) : len;
        if (end > i) {
            const char *eq = memchr(s + i, '=', end - i);
            size_t klen = eq != NULL ? (size_t)(eq - (s + i)) : end - i;
            if (f.n == EMU_FORM_MAX_PAIRS) {
                rc = BEDROCK_E_LIMIT;
                goto out;
            }
            if (f.n == cap) {
                cap = cap == 0 ? 16 : cap * 2;
                char **nk = brk_realloc(f.keys, cap * sizeof(char *));
                if (nk == NULL) {
                    rc = BEDROCK_E_NOMEM;
                    goto out;
                }
                f.keys = nk;
                char **nv = brk_realloc(f.vals, cap * sizeof(char *));
                if (nv == NULL) {
                    rc = BEDROCK_E_NOMEM;
                    goto out;
                }
                f.vals = nv;
            }
            char *k = emu_pct_decode(s + i, klen, true);
            char *v = eq != NULL ? emu_pct_decode(eq + 1, end - i - klen - 1, true)
                                 : emu_pct_decode("", 0, true);
            if (k == NULL || v == NULL) {
                brk_free(k);
                brk_free(v);
                rc = BEDROCK_E_PARSE;
                goto out;
            }
            f.keys[f.n] = k;
            f.vals[f.n] = v;
            f.n++;
        }
        i = end + 1;
    }
out:
    if (rc != BEDROCK_OK) {
        emu_form_cleanup(&f);
        return rc;
    }
    *out = f;
    return BEDROCK_OK;
}

const char *emu_form_find(const struct emu_form *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->keys[i], key) == 0) {
            return f->vals[i];
        }
    }
    return NULL;
}

const char *emu_form_get(struct emu_request *req, const char *key)
{
    struct emu_req_priv *p = req->priv;
    if (!p->form_parsed) {
        p->form_parsed = true;
        const char *ct = emu_header(req, "content-type");
        bool body_form = strcmp(req->method, "POST") == 0 && ct != NULL &&
                         strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
        const char *src = body_form ? (const char *)req->body : req->query;
        size_t len = body_form ? req->body_len : strlen(req->query);
        if (src == NULL || emu_form_parse(src, len, &p->form) != BEDROCK_OK) {
            memset(&p->form, 0, sizeof(p->form));
        }
    }
    return emu_form_find(&p->form, key);
}
