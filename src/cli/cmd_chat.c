/*
 * cli/cmd_chat.c - `bedrockctl chat [PROMPT]`: stream a model's reply to stdout token by token
 * (fflush after every delta). ConverseStream by default; --api invoke sends an Anthropic
 * Messages body through InvokeModelWithResponseStream.
 *
 * Prompt: the arguments, else stdin when it is not a terminal, else an interactive
 * conversation ("> " prompt, /exit or Ctrl-D to leave) that keeps the history.
 * Invariant: the history owns every string (user lines and collected replies) until the end;
 * --usage writes tokens and latency to stderr, never to the reply stream.
 */
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "cli.h"

#include <bedrock/runtime.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHAT_MAX_TURNS 256

struct chat_opts {
    const char *model;
    const char *system;
    struct brk_num max_tokens;
    struct brk_num temperature;
    const char *api;
    bool usage;
    bool auto_profile;
};

static const struct brk_opt chat_options[] = {
    BRK_OPT_STR(struct chat_opts, model, "--model", "ID",
                "model id or inference profile (default: BEDROCK_MODEL_ID, profile "
                "bedrock_model_id, " BRK_CLI_DEFAULT_MODEL ")"),
    BRK_OPT_STR(struct chat_opts, system, "--system", "S", "system prompt"),
    BRK_OPT_LONG(struct chat_opts, max_tokens, "--max-tokens", "N", "reply length limit"),
    BRK_OPT_DOUBLE(struct chat_opts, temperature, "--temperature", "T", "0..1"),
    BRK_OPT_STR(struct chat_opts, api, "--api", "converse|invoke",
                "ConverseStream (default) or InvokeModelWithResponseStream"),
    BRK_OPT_FLAG(struct chat_opts, usage, "--usage", "print tokens and latency on stderr"),
    BRK_OPT_FLAG(struct chat_opts, auto_profile, "--auto-profile",
                 "if the model needs an inference profile, use the region's one"),
    BRK_OPT_END,
};

struct chat {
    struct brk_cli *cli;
    const struct chat_opts *o;
    struct bedrock_client *client;
    const char *model;
    bool invoke_api;
    struct bedrock_message msgs[CHAT_MAX_TURNS];
    char *owned[CHAT_MAX_TURNS];
    size_t n;
    struct brk_buf reply;
    struct timespec start;
    long first_ms;
};

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* The text of an Anthropic content_block_delta, when the library did not extract it. */
static bedrock_code delta_text(const struct bedrock_stream_event *ev, struct brk_buf *out)
{
    json_t *v = json_loadb(ev->json, ev->json_len, 0, NULL);
    const char *t = NULL;
    if (v != NULL) {
        json_t *d = json_object_get(v, "delta");
        t = json_string_value(json_object_get(d != NULL ? d : v, "text"));
    }
    bedrock_code rc = t != NULL ? brk_buf_append_str(out, t) : BEDROCK_OK;
    json_decref(v);
    return rc;
}

static bedrock_code on_delta(void *vctx, const struct bedrock_stream_event *ev)
{
    struct chat *c = vctx;
    size_t before = c->reply.len;
    bedrock_code rc = ev->text != NULL ? brk_buf_append(&c->reply, ev->text, ev->text_len)
                      : c->invoke_api  ? delta_text(ev, &c->reply)
                                       : BEDROCK_OK;
    if (rc != BEDROCK_OK || c->reply.len == before) {
        return rc;
    }
    if (c->first_ms < 0) {
        c->first_ms = ms_since(&c->start);
    }
    FILE *f = c->cli->out;
    if (fwrite(c->reply.data + before, 1, c->reply.len - before, f) != c->reply.len - before ||
        fflush(f) != 0) {
        return BEDROCK_E_IO;
    }
    return BEDROCK_OK;
}

