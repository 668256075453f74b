/* tests/unit/test_xml.c - the expat DOM: real AWS responses, namespaces, entities, limits,
 * malformed input (exact codes), and allocation failure without leaks. */
#include "core/alloc.h"
#include "http/http.h"

/* cmocka.h needs these first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <string.h>

static const char gci[] =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <GetCallerIdentityResult>\n"
    "    <Arn>arn:aws:iam::123456789012:user/bedrock-app</Arn>\n"
    "    <UserId>AIDAEXAMPLEUSERID0001</UserId>\n"
    "    <Account>123456789012</Account>\n"
    "  </GetCallerIdentityResult>\n"
    "  <ResponseMetadata>\n"
    "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
    "  </ResponseMetadata>\n"
    "</GetCallerIdentityResponse>\n";

static struct brk_xml *parse_ok(const char *s)
{
    struct brk_xml *doc = NULL;
    assert_int_equal(brk_xml_parse(s, strlen(s), &doc), BEDROCK_OK);
    assert_non_null(doc);
    return doc;
}

static void get_caller_identity(void **state)
{
    (void)state;
    struct brk_xml *doc = parse_ok(gci);
    assert_string_equal(doc->name, "GetCallerIdentityResponse");
    assert_string_equal(brk_xml_text(doc, "GetCallerIdentityResult/Arn"),
                        "arn:aws:iam::123456789012:user/bedrock-app");
    assert_string_equal(brk_xml_text(doc, "GetCallerIdentityResult/Account"), "123456789012");
    assert_string_equal(brk_xml_text(doc, "ResponseMetadata/RequestId"),
                        "01234567-89ab-cdef-0123-456789abcdef");
    assert_null(brk_xml_text(doc, "GetCallerIdentityResult/Nope"));
    assert_null(brk_xml_find(doc, "Nope/Arn"));
    assert_ptr_equal(brk_xml_find(doc, ""), doc);
    /* children in document order */
    const struct brk_xml *r = brk_xml_find(doc, "GetCallerIdentityResult");
    assert_string_equal(r->child->name, "Arn");
    assert_string_equal(r->child->next->name, "UserId");
    assert_string_equal(r->child->next->next->name, "Account");
    assert_null(r->child->next->next->next);
    brk_xml_free(doc);
}

static void list_members_and_backtracking(void **state)
{
    (void)state;
    /* IAM ListAccessKeys: repeated <member>; find() picks the first subtree that matches */
    struct brk_xml *doc =
        parse_ok("<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata>"
                 "<member><UserName>bob</UserName><Status>Active</Status></member>"
                 "<member><UserName>bob</UserName><AccessKeyId>AKIDEXAMPLE2</AccessKeyId></member>"
                 "</AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult>"
                 "</ListAccessKeysResponse>");
    assert_string_equal(brk_xml_text(doc, "ListAccessKeysResult/AccessKeyMetadata/member/Status"),
                        "Active");
    assert_string_equal(
        brk_xml_text(doc, "ListAccessKeysResult/AccessKeyMetadata/member/AccessKeyId"),
        "AKIDEXAMPLE2");
    int n = 0;
    for (const struct brk_xml *m =
             brk_xml_find(doc, "ListAccessKeysResult/AccessKeyMetadata")->child;
         m != NULL; m = m->next) {
        n++;
    }
    assert_int_equal(n, 2);
    brk_xml_free(doc);
}

static void namespaces_entities_cdata(void **state)
{
    (void)state;
    struct brk_xml *doc = parse_ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                   "<p:Root xmlns:p=\"urn:x\"><p:Msg>a &amp; b &lt;c&gt; &#65;"
                                   "&#x263A;</p:Msg><Empty/><C><![CDATA[<raw>&amp;]]></C>"
                                   "</p:Root>");
    assert_string_equal(doc->name, "Root");
    assert_string_equal(brk_xml_text(doc, "Msg"), "a & b <c> A\xe2\x98\xba");
    assert_string_equal(brk_xml_text(doc, "Empty"), "");
    assert_string_equal(brk_xml_text(doc, "C"), "<raw>&amp;");
    brk_xml_free(doc);
}

struct bad_case {
    const char *name;
    const char *xml;
    bedrock_code want;
};

