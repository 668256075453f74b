/*
 * http/http_error.c - turn an AWS error response of any protocol into a struct bedrock_error.
 *
 * Shapes understood (as botocore's parsers read them):
 *   query XML:  <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 *   EC2 XML:    <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
 *   plain XML:  <Error><Code/><Message/><RequestId/></Error>
 *   JSON 1.0/1.1: {"__type": "ns#Code", "message": "..."} ("Message" too)
 *   rest-json:  x-amzn-ErrorType: Code[:http://...] header, body {"message": "..."}
 *               ("code"/"Code" in the body when the header is absent)
 *   awsQueryCompatible JSON (CloudWatch): x-amzn-query-error: Code;Sender names the
 *               query-era code, which wins over __type (as botocore does)
 * Request id: x-amzn-RequestId, then x-amz-request-id, then the XML body.
 * Anything else (HTML from a proxy, truncated JSON, empty body) still yields an error named
 * after the HTTP status and host. The body is untrusted: nothing here may crash on it.
 */
#include "core/errors.h"
#include "http.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct found {
    char code[96];
    char message[512];
    char request_id[96];
};

static void copy(char *dst, size_t cap, const char *src)
{
    if (src != NULL && src[0] != '\0' && dst[0] == '\0') {
        snprintf(dst, cap, "%s", src);
    }
}

static void from_xml(const struct brk_http_response *resp, struct found *f)
{
    struct brk_xml *doc = NULL;
    if (brk_xml_parse(resp->body.data, resp->body.len, &doc) != BEDROCK_OK) {
        return;
    }
    static const char *const error_paths[] = { "Error", "Errors/Error", "" };
    for (size_t i = 0; i < sizeof(error_paths) / sizeof(error_paths[0]); i++) {
        const struct brk_xml *e = brk_xml_find(doc, error_paths[i]);
        if (e == NULL || brk_xml_find(e, "Code") == NULL) {
            continue;
        }
        copy(f->code, sizeof(f->code), brk_xml_text(e, "Code"));
        copy(f->message, sizeof(f->message), brk_xml_text(e, "Message"));
        copy(f->request_id, sizeof(f->request_id), brk_xml_text(e, "RequestId"));
        break;
    }
    copy(f->request_id, sizeof(f->request_id), brk_xml_text(doc, "RequestId"));
    copy(f->request_id, sizeof(f->request_id), brk_xml_text(doc, "RequestID"));
    brk_xml_free(doc);
}

static const char *json_str(json_t *obj, const char *const *keys)
{
    for (size_t i = 0; keys[i] != NULL; i++) {
        const char *s = json_string_value(json_object_get(obj, keys[i]));
        if (s != NULL && s[0] != '\0') {
            return s;
        }
    }
    return NULL;
}

static void from_json(const struct brk_http_response *resp, struct found *f)
{
    static const char *const code_keys[] = { "__type", "code", "Code", NULL };
    static const char *const msg_keys[] = { "message", "Message", "errorMessage", NULL };
    json_error_t jerr;
    json_t *root = json_loadb(resp->body.data, resp->body.len, 0, &jerr);
    if (root == NULL) {
        return;
    }
    if (json_is_object(root)) {
        copy(f->code, sizeof(f->code), json_str(root, code_keys));
        copy(f->message, sizeof(f->message), json_str(root, msg_keys));
    }
    json_decref(root);
}

static char first_byte(const struct brk_http_response *resp)
{
    for (size_t i = 0; i < resp->body.len; i++) {
        char c = resp->body.data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            return c;
        }
    }
    return '\0';
}

/* A short printable excerpt of a body that is neither XML nor JSON ("Bad Gateway"). */
static void excerpt(const struct brk_http_response *resp, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < resp->body.len && n + 1 < cap && n < 160; i++) {
        unsigned char c = (unsigned char)resp->body.data[i];
        if (c == '\r' || c == '\n' || c == '\t') {
            c = ' ';
        }
        if (c < 0x20 || c > 0x7e) {
            break;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
}

static void fallback_message(const struct brk_http_response *resp, char first, char *out,
                             size_t cap)
{
    const char *host = resp->host[0] != '\0' ? resp->host : "the service";
    char ex[192] = "";
    if (first != '<' && first != '{' && first != '\0') {
        excerpt(resp, ex, sizeof(ex));
    }
    const char *loc = brk_http_response_header(resp, "location");
    if (resp->status >= 300 && resp->status < 400 && loc != NULL) {
        snprintf(out, cap, "HTTP %d from %s: redirect to %.200s not followed", resp->status, host,
                 loc);
    } else if (ex[0] != '\0') {
        snprintf(out, cap, "HTTP %d from %s: %s", resp->status, host, ex);
    } else {
        snprintf(out, cap, "HTTP %d from %s", resp->status, host);
    }
}

void brk_http_parse_error(const struct brk_http_response *resp, struct bedrock_error *err)
{
    if (err == NULL) {
        return;
    }
    bedrock_error_clear(err);
    if (resp == NULL) {
        bedrock_error_set(err, BEDROCK_E_INTERNAL, "no response to parse");
        return;
    }
    struct found f;
    memset(&f, 0, sizeof(f));
    copy(f.request_id, sizeof(f.request_id), brk_http_response_header(resp, "x-amzn-RequestId"));
    copy(f.request_id, sizeof(f.request_id), brk_http_response_header(resp, "x-amz-request-id"));
    const char *qe = brk_http_response_header(resp, "x-amzn-query-error");
    if (qe != NULL && qe[0] != ';' && qe[0] != '\0') {
        snprintf(f.code, sizeof(f.code), "%.*s", (int)strcspn(qe, ";"), qe);
    }
    copy(f.code, sizeof(f.code), brk_http_response_header(resp, "x-amzn-ErrorType"));
    char first = resp->body.data != NULL ? first_byte(resp) : '\0';
    if (first == '<') {
        from_xml(resp, &f);
    } else if (first == '{') {
        from_json(resp, &f);
    }
    char fallback[512];
    const char *msg = f.message;
    if (f.code[0] == '\0' && f.message[0] == '\0') {
        fallback_message(resp, first, fallback, sizeof(fallback));
        msg = fallback;
    }
    brk_error_from_reply(err, resp->status, f.code[0] != '\0' ? f.code : NULL, msg,
                         f.request_id[0] != '\0' ? f.request_id : NULL);
}
