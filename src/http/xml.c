/*
 * http/xml.c - a small DOM over expat for query-protocol responses (IAM, STS, CloudWatch).
 *
 * Element names lose their namespace prefix ("ns:Arn" -> "Arn"); attributes are ignored.
 * Each node's text is its own character data, concatenated, entities decoded by expat.
 * Limits: nesting deeper than BRK_XML_MAX_DEPTH -> E_LIMIT; input or accumulated text over
 * BRK_MAX_RESPONSE_BYTES -> E_LIMIT; anything expat rejects -> E_PARSE.
 * Entities: expat's defaults only (predefined and internal, with its amplification guard);
 * external entities are never loaded (no handler is installed, parameter entities off).
 * Invariants: stack[0..depth) are the open elements, each frame's buffer collects that
 * element's text; on any failure the partial tree is freed and *out is left untouched.
 */
#include "core/alloc.h"
#include "core/limits.h"
#include "http.h"

#include <expat.h>
#include <string.h>

struct frame {
    struct brk_xml *node;
    struct brk_xml *last_child;
    struct brk_buf text;
};

struct builder {
    XML_Parser parser;
    struct brk_xml *root;
    struct frame stack[BRK_XML_MAX_DEPTH];
    int depth;
    size_t text_total;
    bedrock_code rc;
};

static void fail(struct builder *b, bedrock_code rc)
{
    if (b->rc == BEDROCK_OK) {
        b->rc = rc;
    }
    XML_StopParser(b->parser, XML_FALSE);
}

static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon != NULL ? colon + 1 : name;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct builder *b = ud;
    (void)attrs;
    if (b->rc != BEDROCK_OK) {
        return;
    }
    if (b->depth >= BRK_XML_MAX_DEPTH) {
        fail(b, BEDROCK_E_LIMIT);
        return;
    }
    struct brk_xml *node = brk_calloc(1, sizeof(*node));
    if (node == NULL) {
        fail(b, BEDROCK_E_NOMEM);
        return;
    }
    node->name = brk_strdup(local_name(name));
    if (node->name == NULL) {
        brk_free(node);
        fail(b, BEDROCK_E_NOMEM);
        return;
    }
    if (b->depth == 0) {
        b->root = node; /* expat allows a single root only */
    } else {
        struct frame *parent = &b->stack[b->depth - 1];
        if (parent->last_child == NULL) {
            parent->node->child = node;
        } else {
            parent->last_child->next = node;
        }
        parent->last_child = node;
    }
    struct frame *f = &b->stack[b->depth++];
    f->node = node;
    f->last_child = NULL;
    brk_buf_init(&f->text, BRK_MAX_RESPONSE_BYTES);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct builder *b = ud;
    (void)name;
    if (b->rc != BEDROCK_OK || b->depth == 0) {
        return;
    }
    struct frame *f = &b->stack[b->depth - 1];
    char *text = NULL;
    size_t len = 0;
    bedrock_code rc = brk_buf_take(&f->text, &text, &len);
    if (rc != BEDROCK_OK) {
        fail(b, rc);
        return;
    }
    f->node->text = text;
    b->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct builder *b = ud;
    if (b->rc != BEDROCK_OK || b->depth == 0 || len <= 0) {
        return;
    }
    if ((size_t)len > BRK_MAX_RESPONSE_BYTES - b->text_total) {
        fail(b, BEDROCK_E_LIMIT);
        return;
    }
    b->text_total += (size_t)len;
    bedrock_code rc = brk_buf_append(&b->stack[b->depth - 1].text, s, (size_t)len);
    if (rc != BEDROCK_OK) {
        fail(b, rc);
    }
}

void brk_xml_free(struct brk_xml *x)
{
    while (x != NULL) {
        struct brk_xml *next = x->next;
        brk_xml_free(x->child); /* recursion bounded by BRK_XML_MAX_DEPTH */
        brk_free(x->name);
        brk_free(x->text);
        brk_free(x);
        x = next;
    }
}

static void builder_cleanup(struct builder *b)
{
    for (int i = 0; i < b->depth; i++) {
        brk_buf_cleanup(&b->stack[i].text);
    }
    b->depth = 0;
    brk_xml_free(b->root);
    b->root = NULL;
}

bedrock_code brk_xml_parse(const char *data, size_t len, struct brk_xml **out)
{
    if (data == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    if (len > BRK_MAX_RESPONSE_BYTES) {
        return BEDROCK_E_LIMIT;
    }
    struct builder b;
    memset(&b, 0, sizeof(b));
    b.parser = XML_ParserCreate("UTF-8");
    if (b.parser == NULL) {
        return BEDROCK_E_NOMEM;
    }
    XML_SetUserData(b.parser, &b);
    XML_SetElementHandler(b.parser, on_start, on_end);
    XML_SetCharacterDataHandler(b.parser, on_text);
    XML_SetParamEntityParsing(b.parser, XML_PARAM_ENTITY_PARSING_NEVER);
    enum XML_Status st = XML_Parse(b.parser, data, (int)len, XML_TRUE);
    if (b.rc == BEDROCK_OK && st != XML_STATUS_OK) {
        b.rc =
            XML_GetErrorCode(b.parser) == XML_ERROR_NO_MEMORY ? BEDROCK_E_NOMEM : BEDROCK_E_PARSE;
    }
    if (b.rc == BEDROCK_OK && (b.root == NULL || b.depth != 0)) {
        b.rc = BEDROCK_E_PARSE;
    }
    XML_ParserFree(b.parser);
    if (b.rc != BEDROCK_OK) {
        bedrock_code rc = b.rc;
        builder_cleanup(&b);
        return rc;
    }
    *out = b.root;
    return BEDROCK_OK;
}

static const struct brk_xml *find_rec(const struct brk_xml *x, const char *path)
{
    if (*path == '\0') {
        return x;
    }
    size_t n = strcspn(path, "/");
    const char *rest = path[n] == '/' ? path + n + 1 : path + n;
    for (const struct brk_xml *c = x->child; c != NULL; c = c->next) {
        if (strlen(c->name) == n && memcmp(c->name, path, n) == 0) {
            /* first child whose subtree has the rest of the path */
            const struct brk_xml *hit = find_rec(c, rest);
            if (hit != NULL) {
                return hit;
            }
        }
    }
    return NULL;
}

const struct brk_xml *brk_xml_find(const struct brk_xml *x, const char *path)
{
    if (x == NULL || path == NULL) {
        return NULL;
    }
    return find_rec(x, path);
}

const char *brk_xml_text(const struct brk_xml *x, const char *path)
{
    const struct brk_xml *n = brk_xml_find(x, path);
    if (n == NULL) {
        return NULL;
    }
    return n->text != NULL ? n->text : "";
}
