/*
 * emulator/xmlout.c - query-protocol XML reply builder (see xmlout.h). Output is well-formed by
 * construction: every text goes through emu_xml_escape_buf().
 */
#include "xmlout.h"

#include "core/limits.h"
#include "crypto/sigv4.h"

#include <stdio.h>
#include <string.h>

bedrock_code emu_xml_escape_buf(struct brk_buf *b, const char *text)
{
    bedrock_code rc = BEDROCK_OK;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0' && rc == BEDROCK_OK;
         p++) {
        switch (*p) {
        case '&':
            rc = brk_buf_append_str(b, "&amp;");
            break;
        case '<':
            rc = brk_buf_append_str(b, "&lt;");
            break;
        case '>':
            rc = brk_buf_append_str(b, "&gt;");
            break;
        case '"':
            rc = brk_buf_append_str(b, "&quot;");
            break;
        case '\'':
            rc = brk_buf_append_str(b, "&apos;");
            break;
        default:
            if (*p < 0x20 && *p != '\n' && *p != '\t') {
                rc = brk_buf_appendf(b, "&#x%X;", *p);
            } else {
                rc = brk_buf_append_char(b, (char)*p);
            }
        }
    }
    return rc;
}

void emu_iso8601(time_t t, char out[32])
{
    brk_iso8601(t, out);
}

static void app(struct emu_xml *x, const char *s)
{
    if (x->rc == BEDROCK_OK) {
        x->rc = brk_buf_append_str(&x->b, s);
    }
}

void emu_xml_begin(struct emu_xml *x, const char *action, const char *xmlns, bool result)
{
    brk_buf_init(&x->b, BRK_MAX_RESPONSE_BYTES);
    x->rc = BEDROCK_OK;
    x->action = action;
    x->rc = brk_buf_appendf(&x->b, "<%sResponse xmlns=\"%s\">\n", action, xmlns);
    if (result && x->rc == BEDROCK_OK) {
        x->rc = brk_buf_appendf(&x->b, "  <%sResult>\n", action);
    }
}

void emu_xml_open(struct emu_xml *x, const char *name)
{
    if (x->rc == BEDROCK_OK) {
        x->rc = brk_buf_appendf(&x->b, "<%s>", name);
    }
}

void emu_xml_close(struct emu_xml *x, const char *name)
{
    if (x->rc == BEDROCK_OK) {
        x->rc = brk_buf_appendf(&x->b, "</%s>\n", name);
    }
}

void emu_xml_escape(struct emu_xml *x, const char *text)
{
    if (x->rc == BEDROCK_OK) {
        x->rc = emu_xml_escape_buf(&x->b, text);
    }
}

void emu_xml_text(struct emu_xml *x, const char *name, const char *text)
{
    emu_xml_open(x, name);
    emu_xml_escape(x, text != NULL ? text : "");
    emu_xml_close(x, name);
}

void emu_xml_long(struct emu_xml *x, const char *name, long long v)
{
    char num[32];
    snprintf(num, sizeof(num), "%lld", v);
    emu_xml_text(x, name, num);
}

void emu_xml_time(struct emu_xml *x, const char *name, time_t t)
{
    char iso[32];
    emu_iso8601(t, iso);
    emu_xml_text(x, name, iso);
}

void emu_xml_send(struct emu_xml *x, struct emu_request *req, bool result)
{
    if (result && x->rc == BEDROCK_OK) {
        x->rc = brk_buf_appendf(&x->b, "  </%sResult>\n", x->action);
    }
    app(x, "  <ResponseMetadata>\n    ");
    emu_xml_text(x, "RequestId", req->request_id);
    app(x, "  </ResponseMetadata>\n");
    if (x->rc == BEDROCK_OK) {
        x->rc = brk_buf_appendf(&x->b, "</%sResponse>\n", x->action);
    }
    if (x->rc != BEDROCK_OK) {
        emu_reply_error(req, 500, "InternalFailure", "reply too large");
    } else {
        emu_reply(req, 200, "text/xml", x->b.data, x->b.len);
    }
    emu_xml_cleanup(x);
}

void emu_xml_cleanup(struct emu_xml *x)
{
    brk_buf_cleanup(&x->b);
}
