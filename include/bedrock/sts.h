/* sts.h - who am I: STS GetCallerIdentity. */
#ifndef BEDROCK_STS_H
#define BEDROCK_STS_H

#include <bedrock/bedrock.h>
#include <bedrock/client.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bedrock_identity {
    char account[32];
    char arn[512];
    char user_id[256];
};

BEDROCK_API BEDROCK_MUST_USE bedrock_code bedrock_sts_get_caller_identity(
    struct bedrock_client *client, struct bedrock_identity *out, struct bedrock_error *err);

#ifdef __cplusplus
}
#endif
#endif
