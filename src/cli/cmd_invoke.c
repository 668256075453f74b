/*
 * cli/cmd_invoke.c - `bedrockctl invoke --model ID (--body JSON | --body-file F) [--stream]
 * [OUTFILE]`, like `aws bedrock-runtime invoke-model`: the response body goes to OUTFILE (or
 * stdout), the metadata (content type, tokens, latency, request id) as JSON to stdout when the
 * body went to a file (as the AWS CLI does), else to stderr. --stream uses
 * InvokeModelWithResponseStream and writes each event's JSON on its own line as it arrives.
 */
#include "../core/alloc.h"
#include "../core/limits.h"
#include "cli.h"

#include <bedrock/runtime.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct invoke_opts {
    const char *model;
    const char *body;
    const char *body_file;
    const char *content_type;
    const char *accept;
    bool stream;
    bool auto_profile;
};

static const struct brk_opt invoke_options[] = {
    BRK_OPT_STR(struct invoke_opts, model, "--model", "ID",
                "model id, ARN or inference profile (default: BEDROCK_MODEL_ID / profile "
                "bedrock_model_id / " BRK_CLI_DEFAULT_MODEL ")"),
    BRK_OPT_STR(struct invoke_opts, body, "--body", "JSON", "the model's native request JSON"),
    BRK_OPT_STR(struct invoke_opts, body_file, "--body-file", "F",
                "request body from a file (- = stdin)"),
    BRK_OPT_STR(struct invoke_opts, content_type, "--content-type", "T",
                "default application/json"),
    BRK_OPT_STR(struct invoke_opts, accept, "--accept", "T", "default application/json"),
    BRK_OPT_FLAG(struct invoke_opts, stream, "--stream",
                 "InvokeModelWithResponseStream: one event JSON per line as it arrives"),
    BRK_OPT_FLAG(struct invoke_opts, auto_profile, "--auto-profile",
                 "if the model needs an inference profile, retry through the region's one"),
    BRK_OPT_END,
};

static json_t *usage_json(const struct bedrock_usage *u, const char *content_type,
                          const char *request_id)
{
    json_t *v = json_object();
    if (v == NULL) {
        return NULL;
    }
    if (content_type != NULL && content_type[0] != '\0') {
        json_object_set_new(v, "contentType", json_string(content_type));
    }
    if (u->input_tokens >= 0) {
        json_object_set_new(v, "inputTokens", json_integer(u->input_tokens));
    }
    if (u->output_tokens >= 0) {
        json_object_set_new(v, "outputTokens", json_integer(u->output_tokens));
    }
    if (u->latency_ms >= 0) {
        json_object_set_new(v, "latencyMs", json_integer(u->latency_ms));
    }
    if (u->first_byte_ms >= 0) {
        json_object_set_new(v, "firstByteLatencyMs", json_integer(u->first_byte_ms));
    }
    if (u->stop_reason[0] != '\0') {
        json_object_set_new(v, "stopReason", json_string(u->stop_reason));
    }
    if (request_id != NULL && request_id[0] != '\0') {
        json_object_set_new(v, "requestId", json_string(request_id));
    }
    return v;
}

static void print_meta(struct brk_cli *cli, bool to_file, const json_t *meta)
{
    if (meta == NULL) {
        return;
    }
    if (to_file || cli->output_given) {
        brk_cli_print(cli, meta, "InvokeModel");
    } else {
        brk_cli_print_json(cli->err, meta);
    }
}

struct stream_ctx {
    FILE *f;
};

static bedrock_code on_event(void *vctx, const struct bedrock_stream_event *ev)
{
    struct stream_ctx *ctx = vctx;
    if (fwrite(ev->json, 1, ev->json_len, ctx->f) != ev->json_len || fputc('\n', ctx->f) == EOF ||
        fflush(ctx->f) != 0) {
        return BEDROCK_E_IO;
    }
    return BEDROCK_OK;
}

