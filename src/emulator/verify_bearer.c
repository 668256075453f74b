/*
 * emulator/verify_bearer.c - Bedrock API keys (Authorization: Bearer ...), Bedrock only.
 *
 * Short-term: "bedrock-api-key-" + base64("bedrock.amazonaws.com/?Action=CallWithBearerToken&
 * X-Amz-...&X-Amz-Signature=...&Version=1"), a presigned GET for host bedrock.amazonaws.com,
 * service bedrock, verified like any presigned URL ("Version" is appended after signing, so it
 * is outside the signature); its X-Amz-Expires is honoured.
 * Long-term: "ABSK" + base64("<ServiceUserName>:<ServiceCredentialSecret>") from
 * CreateServiceSpecificCredential(ServiceName=bedrock.amazonaws.com).
 * Either way the principal then needs bedrock:CallWithBearerToken. Decoded tokens are wiped.
 */
#include "core/alloc.h"
#include "core/base64.h"
#include "core/limits.h"
#include "server.h"
#include "store.h"

#include <openssl/crypto.h>
#include <string.h>

#define SHORT_PREFIX "bedrock-api-key-"
#define TOKEN_HOST   "bedrock.amazonaws.com"

static bool bad_token(struct emu_request *req)
{
    emu_reply_error(req, 403,
                    req->protocol == EMU_PROTO_QUERY ? "InvalidClientTokenId"
                                                     : "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
    return false;
}

static bool verify_short(struct emu_request *req, const char *b64)
{
    struct brk_buf dec = BRK_SECRET_BUF(BRK_MAX_SMALL * 4);
    bool ok = false;
    if (brk_base64_decode(&dec, b64, strlen(b64)) != BEDROCK_OK || dec.data == NULL) {
        ok = bad_token(req);
        goto out;
    }
    const char *prefix = TOKEN_HOST "/?";
    if (strncmp(dec.data, prefix, strlen(prefix)) != 0 ||
        strstr(dec.data, "Action=CallWithBearerToken") == NULL) {
        ok = bad_token(req);
        goto out;
    }
    ok = emu_verify_presigned_token(req, TOKEN_HOST, dec.data + strlen(prefix));
out:
    brk_buf_cleanup(&dec);
    return ok;
}

static bool verify_long(struct emu_request *req, const char *b64)
{
    struct brk_buf dec = BRK_SECRET_BUF(BRK_MAX_SMALL);
    struct emu_ssc ssc;
    bool ok = false;
    memset(&ssc, 0, sizeof(ssc));
    if (brk_base64_decode(&dec, b64, strlen(b64)) != BEDROCK_OK || dec.data == NULL) {
        ok = bad_token(req);
        goto out;
    }
    char *colon = strchr(dec.data, ':');
    if (colon == NULL) {
        ok = bad_token(req);
        goto out;
    }
    *colon = '\0';
    const char *secret = colon + 1;
    if (emu_store_ssc_find(emu_server_store(req->server), dec.data, &ssc) != BEDROCK_OK ||
        strcmp(ssc.status, "Active") != 0 || strlen(ssc.secret) != strlen(secret) ||
        CRYPTO_memcmp(ssc.secret, secret, strlen(secret)) != 0) {
        ok = bad_token(req);
        goto out;
    }
    ok = emu_principal_user(req, ssc.user, ssc.id) || bad_token(req);
out:
    brk_wipe(&ssc, sizeof(ssc));
    brk_buf_cleanup(&dec);
    return ok;
}

bool emu_verify_bearer(struct emu_request *req, const char *token)
{
    if (strcmp(req->service, "bedrock") != 0) {
        return bad_token(req);
    }
    bool ok = false;
    if (strncmp(token, SHORT_PREFIX, strlen(SHORT_PREFIX)) == 0) {
        ok = verify_short(req, token + strlen(SHORT_PREFIX));
    } else if (strncmp(token, "ABSK", 4) == 0) {
        ok = verify_long(req, token + 4);
    } else {
        ok = bad_token(req);
    }
    if (!ok) {
        return false;
    }
    req->principal.via_bearer = true;
    return emu_authorize_or_reply(req, "bedrock:CallWithBearerToken", "*", NULL, 0);
}
