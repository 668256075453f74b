/*
 * fuzz/fuzz_xml.c - the expat DOM (brk_xml_parse) and its lookups over arbitrary bytes.
 * Invariant checked: a parse either fails with E_PARSE / E_LIMIT / E_NOMEM, or yields a tree
 * whose every node has a name and a text, and the lookups never crash.
 */
#include "http/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct brk_xml *x, int depth)
{
    size_t n = 0;
    for (; x != NULL; x = x->next) {
        if (x->name == NULL || x->text == NULL || depth > BRK_XML_MAX_DEPTH) {
            abort();
        }
        n += 1 + strlen(x->text) + walk(x->child, depth + 1);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_xml_parse((const char *)data, size, &doc);
    if (rc != BEDROCK_OK) {
        if (rc != BEDROCK_E_PARSE && rc != BEDROCK_E_LIMIT && rc != BEDROCK_E_NOMEM) {
            abort();
        }
        return 0;
    }
    (void)walk(doc, 1);
    static const char *const paths[] = { "Error/Code", "Errors/Error/Message",        "",
                                         "a/b/c",      "GetCallerIdentityResult/Arn", "/",
                                         "//x" };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        (void)brk_xml_text(doc, paths[i]);
    }
    brk_xml_free(doc);
    return 0;
}
