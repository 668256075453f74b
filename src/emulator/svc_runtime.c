/*
 * emulator/svc_runtime.c - Bedrock runtime (rest-json): InvokeModel, InvokeModelWithResponse-
 * Stream, Converse, ConverseStream, CountTokens on POST /model/{modelId}/<verb>.
 *
 * Order of checks (as Bedrock does it): identifier -> IAM authorisation (profile ARN first,
 * then the foundation-model ARN in the destination region with bedrock:InferenceProfileArn)
 * -> on-demand support -> model access -> body validation -> simulated reply.
 * The model id comes from the WIRE path segment, percent-decoded exactly once. Every outcome
 * after the model is known is recorded as a usage row (CloudWatch reads them).
 */
#include "core/base64.h"
#include "emulator/rt.h"
#include "emulator/svc_util.h"

#include <stdio.h>
#include <string.h>

#define RT_IDENT_MAX 2100

static const char *const g_actions[] = {
    [RT_INVOKE] = "bedrock:InvokeModel",
    [RT_INVOKE_STREAM] = "bedrock:InvokeModelWithResponseStream",
    [RT_CONVERSE] = "bedrock:InvokeModel",
    [RT_CONVERSE_STREAM] = "bedrock:InvokeModelWithResponseStream",
    [RT_COUNT_TOKENS] = "bedrock:CountTokens",
};

static const char *const g_ops[] = {
    [RT_INVOKE] = "InvokeModel",       [RT_INVOKE_STREAM] = "InvokeModelWithResponseStream",
    [RT_CONVERSE] = "Converse",        [RT_CONVERSE_STREAM] = "ConverseStream",
    [RT_COUNT_TOKENS] = "CountTokens",
};

void rt_record(struct emu_request *req, const struct rt_call *c, long in, long out, long latency_ms,
               long ftl_ms, int outcome)
{
    struct emu_usage u;
    memset(&u, 0, sizeof(u));
    u.at_s = req->now_s != 0 ? req->now_s : time(NULL);
    snprintf(u.model_id, sizeof(u.model_id), "%s", c->record_id);
    snprintf(u.operation, sizeof(u.operation), "%s", g_ops[c->op]);
    u.input_tokens = in;
    u.output_tokens = out;
    u.latency_ms = latency_ms;
    u.first_token_ms = ftl_ms;
    u.outcome = outcome;
    emu_usage_record(req->server, &u);
}

/* "/model/{id}/{verb}" -> op and the raw id segment. */
static bool parse_path(const char *path, enum rt_op *op, char *ident, size_t cap)
{
    static const char pre[] = "/model/";
    static const struct {
        const char *verb;
        enum rt_op op;
    } verbs[] = { { "invoke", RT_INVOKE },
                  { "invoke-with-response-stream", RT_INVOKE_STREAM },
                  { "converse", RT_CONVERSE },
                  { "converse-stream", RT_CONVERSE_STREAM },
                  { "count-tokens", RT_COUNT_TOKENS } };
    if (strncmp(path, pre, sizeof(pre) - 1) != 0) {
        return false;
    }
    const char *id = path + sizeof(pre) - 1;
    const char *slash = strrchr(id, '/');
    if (slash == NULL || slash == id) {
        return false;
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (strcmp(slash + 1, verbs[i].verb) == 0) {
            *op = verbs[i].op;
            return emu_svc_pct_decode(id, (size_t)(slash - id), false, ident, cap);
        }
    }
    return false;
}

/* Destination region for a profile call: the caller's region when the profile routes there,
 * else the first destination; global profiles: "" (the region-less model ARN). */
static void pick_dest(const struct emu_profile *p, const char *region, char *out, size_t cap)
{
    if (strcmp(p->dest_regions, "*") == 0) {
        snprintf(out, cap, "%s", "");
        return;
    }
    if (emu_list_has(p->dest_regions, region)) {
        snprintf(out, cap, "%s", region);
        return;
    }
    const char *comma = strchr(p->dest_regions, ',');
    size_t len = comma != NULL ? (size_t)(comma - p->dest_regions) : strlen(p->dest_regions);
    snprintf(out, cap, "%.*s", (int)len, p->dest_regions);
}

