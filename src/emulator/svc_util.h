/*
 * emulator/svc_util.h - small helpers shared by the emusvc handlers (bedrock control plane,
 * runtime, CloudWatch, Budgets): percent-decoding, query parameters, JSON replies, ARNs.
 *
 * Invariants: every output buffer is NUL-terminated on success; functions that can fail
 * return false and leave the output as an empty string.
 */
#ifndef BRK_EMULATOR_SVC_UTIL_H
#define BRK_EMULATOR_SVC_UTIL_H

#include "emulator/emu.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Percent-decode n bytes of in once into out (cap bytes incl. NUL); '+' is kept as is unless
 * plus_space. False on bad escapes, NUL bytes or overflow. */
bool emu_svc_pct_decode(const char *in, size_t n, bool plus_space, char *out, size_t cap);
/* Value of the first key=value in a raw query string, decoded; false when absent/bad. */
bool emu_svc_query_get(const char *query, const char *key, char *out, size_t cap);
/* Reply 200 with the JSON document (steals the reference). */
void emu_reply_json(struct emu_request *req, int status, const char *content_type, json_t *doc);
/* arn:aws:bedrock:REGION::foundation-model/ID (region may be ""). */
void emu_fm_arn(const char *region, const char *model_id, char *out, size_t cap);
/* arn:aws:bedrock:REGION:ACCOUNT:inference-profile/ID */
void emu_profile_arn(const char *region, const char *account, const char *profile_id, char *out,
                     size_t cap);
/* Resolve an identifier (id or ARN) of a foundation model or system profile. Exactly one of
 * *model / *profile is set on success. */
bool emu_resolve_model_id(const char *ident, const struct emu_model **model,
                          const struct emu_profile **profile);
/* JSON array from a comma list. */
json_t *emu_json_list(const char *comma_list);
/* Parse a JSON request body (object); NULL on failure. */
json_t *emu_body_json(const struct emu_request *req);

#endif
