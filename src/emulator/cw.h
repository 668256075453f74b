/*
 * emulator/cw.h - private interface of the CloudWatch handler: the three wire protocols
 * (JSON 1.0, query/XML, smithy-rpc-v2-cbor) are translated to and from one jansson document
 * shaped like the JSON protocol's, so svc_cloudwatch.c computes each operation once.
 *
 * Invariants: timestamps inside the documents are JSON numbers (epoch seconds); the members
 * named "Timestamp" / "Timestamps" / "StartTime" / "EndTime" are the only timestamps, and the
 * encoders (XML: ISO 8601; CBOR: tag 1) rely on those names.
 */
#ifndef BRK_EMULATOR_CW_H
#define BRK_EMULATOR_CW_H

#include "emulator/emu.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CW_XMLNS "http://monitoring.amazonaws.com/doc/2010-08-01/"

/* CBOR (one top-level map) -> JSON object; NULL on malformed input or too deep nesting. */
json_t *cw_cbor_to_json(const uint8_t *p, size_t n);
/* JSON -> CBOR bytes (malloc'd by libcbor: free()); timestamps as tag 1. False on failure. */
bool cw_json_to_cbor(json_t *doc, uint8_t **out, size_t *len);
/* Query form (Action=...&Namespace=...) -> JSON input document for op. */
json_t *cw_form_to_json(struct emu_request *req, const char *op);
/* Send the JSON output document as the query protocol's XML reply. */
void cw_reply_xml(struct emu_request *req, const char *op, json_t *doc);

#endif