static const struct bad_case bad_cases[] = {
    { "empty", "", BEDROCK_E_PARSE },
    { "only whitespace", "  \n ", BEDROCK_E_PARSE },
    { "truncated", "<ErrorResponse><Error><Code>Thr", BEDROCK_E_PARSE },
    { "mismatched", "<a><b></a></b>", BEDROCK_E_PARSE },
    { "two roots", "<a/><b/>", BEDROCK_E_PARSE },
    { "undefined entity", "<a>&nope;</a>", BEDROCK_E_PARSE },
    { "not xml", "{\"message\":\"json\"}", BEDROCK_E_PARSE },
    { "bad utf8", "<a>\xff\xfe</a>", BEDROCK_E_PARSE },
    { "nul byte", "<a>x\0y</a>", BEDROCK_E_PARSE },
};

static void malformed_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        size_t len = strcmp(c->name, "nul byte") == 0 ? 10 : strlen(c->xml);
        struct brk_xml *doc = (struct brk_xml *)0x1;
        bedrock_code rc = brk_xml_parse(c->xml, len, &doc);
        if (rc != c->want) {
            fail_msg("case '%s': got %s", c->name, bedrock_code_name(rc));
        }
        assert_ptr_equal(doc, (struct brk_xml *)0x1); /* untouched on failure */
    }
}

static char *nested(int depth)
{
    char *s = brk_malloc((size_t)depth * 7 + 1);
    assert_non_null(s);
    size_t n = 0;
    for (int i = 0; i < depth; i++) {
        memcpy(s + n, "<a>", 3);
        n += 3;
    }
    for (int i = 0; i < depth; i++) {
        memcpy(s + n, "</a>", 4);
        n += 4;
    }
    s[n] = '\0';
    return s;
}

static void depth_limit(void **state)
{
    (void)state;
    char *ok = nested(BRK_XML_MAX_DEPTH);
    struct brk_xml *doc = NULL;
    assert_int_equal(brk_xml_parse(ok, strlen(ok), &doc), BEDROCK_OK);
    brk_xml_free(doc);
    brk_free(ok);
    char *deep = nested(BRK_XML_MAX_DEPTH + 1);
    doc = NULL;
    assert_int_equal(brk_xml_parse(deep, strlen(deep), &doc), BEDROCK_E_LIMIT);
    assert_null(doc);
    brk_free(deep);
}

static void no_external_entities(void **state)
{
    (void)state;
    /* an external entity is never fetched: its reference expands to nothing */
    static const char ext[] = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                              "\"file:///etc/hostname\">]><r>[&x;]</r>";
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_xml_parse(ext, strlen(ext), &doc);
    if (rc == BEDROCK_OK) {
        assert_string_equal(doc->text, "[]");
        brk_xml_free(doc);
    } else {
        assert_int_equal(rc, BEDROCK_E_PARSE);
    }
}

static void billion_laughs_rejected(void **state)
{
    (void)state;
    struct brk_buf s = BRK_BUF(1 << 20);
    assert_int_equal(brk_buf_append_str(&s, "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 "
                                            "\"lollollollollollollollollollol\">"),
                     BEDROCK_OK);
    for (int i = 1; i <= 9; i++) {
        assert_int_equal(brk_buf_appendf(&s, "<!ENTITY l%d \"", i), BEDROCK_OK);
        for (int k = 0; k < 10; k++) {
            assert_int_equal(brk_buf_appendf(&s, "&l%d;", i - 1), BEDROCK_OK);
        }
        assert_int_equal(brk_buf_append_str(&s, "\">"), BEDROCK_OK);
    }
    assert_int_equal(brk_buf_append_str(&s, "]><l>&l9;</l>"), BEDROCK_OK);
    struct brk_xml *doc = NULL;
    bedrock_code rc = brk_xml_parse(s.data, s.len, &doc);
    assert_true(rc == BEDROCK_E_PARSE || rc == BEDROCK_E_LIMIT);
    assert_null(doc);
    brk_buf_cleanup(&s);
}

static void nomem_torture(void **state)
{
    (void)state;
    /* fail allocation 1, 2, 3, ... until the parse succeeds; each failure is E_NOMEM */
    for (unsigned long n = 1; n < 1000; n++) {
        struct brk_xml *doc = NULL;
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_xml_parse(gci, strlen(gci), &doc);
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            assert_string_equal(brk_xml_text(doc, "GetCallerIdentityResult/UserId"),
                                "AIDAEXAMPLEUSERID0001");
            brk_xml_free(doc);
            return;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_null(doc);
    }
    fail_msg("parse never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_caller_identity),
        cmocka_unit_test(list_members_and_backtracking),
        cmocka_unit_test(namespaces_entities_cdata),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(depth_limit),
        cmocka_unit_test(no_external_entities),
        cmocka_unit_test(billion_laughs_rejected),
        cmocka_unit_test(nomem_torture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
