/*
 * services/iam/iam_util.h - private helpers of the IAM client: one call, form building,
 * paginated lists, copying text out of the reply DOM.
 * Invariant: every helper leaves err filled on failure and nothing allocated.
 */
#ifndef BRK_SERVICES_IAM_UTIL_H
#define BRK_SERVICES_IAM_UTIL_H

#include "../../core/buf.h"
#include "../../http/http.h"
#include "iam.h"

#define BRK_IAM_VERSION "2010-05-08"

/* form: key, value pairs ending with NULL; pairs whose value is NULL are skipped. */
BEDROCK_MUST_USE bedrock_code brk_iam_form(struct brk_buf *form, struct bedrock_error *err, ...);
BEDROCK_MUST_USE bedrock_code brk_iam_call(struct bedrock_client *c, const char *action,
                                           const struct brk_buf *form, struct brk_xml **out,
                                           struct bedrock_error *err);

typedef bedrock_code brk_iam_member_fn(void *ctx, const struct brk_xml *member);
/* Calls action with form (+ Marker) until IsTruncated is false; fn for each <member> of
 * <Action>Result/<list>. */
BEDROCK_MUST_USE bedrock_code brk_iam_list(struct bedrock_client *c, const char *action,
                                           const struct brk_buf *form, const char *list,
                                           brk_iam_member_fn *fn, void *ctx,
                                           struct bedrock_error *err);

/* Copy text of path under x into out ("" when absent). */
void brk_iam_copy(const struct brk_xml *x, const char *path, char *out, size_t len);
time_t brk_iam_time(const struct brk_xml *x, const char *path);
/* Grow *arr (elements of size elem) so that index n fits. */
BEDROCK_MUST_USE bedrock_code brk_iam_grow(void **arr, size_t *cap, size_t n, size_t elem);
/* Parse a URL-encoded policy document (as IAM returns them). */
BEDROCK_MUST_USE bedrock_code brk_iam_parse_doc(const char *encoded, json_t **doc,
                                                struct bedrock_error *err);

#endif
