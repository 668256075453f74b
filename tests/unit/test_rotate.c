/*
 * tests/unit/test_rotate.c - the key-rotation state machine: from every state a killed
 * rotation can leave, the next step is the one that finishes it without a third key; the
 * journal round-trips through its file.
 */
#include "services/guide/rotate.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void add_key(struct brk_rotate_state *st, const char *id, bool active)
{
    snprintf(st->keys[st->n_keys].id, sizeof(st->keys[0].id), "%s", id);
    st->keys[st->n_keys++].active = active;
}

static void journal(struct brk_rotate_state *st, const char *old)
{
    st->journal.present = true;
    snprintf(st->journal.old_id, sizeof(st->journal.old_id), "%s", old);
    snprintf(st->journal.before[0], sizeof(st->journal.before[0]), "%s", old);
    st->journal.n_before = 1;
}

static void test_fresh(void **state)
{
    (void)state;
    struct brk_rotate_state st;
    memset(&st, 0, sizeof(st));
    add_key(&st, "AKIAOLD", true);
    st.stored_id = "AKIAOLD";
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_JOURNAL);
    add_key(&st, "AKIAOTHER", true);
    struct brk_rotate_next n = brk_rotate_decide(&st);
    assert_int_equal(n.step, BRK_ROT_TOO_MANY);
    assert_string_equal(n.key_id, "AKIAOTHER");
}

static void test_after_journal_and_create(void **state)
{
    (void)state;
    struct brk_rotate_state st;
    memset(&st, 0, sizeof(st));
    add_key(&st, "AKIAOLD", true);
    st.stored_id = "AKIAOLD";
    journal(&st, "AKIAOLD");
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_CREATE);
    add_key(&st, "AKIANEW", true); /* created, killed before the store */
    struct brk_rotate_next n = brk_rotate_decide(&st);
    assert_int_equal(n.step, BRK_ROT_DELETE_ORPHAN);
    assert_string_equal(n.key_id, "AKIANEW");
}

static void test_after_store(void **state)
{
    (void)state;
    struct brk_rotate_state st;
    memset(&st, 0, sizeof(st));
    add_key(&st, "AKIAOLD", true);
    add_key(&st, "AKIANEW", true);
    st.stored_id = "AKIANEW";
    journal(&st, "AKIAOLD");
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_VERIFY);
    st.journal.verified = true;
    struct brk_rotate_next n = brk_rotate_decide(&st);
    assert_int_equal(n.step, BRK_ROT_DEACTIVATE);
    assert_string_equal(n.key_id, "AKIAOLD");
    st.keys[0].active = false;
    st.journal.deactivated_at = 1000;
    st.now = 1000 + 10;
    st.grace_s = 86400;
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_WAIT_GRACE);
    st.now = 1000 + 86400;
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_DELETE_OLD);
    st.now = 1010;
    st.delete_old = true;
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_DELETE_OLD);
    st.n_keys = 1;
    memmove(&st.keys[0], &st.keys[1], sizeof(st.keys[0]));
    assert_int_equal(brk_rotate_decide(&st).step, BRK_ROT_DONE);
}

static void test_journal_file(void **state)
{
    (void)state;
    char path[] = "/tmp/brk-rotate-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_rotate_journal j;
    memset(&j, 0, sizeof(j));
    j.present = true;
    snprintf(j.user, sizeof(j.user), "app");
    snprintf(j.old_id, sizeof(j.old_id), "AKIAOLD");
    snprintf(j.before[0], sizeof(j.before[0]), "AKIAOLD");
    j.n_before = 1;
    j.verified = true;
    j.deactivated_at = 12345;
    assert_int_equal(brk_rotate_journal_save(path, &j, &err), BEDROCK_OK);
    struct brk_rotate_journal k;
    assert_int_equal(brk_rotate_journal_load(path, &k, &err), BEDROCK_OK);
    assert_true(k.present && k.verified);
    assert_string_equal(k.old_id, "AKIAOLD");
    assert_string_equal(k.user, "app");
    assert_int_equal(k.n_before, 1);
    assert_int_equal((long)k.deactivated_at, 12345);
    assert_int_equal(brk_rotate_journal_remove(path, &err), BEDROCK_OK);
    assert_int_equal(brk_rotate_journal_load(path, &k, &err), BEDROCK_OK);
    assert_false(k.present);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh),
        cmocka_unit_test(test_after_journal_and_create),
        cmocka_unit_test(test_after_store),
        cmocka_unit_test(test_journal_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