static bool authorize_call(struct emu_request *req, const struct rt_call *c, const char *ident)
{
    const char *action = g_actions[c->op];
    char arn[RT_IDENT_MAX + 100];
    if (c->profile == NULL && c->model == NULL) {
        if (strncmp(ident, "arn:", 4) == 0) {
            snprintf(arn, sizeof(arn), "%s", ident);
        } else {
            emu_fm_arn(req->region, ident, arn, sizeof(arn));
        }
        return emu_authorize_or_reply(req, action, arn, NULL, 0);
    }
    if (c->profile == NULL) {
        emu_fm_arn(req->region, c->model->model_id, arn, sizeof(arn));
        struct emu_cond_kv kv[] = { { "aws:RequestedRegion", req->region } };
        return emu_authorize_or_reply(req, action, arn, kv, 1);
    }
    char parn[400], dest[32];
    emu_profile_arn(req->region, emu_server_account(req->server), c->profile->profile_id, parn,
                    sizeof(parn));
    struct emu_cond_kv kv1[] = { { "aws:RequestedRegion", req->region } };
    if (!emu_authorize_or_reply(req, action, parn, kv1, 1)) {
        return false;
    }
    pick_dest(c->profile, req->region, dest, sizeof(dest));
    emu_fm_arn(dest, c->profile->model_id, arn, sizeof(arn));
    struct emu_cond_kv kv2[] = { { "bedrock:InferenceProfileArn", parn },
                                 { "aws:RequestedRegion",
                                   dest[0] != '\0' ? dest : "unspecified" } };
    return emu_authorize_or_reply(req, action, arn, kv2, 2);
}

static void client_error(struct emu_request *req, const struct rt_call *c, int status,
                         const char *code, const char *msg)
{
    rt_record(req, c, 0, 0, 0, 0, 2);
    emu_reply_error(req, status, code, "%s", msg);
}

/* CountTokens: {"input":{"invokeModel":{"body":"<base64 or JSON text>"}}} or
 * {"input":{"converse":{messages, system, ...}}}. */
static bool count_tokens_parse(struct emu_request *req, const struct rt_call *c, struct emu_sim *s,
                               char *msg, size_t msglen)
{
    json_t *doc = emu_body_json(req);
    json_t *input = json_object_get(doc, "input");
    json_t *inv = json_object_get(input, "invokeModel");
    json_t *conv = json_object_get(input, "converse");
    bool ok = false;
    if ((inv == NULL) == (conv == NULL)) {
        snprintf(msg, msglen, "The input must contain exactly one of invokeModel or converse.");
        goto out;
    }
    if (conv != NULL) {
        ok = emu_sim_parse_converse(s, conv, msg, msglen);
        goto out;
    }
    const char *b = json_string_value(json_object_get(inv, "body"));
    if (b == NULL) {
        snprintf(msg, msglen, "The invokeModel input must contain a body.");
        goto out;
    }
    struct brk_buf raw = BRK_BUF(8u * 1024 * 1024);
    if (brk_base64_decode(&raw, b, strlen(b)) == BEDROCK_OK) {
        ok = emu_sim_parse(s, EMU_API_INVOKE, c->model->kind, raw.data, raw.len, msg, msglen);
    } else {
        ok = emu_sim_parse(s, EMU_API_INVOKE, c->model->kind, b, strlen(b), msg, msglen);
    }
    brk_buf_cleanup(&raw);
out:
    json_decref(doc);
    return ok;
}

static void respond(struct emu_request *req, struct rt_call *c, struct emu_sim *s)
{
    char num[32];
    if (c->op == RT_COUNT_TOKENS) {
        emu_reply_json(req, 200, "application/json",
                       json_pack("{s:I}", "inputTokens", (json_int_t)s->input_tokens));
        return;
    }
    emu_sim_generate(s, c->model->name);
    long out = s->embedding ? 0 : (long)s->n_tokens;
    if (c->op == RT_INVOKE_STREAM || c->op == RT_CONVERSE_STREAM) {
        rt_stream_start(req, c, s);
        return;
    }
    long lat = rt_sim_latency_ms(c, out);
    rt_record(req, c, s->input_tokens, out, lat, lat, 0);
    if (c->op == RT_CONVERSE) {
        emu_reply_json(req, 200, "application/json", rt_converse_body(c, s, lat));
        return;
    }
    snprintf(num, sizeof(num), "%ld", s->input_tokens);
    emu_reply_header(req, "x-amzn-bedrock-input-token-count", num);
    snprintf(num, sizeof(num), "%ld", out);
    emu_reply_header(req, "x-amzn-bedrock-output-token-count", num);
    snprintf(num, sizeof(num), "%ld", lat);
    emu_reply_header(req, "x-amzn-bedrock-invocation-latency", num);
    emu_reply_json(req, 200, "application/json", rt_invoke_body(c, s, req->request_id));
}

