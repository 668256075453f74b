/*
 * emulator/xmlout.h - building query-protocol (IAM/STS/CloudWatch query) XML replies.
 *
 * struct emu_xml wraps a brk_buf with a sticky error: after the first failure every call is a
 * no-op and emu_xml_send() answers 500, so handlers can build straight down without checks.
 * Text is escaped (& < > " ' and control characters as &#xN;).
 */
#ifndef BRK_EMULATOR_XMLOUT_H
#define BRK_EMULATOR_XMLOUT_H

#include "core/buf.h"
#include "emu.h"

struct emu_xml {
    struct brk_buf b;
    bedrock_code rc;
    const char *action;
};

/* <?xml ...?><{action}Response xmlns="{xmlns}"> and, when result, <{action}Result>. */
void emu_xml_begin(struct emu_xml *x, const char *action, const char *xmlns, bool result);
void emu_xml_open(struct emu_xml *x, const char *name);                   /* <name> */
void emu_xml_close(struct emu_xml *x, const char *name);                  /* </name> */
void emu_xml_text(struct emu_xml *x, const char *name, const char *text); /* <name>esc</name> */
void emu_xml_long(struct emu_xml *x, const char *name, long long v);
void emu_xml_time(struct emu_xml *x, const char *name, time_t t); /* ISO 8601 Z */
void emu_xml_escape(struct emu_xml *x, const char *text);
/* Closes Result (when begun with one), adds ResponseMetadata/RequestId, sends 200 text/xml,
 * and frees the buffer. */
void emu_xml_send(struct emu_xml *x, struct emu_request *req, bool result);
void emu_xml_cleanup(struct emu_xml *x);

/* Escape into a brk_buf (used by the error replies too). */
BEDROCK_MUST_USE bedrock_code emu_xml_escape_buf(struct brk_buf *b, const char *text);
/* ISO 8601 "2024-01-02T03:04:05Z". */
void emu_iso8601(time_t t, char out[32]);

#endif
