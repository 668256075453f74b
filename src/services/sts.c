/*
 * services/sts.c - who am I: STS GetCallerIdentity (query protocol, Version 2011-06-15).
 * Reply: <GetCallerIdentityResponse><GetCallerIdentityResult><Arn/><UserId/><Account/>.
 */
#include "client_internal.h"

#include <bedrock/sts.h>

#include <stdio.h>
#include <string.h>

bedrock_code bedrock_sts_get_caller_identity(struct bedrock_client *client,
                                             struct bedrock_identity *out,
                                             struct bedrock_error *err)
{
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_query_call(client, "sts", "sts", "GetCallerIdentity", "2011-06-15", NULL,
                                     NULL, &doc, err);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    const char *arn = brk_xml_text(doc, "GetCallerIdentityResult/Arn");
    const char *uid = brk_xml_text(doc, "GetCallerIdentityResult/UserId");
    const char *acct = brk_xml_text(doc, "GetCallerIdentityResult/Account");
    if (arn == NULL || acct == NULL) {
        rc = BEDROCK_E_PARSE;
        bedrock_error_set(err, rc, "GetCallerIdentity: the reply has no Arn or Account");
        goto out;
    }
    memset(out, 0, sizeof(*out));
    snprintf(out->arn, sizeof(out->arn), "%s", arn);
    snprintf(out->account, sizeof(out->account), "%s", acct);
    snprintf(out->user_id, sizeof(out->user_id), "%s", uid != NULL ? uid : "");
out:
    brk_xml_free(doc);
    return rc;
}
