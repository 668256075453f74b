/*
 * emulator/router.c - picks the service, protocol and operation of a request, authenticates it
 * (verify.c), applies the central faults, and calls the handler.
 *
 * Service: the credential scope's signing name (Authorization header, X-Amz-Credential query,
 * or Bearer -> bedrock); without credentials, guessed from the request shape so the
 * MissingAuthenticationToken error has the right protocol. Protocol: X-Amz-Target (JSON 1.0
 * monitoring / JSON 1.1 budgets), /service/.../operation/<Op> (rpc-v2-cbor), bedrock paths
 * (rest-json), else query (form Action).
 */
#include "core/alloc.h"
#include "faults.h"
#include "form.h"
#include "server.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CW_TARGET      "GraniteServiceVersion20100801."
#define CW_CBOR_PATH   "/service/GraniteServiceVersion20100801/operation/"
#define BUDGETS_TARGET "AWSBudgetServiceGateway."

static bool starts(const char *s, const char *prefix)
{
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "AKID/20240101/eu-central-1/bedrock/aws4_request" -> region, service. */
static void scope_parts(const char *cred, size_t len, struct emu_request *req)
{
    const char *p = cred, *end = cred + len;
    const char *part[5];
    size_t plen[5];
    int n = 0;
    while (n < 5 && p <= end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *e = slash != NULL ? slash : end;
        part[n] = p;
        plen[n] = (size_t)(e - p);
        n++;
        if (slash == NULL) {
            break;
        }
        p = slash + 1;
    }
    if (n == 5) {
        snprintf(req->region, sizeof(req->region), "%.*s", (int)plen[2], part[2]);
        snprintf(req->service, sizeof(req->service), "%.*s", (int)plen[3], part[3]);
    }
}

static void scope_from_request(struct emu_request *req)
{
    const char *auth = emu_header(req, "authorization");
    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
        snprintf(req->service, sizeof(req->service), "bedrock");
        return;
    }
    if (auth != NULL) {
        const char *c = strstr(auth, "Credential=");
        if (c != NULL) {
            c += 11;
            size_t len = strcspn(c, ", ");
            scope_parts(c, len, req);
        }
        return;
    }
    const char *q = strstr(req->query, "X-Amz-Credential=");
    if (q != NULL && (q == req->query || q[-1] == '&')) {
        q += 17;
        size_t len = strcspn(q, "&");
        char *dec = emu_pct_decode(q, len, true);
        if (dec != NULL) {
            scope_parts(dec, strlen(dec), req);
            brk_free(dec);
        }
    }
}

static bool is_bedrock_path(const char *path)
{
    return starts(path, "/model/") || starts(path, "/foundation-model") ||
           starts(path, "/inference-profiles") || starts(path, "/guardrails") ||
           starts(path, "/custom-models") || starts(path, "/provisioned-model") ||
           starts(path, "/model-") || starts(path, "/async-invoke");
}

static bool is_sts_action(const char *a)
{
    static const char *const STS[] = { "GetCallerIdentity",         "AssumeRole",
                                       "GetSessionToken",           "GetAccessKeyInfo",
                                       "AssumeRoleWithWebIdentity", "GetFederationToken",
                                       "DecodeAuthorizationMessage" };
    for (size_t i = 0; a != NULL && i < sizeof(STS) / sizeof(STS[0]); i++) {
        if (strcmp(a, STS[i]) == 0) {
            return true;
        }
    }
    return false;
}

