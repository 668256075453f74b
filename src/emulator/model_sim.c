/*
 * emulator/model_sim.c - the deterministic simulated model: validates request bodies the way
 * Bedrock's schema validator words it ("Malformed input request: #: required key [messages]
 * not found, please reformat your input and try again.") and generates the reply.
 *
 * Invariants: see emu_sim.h. Only text content counts toward input tokens; every parse
 * failure leaves a message in msg and returns false; buffers are bounded (BRK_MAX_* style
 * ceilings below) and released by emu_sim_cleanup().
 */
#include "emulator/emu_sim.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SIM_TEXT_MAX    (8u * 1024 * 1024)
#define SIM_DEFAULT_MAX 4096

void emu_sim_init(struct emu_sim *s)
{
    memset(s, 0, sizeof(*s));
    brk_buf_init(&s->last_user, SIM_TEXT_MAX);
    brk_buf_init(&s->reply, 64 * 1024);
    s->max_tokens = SIM_DEFAULT_MAX;
}

void emu_sim_cleanup(struct emu_sim *s)
{
    brk_buf_cleanup(&s->last_user);
    brk_buf_cleanup(&s->reply);
}

static void malformed(char *msg, size_t msglen, const char *detail)
{
    snprintf(msg, msglen, "Malformed input request: %s, please reformat your input and try again.",
             detail);
}

/* Checks keys against the schema: required ones present, no extraneous ones. */
static bool check_keys(json_t *doc, const char *const *required, const char *const *allowed,
                       char *msg, size_t msglen)
{
    char detail[256];
    int violations = 0;
    const char *key;
    json_t *v;
    detail[0] = '\0';
    for (size_t i = 0; required[i] != NULL; i++) {
        if (json_object_get(doc, required[i]) == NULL) {
            if (violations++ == 0) {
                snprintf(detail, sizeof(detail), "#: required key [%s] not found", required[i]);
            }
        }
    }
    json_object_foreach(doc, key, v)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i] != NULL && !ok; i++) {
            ok = strcmp(allowed[i], key) == 0;
        }
        if (!ok && violations++ == 0) {
            snprintf(detail, sizeof(detail), "#: extraneous key [%s] is not permitted", key);
        }
    }
    if (violations > 1) {
        snprintf(detail, sizeof(detail), "#: %d schema violations found", violations);
    }
    if (violations > 0) {
        malformed(msg, msglen, detail);
        return false;
    }
    return true;
}

static const char *json_type_word(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "JSONObject";
    case JSON_ARRAY:
        return "JSONArray";
    case JSON_STRING:
        return "String";
    case JSON_INTEGER:
        return "Integer";
    case JSON_REAL:
        return "BigDecimal";
    case JSON_TRUE:
    case JSON_FALSE:
        return "Boolean";
    case JSON_NULL:
    default:
        return "Null";
    }
}

static bool want_type(json_t *v, json_type t, const char *path, const char *word, char *msg,
                      size_t msglen)
{
    char detail[256];
    if (v == NULL || json_typeof(v) == t) {
        return true;
    }
    snprintf(detail, sizeof(detail), "#/%s: expected type: %s, found: %s", path, word,
             json_type_word(v));
    malformed(msg, msglen, detail);
    return false;
}

static bool add_text(struct emu_sim *s, const char *text, size_t len, bool user)
{
    s->prompt_bytes += len;
    if (user) {
        brk_buf_reset(&s->last_user);
        return brk_buf_append(&s->last_user, text, len) == BEDROCK_OK;
    }
    return true;
}

static void finish_input(struct emu_sim *s)
{
    s->input_tokens = (long)((s->prompt_bytes + 3) / 4);
    if (s->input_tokens < 1) {
        s->input_tokens = 1;
    }
}

/* Anthropic content: a string or an array of {type:text,text} (other blocks count 0). */
static bool anthropic_content(struct emu_sim *s, json_t *content, size_t idx, bool user, char *msg,
                              size_t msglen)
{
    if (json_is_string(content)) {
        return add_text(s, json_string_value(content), json_string_length(content), user);
    }
    if (!json_is_array(content)) {
        snprintf(msg, msglen, "messages.%zu.content: Input should be a valid list", idx);
        return false;
    }
    size_t i;
    json_t *b;
    json_array_foreach(content, i, b)
    {
        json_t *t = json_object_get(b, "text");
        const char *type = json_string_value(json_object_get(b, "type"));
        if (type == NULL) {
            snprintf(msg, msglen, "messages.%zu.content.%zu.type: Field required", idx, i);
            return false;
        }
        if (strcmp(type, "text") == 0 && json_is_string(t) &&
            !add_text(s, json_string_value(t), json_string_length(t), user)) {
            snprintf(msg, msglen, "Input is too long for requested model.");
            return false;
        }
    }
    return true;
}

