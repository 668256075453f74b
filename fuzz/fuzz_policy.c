/*
 * fuzz/fuzz_policy.c - emu_policy_validate / emu_policy_eval on arbitrary documents.
 * Input: "action\nresource\ndocument". Invariant: no crash, no leak, and a document that
 * validates also evaluates to -1, 0 or 1.
 */
#include "emulator/emu.h"
#include "emulator/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* policy.c's emu_authorize needs these; the fuzzer never calls it. */
struct emu_store *emu_server_store(struct emu_server *s)
{
    (void)s;
    return NULL;
}
void emu_reply_error(struct emu_request *req, int status, const char *code, const char *fmt, ...)
{
    (void)req;
    (void)status;
    (void)code;
    (void)fmt;
}
void emu_store_user_policies(struct emu_store *st, const char *user, emu_doc_fn *fn, void *ctx)
{
    (void)st;
    (void)user;
    (void)fn;
    (void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    static char empty[1];
    char *action = buf, *resource = empty, *doc = empty;
    char *nl = strchr(buf, '\n');
    if (nl != NULL) {
        *nl = '\0';
        resource = nl + 1;
        char *nl2 = strchr(resource, '\n');
        if (nl2 != NULL) {
            *nl2 = '\0';
            doc = nl2 + 1;
        }
    }
    size_t doclen = size - (size_t)(doc - buf);
    if (doc[0] == '\0') {
        doclen = 0;
    }
    char msg[256];
    bedrock_code v = emu_policy_validate(doc, doclen, msg, sizeof(msg));
    struct emu_cond_kv ctx[2] = { { "aws:RequestedRegion", "eu-central-1" },
                                  { "bedrock:InferenceProfileArn", resource } };
    int d = 7;
    bedrock_code e = emu_policy_eval(doc, doclen, action, resource, ctx, 2, &d);
    if (v == BEDROCK_OK && (e != BEDROCK_OK || d < -1 || d > 1)) {
        abort();
    }
    free(buf);
    return 0;
}