void emu_route_protocol_only(struct emu_request *req)
{
    scope_from_request(req);
    const char *target = emu_header(req, "x-amz-target");
    if (starts(req->path, "/_emulator/")) {
        req->protocol = EMU_PROTO_REST_JSON;
        return;
    }
    if (starts(target, CW_TARGET)) {
        snprintf(req->service, sizeof(req->service), "monitoring");
        req->protocol = EMU_PROTO_JSON10;
        snprintf(req->operation, sizeof(req->operation), "%s", target + strlen(CW_TARGET));
        return;
    }
    if (starts(target, BUDGETS_TARGET)) {
        snprintf(req->service, sizeof(req->service), "budgets");
        req->protocol = EMU_PROTO_JSON11;
        snprintf(req->operation, sizeof(req->operation), "%s", target + strlen(BUDGETS_TARGET));
        return;
    }
    if (starts(req->path, CW_CBOR_PATH)) {
        snprintf(req->service, sizeof(req->service), "monitoring");
        req->protocol = EMU_PROTO_CBOR;
        snprintf(req->operation, sizeof(req->operation), "%s", req->path + strlen(CW_CBOR_PATH));
        return;
    }
    if (strcmp(req->service, "bedrock") == 0 ||
        (req->service[0] == '\0' && is_bedrock_path(req->path))) {
        snprintf(req->service, sizeof(req->service), "bedrock");
        req->protocol = EMU_PROTO_REST_JSON;
        return;
    }
    req->protocol = EMU_PROTO_QUERY;
    if (req->service[0] == '\0') {
        const char *action = emu_form_get(req, "Action");
        snprintf(req->service, sizeof(req->service), "%s", is_sts_action(action) ? "sts" : "iam");
    }
}

/* Runtime operations by the last path segment of /model/{id}/<op>. */
static const char *runtime_op(const char *path)
{
    static const struct {
        const char *suffix, *op;
    } OPS[] = { { "/invoke", "InvokeModel" },
                { "/invoke-with-response-stream", "InvokeModelWithResponseStream" },
                { "/converse", "Converse" },
                { "/converse-stream", "ConverseStream" },
                { "/count-tokens", "CountTokens" } };
    const char *last = strrchr(path, '/');
    for (size_t i = 0; last != NULL && i < sizeof(OPS) / sizeof(OPS[0]); i++) {
        if (strcmp(last, OPS[i].suffix) == 0) {
            return OPS[i].op;
        }
    }
    return NULL;
}

static const char *control_op(const char *method, const char *path)
{
    bool get = strcmp(method, "GET") == 0;
    if (get && strcmp(path, "/foundation-models") == 0) {
        return "ListFoundationModels";
    }
    if (get && starts(path, "/foundation-models/")) {
        return "GetFoundationModel";
    }
    if (get && starts(path, "/foundation-model-availability/")) {
        return "GetFoundationModelAvailability";
    }
    if (get && strcmp(path, "/inference-profiles") == 0) {
        return "ListInferenceProfiles";
    }
    if (get && starts(path, "/inference-profiles/")) {
        return "GetInferenceProfile";
    }
    return NULL;
}

static void dispatch(struct emu_request *req)
{
    if (starts(req->path, "/_emulator/")) {
        emu_svc_admin(req);
    } else if (strcmp(req->service, "bedrock") == 0) {
        const char *op = starts(req->path, "/model/") ? runtime_op(req->path) : NULL;
        if (op != NULL) {
            snprintf(req->operation, sizeof(req->operation), "%s", op);
            emu_svc_runtime(req);
            return;
        }
        op = control_op(req->method, req->path);
        if (op != NULL) {
            snprintf(req->operation, sizeof(req->operation), "%s", op);
        }
        emu_svc_bedrock(req); /* it answers UnknownOperationException for the rest */
    } else if (strcmp(req->service, "monitoring") == 0) {
        emu_svc_cloudwatch(req);
    } else if (strcmp(req->service, "budgets") == 0) {
        emu_svc_budgets(req);
    } else if (strcmp(req->service, "sts") == 0) {
        emu_svc_sts(req);
    } else if (strcmp(req->service, "iam") == 0) {
        emu_svc_iam(req);
    } else {
        emu_reply_error(req, 400,
                        req->protocol == EMU_PROTO_QUERY ? "InvalidAction"
                                                         : "UnknownOperationException",
                        "The service '%s' is not offered by this endpoint.", req->service);
    }
}

void emu_route(struct emu_request *req)
{
    emu_route_protocol_only(req);
    if (req->protocol == EMU_PROTO_QUERY) {
        const char *action = emu_form_get(req, "Action");
        snprintf(req->operation, sizeof(req->operation), "%s", action != NULL ? action : "");
    }
    if (!emu_verify(req)) {
        return;
    }
    if (emu_faults_apply(req)) {
        return;
    }
    dispatch(req);
}