static bool anthropic_system(struct emu_sim *s, json_t *sys)
{
    if (json_is_string(sys)) {
        s->prompt_bytes += json_string_length(sys);
        return true;
    }
    size_t i;
    json_t *b;
    json_array_foreach(sys, i, b)
    {
        s->prompt_bytes += json_string_length(json_object_get(b, "text"));
    }
    return true;
}

static bool parse_anthropic(struct emu_sim *s, json_t *doc, char *msg, size_t msglen)
{
    static const char *const req[] = { "anthropic_version", "max_tokens", "messages", NULL };
    static const char *const allowed[] = {
        "anthropic_version", "anthropic_beta", "max_tokens", "messages", "system",
        "stop_sequences",    "temperature",    "top_p",      "top_k",    "tools",
        "tool_choice",       "metadata",       "thinking",   NULL
    };
    if (!check_keys(doc, req, allowed, msg, msglen) ||
        !want_type(json_object_get(doc, "max_tokens"), JSON_INTEGER, "max_tokens", "Integer", msg,
                   msglen) ||
        !want_type(json_object_get(doc, "messages"), JSON_ARRAY, "messages", "JSONArray", msg,
                   msglen) ||
        !want_type(json_object_get(doc, "anthropic_version"), JSON_STRING, "anthropic_version",
                   "String", msg, msglen)) {
        return false;
    }
    json_t *msgs = json_object_get(doc, "messages");
    s->max_tokens = (long)json_integer_value(json_object_get(doc, "max_tokens"));
    if (s->max_tokens < 1) {
        snprintf(msg, msglen, "max_tokens: range: 1..");
        return false;
    }
    if (json_array_size(msgs) == 0) {
        snprintf(msg, msglen, "messages: at least one message is required");
        return false;
    }
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m)
    {
        const char *role = json_string_value(json_object_get(m, "role"));
        if (role == NULL || (strcmp(role, "user") != 0 && strcmp(role, "assistant") != 0)) {
            snprintf(msg, msglen, "messages.%zu.role: Input should be 'user' or 'assistant'", i);
            return false;
        }
        if (!anthropic_content(s, json_object_get(m, "content"), i, strcmp(role, "user") == 0, msg,
                               msglen)) {
            return false;
        }
    }
    (void)anthropic_system(s, json_object_get(doc, "system"));
    finish_input(s);
    return true;
}

bool emu_sim_parse_converse(struct emu_sim *s, json_t *doc, char *msg, size_t msglen)
{
    json_t *msgs = json_object_get(doc, "messages");
    json_t *first = json_array_get(msgs, 0);
    const char *role0 = json_string_value(json_object_get(first, "role"));
    if (role0 == NULL || strcmp(role0, "user") != 0) {
        snprintf(msg, msglen,
                 "A conversation must start with a user message. Try again with a "
                 "conversation that starts with a user message.");
        return false;
    }
    size_t i, j;
    json_t *m, *b;
    json_array_foreach(msgs, i, m)
    {
        const char *role = json_string_value(json_object_get(m, "role"));
        bool user = role != NULL && strcmp(role, "user") == 0;
        json_array_foreach(json_object_get(m, "content"), j, b)
        {
            json_t *t = json_object_get(b, "text");
            if (json_is_string(t) &&
                !add_text(s, json_string_value(t), json_string_length(t), user)) {
                snprintf(msg, msglen, "Input is too long for requested model.");
                return false;
            }
        }
    }
    json_array_foreach(json_object_get(doc, "system"), i, b)
    {
        s->prompt_bytes += json_string_length(json_object_get(b, "text"));
    }
    json_t *mt = json_object_get(json_object_get(doc, "inferenceConfig"), "maxTokens");
    if (json_is_integer(mt)) {
        s->max_tokens = (long)json_integer_value(mt);
        if (s->max_tokens < 1) {
            snprintf(msg, msglen,
                     "The maximum tokens you requested exceeds the model limit "
                     "or is below 1. Try again with a valid value.");
            return false;
        }
    }
    finish_input(s);
    return true;
}

/* Single-prompt bodies: Titan ({inputText, textGenerationConfig.maxTokenCount}), Llama
 * ({prompt, max_gen_len}), Mistral ({prompt, max_tokens}), Cohere ({message, max_tokens}),
 * Titan embeddings ({inputText}). */
