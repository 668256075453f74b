/* tests/unit/test_fileio.c - whole-file reads and atomic 0600 writes (core/fileio). */
#include "core/alloc.h"
#include "core/fileio.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    (void)snprintf(dir, sizeof dir, "%s/brk-fileio-XXXXXX", t != NULL ? t : "/tmp");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char p[512];
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            (void)snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (unlink(p) != 0) {
                char q[600];
                (void)snprintf(q, sizeof q, "%s/x", p);
                (void)unlink(q);
                (void)rmdir(p);
            }
        }
        closedir(d);
    }
    return rmdir(dir);
}

static size_t count_entries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void path_of(char *out, size_t n, const char *name)
{
    (void)snprintf(out, n, "%s/%s", dir, name);
}

static void assert_content(const char *path, const char *want)
{
    struct brk_buf b = BRK_BUF(1 << 20);
    assert_int_equal(brk_file_read(path, 1 << 20, &b), BEDROCK_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    brk_buf_cleanup(&b);
}

static void write_then_read_mode_0600(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "credentials");
    assert_int_equal(brk_file_write_atomic(p, "[default]\n", 10, 0600), BEDROCK_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_content(p, "[default]\n");
    assert_true(brk_file_exists(p));
    assert_false(brk_file_exists(dir)); /* a directory is not a file */
    assert_int_equal(count_entries(), 1);
}

static void overwrite_replaces_mode(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "open-file");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("old content", f);
    fclose(f);
    assert_int_equal(chmod(p, 0644), 0);
    assert_int_equal(brk_file_write_atomic(p, "new", 3, 0600), BEDROCK_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_content(p, "new");
    assert_int_equal(brk_file_write_atomic(p, "", 0, 0600), BEDROCK_OK);
    assert_content(p, "");
    assert_int_equal(count_entries(), 1);
}

static void failed_steps_leave_old_content(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "creds");
    assert_int_equal(brk_file_write_atomic(p, "old", 3, 0600), BEDROCK_OK);
    static const enum brk_file_step steps[] = { BRK_FILE_STEP_OPEN, BRK_FILE_STEP_WRITE,
                                                BRK_FILE_STEP_FSYNC, BRK_FILE_STEP_RENAME };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        brk_file_test_fail_step(steps[i]);
        assert_int_equal(brk_file_write_atomic(p, "new content", 11, 0600), BEDROCK_E_IO);
        brk_file_test_fail_step(BRK_FILE_STEP_NONE);
        assert_content(p, "old");
        assert_int_equal(count_entries(), 1); /* no temp file left behind */
    }
}

static void rename_onto_directory_fails_cleanly(void **state)
{
    (void)state;
    char p[512], q[600];
    path_of(p, sizeof p, "adir");
    assert_int_equal(mkdir(p, 0700), 0);
    (void)snprintf(q, sizeof q, "%s/x", p);
    FILE *f = fopen(q, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(brk_file_write_atomic(p, "data", 4, 0600), BEDROCK_E_IO);
    assert_int_equal(count_entries(), 1);
    assert_int_equal(unlink(q), 0);
    assert_int_equal(rmdir(p), 0);
}

static void read_errors(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "missing");
    struct brk_buf b = BRK_BUF(100);
    assert_int_equal(brk_file_read(p, 100, &b), BEDROCK_E_IO);
    assert_null(b.data);
    assert_false(brk_file_exists(p));
    path_of(p, sizeof p, "big");
    char big[300];
    memset(big, 'a', sizeof big);
    assert_int_equal(brk_file_write_atomic(p, big, sizeof big, 0600), BEDROCK_OK);
    assert_int_equal(brk_file_read(p, 299, &b), BEDROCK_E_LIMIT);
    assert_null(b.data); /* untouched on failure */
    assert_int_equal(brk_file_read(p, 300, &b), BEDROCK_OK);
    assert_int_equal(b.len, 300);
    brk_buf_cleanup(&b);
    assert_int_equal(brk_file_write_atomic(NULL, "x", 1, 0600), BEDROCK_E_INVALID_ARG);
    assert_int_equal(unlink(p), 0);
}

static void read_nomem_leaks_nothing(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "small");
    assert_int_equal(brk_file_write_atomic(p, "hello", 5, 0600), BEDROCK_OK);
    for (unsigned long n = 1;; n++) {
        struct brk_buf b = BRK_BUF(100);
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_file_read(p, 100, &b);
        brk_alloc_fail_after(0);
        if (rc == BEDROCK_OK) {
            assert_string_equal(b.data, "hello");
            brk_buf_cleanup(&b);
            break;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_null(b.data);
    }
    assert_int_equal(unlink(p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_then_read_mode_0600, setup, teardown),
        cmocka_unit_test_setup_teardown(overwrite_replaces_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_steps_leave_old_content, setup, teardown),
        cmocka_unit_test_setup_teardown(rename_onto_directory_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(read_nomem_leaks_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
