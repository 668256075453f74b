/*
 * services/control/control_internal.h - helpers shared by the control-plane files: a signed
 * GET on the "bedrock" endpoint returning the parsed JSON object, and open-string copies.
 */
#ifndef BRK_SERVICES_CONTROL_INTERNAL_H
#define BRK_SERVICES_CONTROL_INTERNAL_H

#include "../client_internal.h"

#include <jansson.h>

/* GET path?query on the bedrock control plane; *out = the reply object (new reference). */
BEDROCK_MUST_USE bedrock_code brk_control_get(struct bedrock_client *client, const char *path,
                                              const char *query, json_t **out, char **raw,
                                              struct bedrock_error *err);
/* brk_strdup of a JSON string member, NULL when absent (sets *oom on allocation failure). */
char *brk_control_str(json_t *obj, const char *key, bool *oom);
/* NULL-terminated copy of a JSON array of strings (absent -> empty array). */
char **brk_control_strv(json_t *obj, const char *key, bool *oom);
void brk_control_strv_free(char **v);

#endif