static bool model_checks(struct emu_request *req, struct rt_call *c)
{
    if (c->profile == NULL && c->model != NULL &&
        !emu_list_has(c->model->inference_types, "ON_DEMAND") && c->op != RT_COUNT_TOKENS) {
        char msg[512];
        snprintf(msg, sizeof(msg),
                 "Invocation of model ID %s with on-demand throughput isn't supported. Retry "
                 "your request with the ID or ARN of an inference profile that contains this "
                 "model.",
                 c->model->model_id);
        client_error(req, c, 400, "ValidationException", msg);
        return false;
    }
    if (!emu_model_access_granted(req->server, c->model->model_id)) {
        client_error(req, c, 403, "AccessDeniedException",
                     "You don't have access to the model with the specified model ID.");
        return false;
    }
    if ((c->op == RT_CONVERSE || c->op == RT_CONVERSE_STREAM) &&
        strcmp(c->model->kind, "titan-embed") == 0) {
        client_error(req, c, 400, "ValidationException",
                     "This action doesn't support the model that you provided. Try again with a "
                     "supported text or chat model.");
        return false;
    }
    if ((c->op == RT_INVOKE_STREAM || c->op == RT_CONVERSE_STREAM) && !c->model->streaming) {
        client_error(req, c, 400, "ValidationException", "The model is unsupported for streaming.");
        return false;
    }
    return true;
}

static bool resolve(struct emu_request *req, struct rt_call *c, const char *ident)
{
    const struct emu_model *m = NULL;
    const struct emu_profile *p = NULL;
    if (!emu_resolve_model_id(ident, &m, &p)) {
        return false;
    }
    if (p != NULL) {
        if (!emu_list_has(p->source_region_set, req->region)) {
            return false;
        }
        m = emu_catalog_find_model(p->model_id);
        snprintf(c->record_id, sizeof(c->record_id), "%s", p->profile_id);
    } else {
        if (!emu_model_in_region(m, req->region)) {
            return false;
        }
        snprintf(c->record_id, sizeof(c->record_id), "%s", m->model_id);
    }
    c->model = m;
    c->profile = p;
    return m != NULL;
}

void emu_runtime_record_fault(struct emu_request *req, int outcome)
{
    char ident[RT_IDENT_MAX];
    struct rt_call c;
    memset(&c, 0, sizeof(c));
    if (parse_path(req->path, &c.op, ident, sizeof(ident)) && resolve(req, &c, ident)) {
        rt_record(req, &c, 0, 0, 0, -1, outcome);
    }
}

void emu_svc_runtime(struct emu_request *req)
{
    static char ident[RT_IDENT_MAX]; /* single-threaded event loop */
    struct rt_call c;
    struct emu_sim s;
    char msg[512];
    const struct emu_options *o = emu_server_options(req->server);
    memset(&c, 0, sizeof(c));
    emu_sim_init(&s);
    if (strcmp(req->method, "POST") != 0 || !parse_path(req->path, &c.op, ident, sizeof(ident))) {
        emu_reply_error(req, 404, "UnknownOperationException", "Unknown operation");
        goto out;
    }
    c.first_token_ms = o != NULL ? o->first_token_ms : 0;
    c.tokens_per_second = o != NULL ? o->tokens_per_second : 0;
    bool known = resolve(req, &c, ident);
    if (!known) {
        c.model = NULL;
        c.profile = NULL;
    }
    if (!authorize_call(req, &c, ident)) {
        goto out;
    }
    if (!known) {
        emu_reply_error(req, 400, "ValidationException",
                        "The provided model identifier is invalid.");
        goto out;
    }
    if (!model_checks(req, &c)) {
        goto out;
    }
    bool ok =
        c.op == RT_COUNT_TOKENS
            ? count_tokens_parse(req, &c, &s, msg, sizeof(msg))
            : emu_sim_parse(&s,
                            c.op == RT_CONVERSE || c.op == RT_CONVERSE_STREAM ? EMU_API_CONVERSE
                                                                              : EMU_API_INVOKE,
                            c.model->kind, req->body, req->body_len, msg, sizeof(msg));
    if (!ok) {
        client_error(req, &c, 400, "ValidationException", msg);
        goto out;
    }
    respond(req, &c, &s);
out:
    emu_sim_cleanup(&s);
}