static bool parse_prompt_kind(struct emu_sim *s, const char *kind, json_t *doc, char *msg,
                              size_t msglen)
{
    const char *pkey = "prompt";
    json_t *mt = json_object_get(doc, "max_tokens");
    if (strcmp(kind, "titan") == 0 || strcmp(kind, "titan-embed") == 0) {
        pkey = "inputText";
        mt = json_object_get(json_object_get(doc, "textGenerationConfig"), "maxTokenCount");
        s->embedding = strcmp(kind, "titan-embed") == 0;
    } else if (strcmp(kind, "llama") == 0) {
        mt = json_object_get(doc, "max_gen_len");
    } else if (strcmp(kind, "cohere") == 0) {
        pkey = "message";
    }
    json_t *p = json_object_get(doc, pkey);
    if (!json_is_string(p)) {
        char detail[128];
        snprintf(detail, sizeof(detail), "#: required key [%s] not found", pkey);
        malformed(msg, msglen, detail);
        return false;
    }
    if (!add_text(s, json_string_value(p), json_string_length(p), true)) {
        snprintf(msg, msglen, "Input is too long for requested model.");
        return false;
    }
    if (json_is_integer(mt) && json_integer_value(mt) > 0) {
        s->max_tokens = (long)json_integer_value(mt);
    }
    finish_input(s);
    return true;
}

static bool parse_nova(struct emu_sim *s, json_t *doc, char *msg, size_t msglen)
{
    if (json_object_get(doc, "messages") == NULL) {
        malformed(msg, msglen, "#: required key [messages] not found");
        return false;
    }
    return emu_sim_parse_converse(s, doc, msg, msglen);
}

bool emu_sim_parse(struct emu_sim *s, enum emu_sim_api api, const char *kind, const void *body,
                   size_t len, char *msg, size_t msglen)
{
    json_error_t err;
    json_t *doc = len > 0 ? json_loadb(body, len, 0, &err) : NULL;
    bool ok = false;
    if (!json_is_object(doc)) {
        if (api == EMU_API_CONVERSE) {
            snprintf(msg, msglen, "The request body is not valid JSON.");
        } else {
            malformed(msg, msglen, "expected a JSON object body");
        }
        goto out;
    }
    if (api == EMU_API_CONVERSE) {
        ok = emu_sim_parse_converse(s, doc, msg, msglen);
    } else if (strcmp(kind, "anthropic") == 0) {
        ok = parse_anthropic(s, doc, msg, msglen);
    } else if (strcmp(kind, "nova") == 0) {
        ok = parse_nova(s, doc, msg, msglen);
    } else {
        ok = parse_prompt_kind(s, kind, doc, msg, msglen);
    }
out:
    json_decref(doc);
    return ok;
}

/* Append the next word of src (starting at *pos) as one token. */
static bool add_token(struct emu_sim *s, const char *word, size_t len)
{
    if (s->n_tokens >= EMU_SIM_MAX_TOKENS || (long)s->n_tokens >= s->max_tokens) {
        s->hit_max = (long)s->n_tokens >= s->max_tokens;
        return false;
    }
    s->tok_off[s->n_tokens] = s->reply.len;
    bool ok = (s->reply.len == 0 || brk_buf_append_char(&s->reply, ' ') == BEDROCK_OK) &&
              brk_buf_append(&s->reply, word, len) == BEDROCK_OK;
    if (ok) {
        s->n_tokens++;
        s->tok_off[s->n_tokens] = s->reply.len;
    }
    return ok;
}

static bool add_words(struct emu_sim *s, const char *text, size_t len, size_t max_words)
{
    size_t i = 0, words = 0;
    while (i < len && words < max_words) {
        while (i < len &&
               (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')) {
            i++;
        }
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' && text[i] != '\r') {
            i++;
        }
        if (i > start) {
            if (!add_token(s, text + start, i - start)) {
                return false;
            }
            words++;
        }
    }
    return true;
}

void emu_sim_generate(struct emu_sim *s, const char *model_name)
{
    char tail[160];
    const char *u = s->last_user.data != NULL ? s->last_user.data : "";
    brk_buf_reset(&s->reply);
    s->n_tokens = 0;
    s->hit_max = false;
    snprintf(tail, sizeof(tail), "(simulated reply from %s)", model_name);
    bool ok = add_words(s, "Hello! You said:", 16, 3) && add_words(s, u, strlen(u), 12) &&
              add_words(s, tail, strlen(tail), 16);
    (void)ok; /* stops at max_tokens; hit_max records it */
}

void emu_sim_anthropic_model(const char *model_id, char *out, size_t cap)
{
    const char *p = strncmp(model_id, "anthropic.", 10) == 0 ? model_id + 10 : model_id;
    const char *v = strstr(p, "-v");
    size_t len = v != NULL ? (size_t)(v - p) : strlen(p);
    snprintf(out, cap, "%.*s", (int)len, p);
}
