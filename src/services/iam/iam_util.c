/*
 * services/iam/iam_util.c - private helpers of the IAM client (see iam_util.h).
 */
#include "iam_util.h"

#include "../../core/alloc.h"
#include "../../core/limits.h"
#include "../../crypto/sigv4.h"
#include "../call.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bedrock_code brk_iam_form(struct brk_buf *form, struct bedrock_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    bedrock_code rc = BEDROCK_OK;
    for (;;) {
        const char *k = va_arg(ap, const char *);
        if (k == NULL) {
            break;
        }
        const char *v = va_arg(ap, const char *);
        if (v != NULL && rc == BEDROCK_OK) {
            rc = brk_form_add(form, k, v);
        }
    }
    va_end(ap);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "could not build an IAM request");
    }
    return rc;
}

bedrock_code brk_iam_call(struct bedrock_client *c, const char *action, const struct brk_buf *form,
                          struct brk_xml **out, struct bedrock_error *err)
{
    struct brk_xml *doc = NULL;
    bedrock_code rc =
        brk_query_call(c, "iam", "iam", action, BRK_IAM_VERSION, form, NULL, &doc, err);
    if (rc != BEDROCK_OK) {
        brk_hint_fill(c, "iam", NULL, err);
        return rc;
    }
    if (out != NULL) {
        *out = doc;
    } else {
        brk_xml_free(doc);
    }
    return BEDROCK_OK;
}

bedrock_code brk_iam_list(struct bedrock_client *c, const char *action, const struct brk_buf *form,
                          const char *list, brk_iam_member_fn *fn, void *ctx,
                          struct bedrock_error *err)
{
    char path[128];
    char trunc_path[128];
    char marker_path[128];
    snprintf(path, sizeof(path), "%sResult/%s", action, list);
    snprintf(trunc_path, sizeof(trunc_path), "%sResult/IsTruncated", action);
    snprintf(marker_path, sizeof(marker_path), "%sResult/Marker", action);
    char *marker = NULL;
    bedrock_code rc = BEDROCK_OK;
    for (int page = 0; page < 1000; page++) {
        struct brk_buf f = BRK_BUF(BRK_MAX_REQUEST_BYTES);
        rc = brk_buf_append_str(&f, form != NULL && form->data != NULL ? form->data : "");
        if (rc == BEDROCK_OK && marker != NULL) {
            rc = brk_form_add(&f, "Marker", marker);
        }
        struct brk_xml *doc = NULL;
        if (rc == BEDROCK_OK) {
            rc = brk_iam_call(c, action, &f, &doc, err);
        } else {
            bedrock_error_set(err, rc, "could not build the %s request", action);
        }
        brk_buf_cleanup(&f);
        if (rc != BEDROCK_OK) {
            break;
        }
        const struct brk_xml *l = brk_xml_find(doc, path);
        for (const struct brk_xml *m = l != NULL ? l->child : NULL; m != NULL && rc == BEDROCK_OK;
             m = m->next) {
            rc = fn(ctx, m);
        }
        const char *t = brk_xml_text(doc, trunc_path);
        const char *mk = brk_xml_text(doc, marker_path);
        bool more = t != NULL && strcmp(t, "true") == 0 && mk != NULL && mk[0] != '\0';
        brk_free(marker);
        marker = more ? brk_strdup(mk) : NULL;
        brk_xml_free(doc);
        if (rc != BEDROCK_OK) {
            bedrock_error_set(err, rc, "%s: out of memory", action);
            break;
        }
        if (!more) {
            break;
        }
        if (marker == NULL) {
            rc = BEDROCK_E_NOMEM;
            bedrock_error_set(err, rc, "out of memory");
            break;
        }
    }
    brk_free(marker);
    return rc;
}

void brk_iam_copy(const struct brk_xml *x, const char *path, char *out, size_t len)
{
    const char *t = brk_xml_text(x, path);
    snprintf(out, len, "%s", t != NULL ? t : "");
}

time_t brk_iam_time(const struct brk_xml *x, const char *path)
{
    const char *t = brk_xml_text(x, path);
    time_t v = 0;
    if (t == NULL || brk_parse_iso8601(t, &v) != BEDROCK_OK) {
        return 0;
    }
    return v;
}

bedrock_code brk_iam_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) {
        return BEDROCK_OK;
    }
    size_t ncap = *cap == 0 ? 8 : *cap * 2;
    void *p = brk_realloc(*arr, ncap * elem);
    if (p == NULL) {
        return BEDROCK_E_NOMEM;
    }
    memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
    *arr = p;
    *cap = ncap;
    return BEDROCK_OK;
}

bedrock_code brk_iam_parse_doc(const char *encoded, json_t **doc, struct bedrock_error *err)
{
    struct brk_buf dec = BRK_BUF(BRK_MAX_RESPONSE_BYTES);
    bedrock_code rc = brk_uri_decode(&dec, encoded, strlen(encoded), false);
    if (rc != BEDROCK_OK) {
        /* some servers return it already decoded */
        brk_buf_reset(&dec);
        rc = brk_buf_append_str(&dec, encoded);
    }
    if (rc == BEDROCK_OK) {
        json_error_t je;
        *doc = json_loadb(dec.data != NULL ? dec.data : "", dec.len, 0, &je);
        if (*doc == NULL) {
            rc = BEDROCK_E_PARSE;
            bedrock_error_set(err, rc, "the policy document is not JSON: %s", je.text);
        }
    } else {
        bedrock_error_set(err, rc, "could not decode the policy document");
    }
    brk_buf_cleanup(&dec);
    return rc;
}