/* {"anthropic_version":..., "max_tokens":N, "system":S, "messages":[...]} */
static char *anthropic_body(const struct chat *c)
{
    json_t *msgs = json_array();
    for (size_t i = 0; msgs != NULL && i < c->n; i++) {
        json_array_append_new(msgs, json_pack("{s:s,s:[{s:s,s:s}]}", "role", c->msgs[i].role,
                                              "content", "type", "text", "text", c->msgs[i].text));
    }
    json_t *v =
        json_pack("{s:s,s:I,s:o}", "anthropic_version", "bedrock-2023-05-31", "max_tokens",
                  (json_int_t)(c->o->max_tokens.set ? c->o->max_tokens.l : 1024), "messages", msgs);
    if (v != NULL && c->o->system != NULL) {
        json_object_set_new(v, "system", json_string(c->o->system));
    }
    if (v != NULL && c->o->temperature.set) {
        json_object_set_new(v, "temperature", json_real(c->o->temperature.d));
    }
    char *s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    return s;
}

static void print_usage(const struct chat *c, const struct bedrock_usage *u)
{
    fprintf(c->cli->err,
            "[%s: input %ld tokens, output %ld tokens, latency %ld ms, "
            "first token %ld ms, total %ld ms%s%s]\n",
            c->model, u->input_tokens, u->output_tokens, u->latency_ms,
            u->first_byte_ms >= 0 ? u->first_byte_ms : c->first_ms, ms_since(&c->start),
            u->stop_reason[0] ? ", stop " : "", u->stop_reason);
}

/* One turn: the history ends with the user's message; the reply is appended to it. */
static bedrock_code turn(struct chat *c, struct bedrock_error *err)
{
    struct bedrock_usage u;
    memset(&u, 0, sizeof(u));
    u.input_tokens = u.output_tokens = u.latency_ms = u.first_byte_ms = -1;
    brk_buf_reset(&c->reply);
    c->first_ms = -1;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    bedrock_code rc;
    if (c->invoke_api) {
        char *body = anthropic_body(c);
        if (body == NULL) {
            bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory");
            return BEDROCK_E_NOMEM;
        }
        struct bedrock_invoke_request req = { c->model, body, strlen(body), NULL, NULL };
        rc = bedrock_runtime_invoke_stream(c->client, &req, on_delta, c, &u, err);
        free(body);
    } else {
        struct bedrock_converse_request req = { c->model,
                                                c->o->system,
                                                c->msgs,
                                                c->n,
                                                c->o->max_tokens.set ? (int)c->o->max_tokens.l : 0,
                                                c->o->temperature.set ? c->o->temperature.d : -1.0,
                                                NULL };
        rc = bedrock_runtime_converse_stream(c->client, &req, on_delta, c, &u, err);
    }
    if (c->reply.len > 0 && c->reply.data[c->reply.len - 1] != '\n') {
        fputc('\n', c->cli->out);
        fflush(c->cli->out);
    }
    if (rc != BEDROCK_OK) {
        return rc;
    }
    if (c->o->usage) {
        print_usage(c, &u);
    }
    if (c->n + 1 >= CHAT_MAX_TURNS) {
        return BEDROCK_OK;
    }
    char *text = brk_strndup(c->reply.data != NULL ? c->reply.data : "", c->reply.len);
    if (text == NULL) {
        return BEDROCK_E_NOMEM;
    }
    c->owned[c->n] = text;
    c->msgs[c->n++] = (struct bedrock_message){ "assistant", text };
    return BEDROCK_OK;
}

static bedrock_code add_user(struct chat *c, char *text)
{
    if (c->n + 2 >= CHAT_MAX_TURNS) {
        brk_free(text);
        return BEDROCK_E_LIMIT;
    }
    c->owned[c->n] = text;
    c->msgs[c->n++] = (struct bedrock_message){ "user", text };
    return BEDROCK_OK;
}

static int interactive(struct chat *c)
{
    struct bedrock_error err;
    char *line = NULL;
    size_t cap = 0;
    int status = 0;
    for (;;) {
        fputs("> ", c->cli->out);
        fflush(c->cli->out);
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) {
            fputc('\n', c->cli->out);
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
            line[--n] = '\0';
        }
        if (strcmp(line, "/exit") == 0 || strcmp(line, "/quit") == 0) {
            break;
        }
        if (n == 0) {
            continue;
        }
        char *copy = brk_strdup(line);
        bedrock_error_clear(&err);
        if (copy == NULL || add_user(c, copy) != BEDROCK_OK) {
            bedrock_error_set(&err, BEDROCK_E_LIMIT, "the conversation is too long");
            status = brk_cli_fail(c->cli, &err);
            break;
        }
        if (turn(c, &err) != BEDROCK_OK) {
            /* keep the conversation: drop the failed question, report, go on */
            brk_free(c->owned[--c->n]);
            status = brk_cli_fail(c->cli, &err);
        }
    }
    free(line);
    return status;
}

