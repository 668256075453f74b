/*
 * http/form.c - application/x-www-form-urlencoded bodies for the query protocol
 * (IAM, STS, CloudWatch): "Action=X&Version=Y&Key=Value".
 *
 * Encoding matches the SDKs' query serializer: RFC 3986 unreserved bytes (A-Z a-z 0-9 - _ . ~)
 * kept, every other byte %XX upper-case, space as %20 (never '+').
 */
#include "http.h"

#include <string.h>

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

static bedrock_code encode(struct brk_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        bedrock_code rc;
        if (unreserved(*p)) {
            rc = brk_buf_append_char(out, (char)*p);
        } else {
            char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            rc = brk_buf_append(out, esc, sizeof(esc));
        }
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    return BEDROCK_OK;
}

bedrock_code brk_form_add(struct brk_buf *form, const char *key, const char *value)
{
    if (form == NULL || key == NULL || key[0] == '\0') {
        return BEDROCK_E_INVALID_ARG;
    }
    size_t before = form->len;
    bedrock_code rc = form->len > 0 ? brk_buf_append_char(form, '&') : BEDROCK_OK;
    if (rc == BEDROCK_OK) {
        rc = encode(form, key);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append_char(form, '=');
    }
    if (rc == BEDROCK_OK && value != NULL) {
        rc = encode(form, value);
    }
    if (rc != BEDROCK_OK && form->data != NULL) {
        /* leave the form as it was: no half-written pair */
        form->len = before;
        form->data[before] = '\0';
    }
    return rc;
}