static int do_invoke(struct brk_cli *cli, const struct invoke_opts *o,
                     struct bedrock_client *client, const struct bedrock_invoke_request *req,
                     FILE *f, bool to_file)
{
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (o->stream) {
        struct stream_ctx ctx = { f };
        struct bedrock_usage u;
        memset(&u, 0, sizeof(u));
        if (bedrock_runtime_invoke_stream(client, req, on_event, &ctx, &u, &err) != BEDROCK_OK) {
            return brk_cli_fail(cli, &err);
        }
        json_t *meta = usage_json(&u, NULL, NULL);
        print_meta(cli, to_file, meta);
        json_decref(meta);
        return 0;
    }
    struct bedrock_invoke_response resp;
    memset(&resp, 0, sizeof(resp));
    if (bedrock_runtime_invoke(client, req, &resp, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    int status = 0;
    if (fwrite(resp.body, 1, resp.body_len, f) != resp.body_len || fflush(f) != 0) {
        bedrock_error_set(&err, BEDROCK_E_IO, "cannot write the response body: %s",
                          strerror(errno));
        status = brk_cli_fail(cli, &err);
    } else {
        if (!to_file && resp.body_len > 0 && resp.body[resp.body_len - 1] != '\n' &&
            isatty(fileno(f))) {
            fputc('\n', f);
        }
        json_t *meta = usage_json(&resp.usage, resp.content_type, resp.request_id);
        print_meta(cli, to_file, meta);
        json_decref(meta);
    }
    bedrock_invoke_response_cleanup(&resp);
    return status;
}

static int run_invoke(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    const struct invoke_opts *o = vopts;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if ((o->body == NULL) == (o->body_file == NULL)) {
        return brk_cli_usage(cli, "give the request body with --body JSON or --body-file F");
    }
    char *file_body = NULL;
    size_t file_len = 0;
    if (o->body_file != NULL && brk_cli_read_file(o->body_file, BRK_MAX_REQUEST_BYTES, &file_body,
                                                  &file_len, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    struct bedrock_client *client = NULL;
    int status = 0;
    FILE *f = cli->out;
    if (brk_cli_client(cli, &client, &err) != BEDROCK_OK) {
        status = brk_cli_fail(cli, &err);
        goto out;
    }
    bedrock_client_set_auto_profile(client, o->auto_profile);
    if (argc > 0 && strcmp(argv[0], "-") != 0) {
        f = fopen(argv[0], "wb");
        if (f == NULL) {
            bedrock_error_set(&err, BEDROCK_E_INVALID_ARG, "cannot write %s: %s", argv[0],
                              strerror(errno));
            status = brk_cli_fail(cli, &err);
            goto out;
        }
    }
    struct bedrock_invoke_request req = { o->model != NULL ? o->model : brk_cli_default_model(cli),
                                          o->body != NULL ? o->body : file_body,
                                          o->body != NULL ? strlen(o->body) : file_len,
                                          o->content_type, o->accept };
    status = do_invoke(cli, o, client, &req, f, f != cli->out);
    if (f != cli->out && fclose(f) != 0 && status == 0) {
        bedrock_error_set(&err, BEDROCK_E_IO, "cannot write %s: %s", argv[0], strerror(errno));
        status = brk_cli_fail(cli, &err);
    }
out:
    brk_free(file_body);
    return status;
}

const struct brk_cli_command brk_cmd_invoke = {
    .name = "invoke",
    .summary = "invoke a model with its native request body (InvokeModel, or --stream)",
    .usage = "--model ID (--body JSON | --body-file F) [--stream] [--auto-profile] [OUTFILE]",
    .description =
        "Writes the response body to OUTFILE (or stdout). The metadata (contentType,\n"
        "inputTokens, outputTokens, latencyMs, requestId) is printed as JSON on stdout when\n"
        "the body goes to OUTFILE, else on stderr. With --stream each event's JSON is written\n"
        "on its own line as it arrives.",
    .opts = invoke_options,
    .opts_size = sizeof(struct invoke_opts),
    .run = run_invoke,
    .min_args = 0,
    .max_args = 1,
};