static char *join_args(int argc, const char *const *argv)
{
    struct brk_buf b = BRK_BUF(BRK_MAX_REQUEST_BYTES);
    char *s = NULL;
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        if ((i > 0 && brk_buf_append_char(&b, ' ') != BEDROCK_OK) ||
            brk_buf_append_str(&b, argv[i]) != BEDROCK_OK) {
            brk_buf_cleanup(&b);
            return NULL;
        }
    }
    if (brk_buf_take(&b, &s, &len) != BEDROCK_OK) {
        s = NULL;
    }
    brk_buf_cleanup(&b);
    return s;
}

static int run_chat(struct brk_cli *cli, void *vopts, int argc, const char *const *argv)
{
    const struct chat_opts *o = vopts;
    if (o->api != NULL && strcmp(o->api, "converse") != 0 && strcmp(o->api, "invoke") != 0) {
        return brk_cli_usage(cli, "--api must be converse or invoke, not '%s'", o->api);
    }
    struct chat *c = brk_calloc(1, sizeof(*c));
    if (c == NULL) {
        return 1;
    }
    struct bedrock_error err;
    bedrock_error_clear(&err);
    int status = 0;
    c->cli = cli;
    c->o = o;
    c->invoke_api = o->api != NULL && strcmp(o->api, "invoke") == 0;
    brk_buf_init(&c->reply, BRK_MAX_RESPONSE_BYTES);
    if (brk_cli_client(cli, &c->client, &err) != BEDROCK_OK) {
        status = brk_cli_fail(cli, &err);
        goto out;
    }
    bedrock_client_set_auto_profile(c->client, o->auto_profile);
    c->model = o->model != NULL ? o->model : brk_cli_default_model(cli);
    if (argc == 0 && isatty(STDIN_FILENO)) {
        status = interactive(c);
        goto out;
    }
    char *prompt = NULL;
    size_t plen = 0;
    if (argc > 0) {
        prompt = join_args(argc, argv);
    } else if (brk_cli_read_file("-", BRK_MAX_REQUEST_BYTES, &prompt, &plen, &err) != BEDROCK_OK) {
        status = brk_cli_fail(cli, &err);
        goto out;
    }
    if (prompt == NULL || add_user(c, prompt) != BEDROCK_OK || turn(c, &err) != BEDROCK_OK) {
        if (err.code == BEDROCK_OK) {
            bedrock_error_set(&err, BEDROCK_E_NOMEM, "out of memory");
        }
        status = brk_cli_fail(cli, &err);
    }
out:
    for (size_t i = 0; i < c->n; i++) {
        brk_free(c->owned[i]);
    }
    brk_buf_cleanup(&c->reply);
    brk_free(c);
    return status;
}

const struct brk_cli_command brk_cmd_chat = {
    .name = "chat",
    .summary = "chat with a model, streaming the reply as it is generated",
    .usage = "[--model ID] [--system S] [--max-tokens N] [--temperature T] "
             "[--api converse|invoke] [--usage] [--auto-profile] [PROMPT]",
    .description =
        "The prompt is the arguments, else stdin when it is piped; on a terminal with no\n"
        "prompt, chat is interactive: type at the '> ' prompt, /exit or Ctrl-D to leave; the\n"
        "conversation keeps its history. The default model is BEDROCK_MODEL_ID, else the\n"
        "profile's bedrock_model_id, else " BRK_CLI_DEFAULT_MODEL ".",
    .opts = chat_options,
    .opts_size = sizeof(struct chat_opts),
    .run = run_chat,
    .min_args = 0,
    .max_args = -1,
};
