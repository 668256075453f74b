/*
 * tests/unit/test_sigv4.h - cmocka cases of test_sigv4_signing.c, run by test_sigv4.c's main.
 */
#ifndef BRK_TESTS_TEST_SIGV4_H
#define BRK_TESTS_TEST_SIGV4_H

void sign_invoke_header_mode(void **state);
void sign_session_token(void **state);
void presign_get(void **state);
void sign_bad_args(void **state);
void key_cache(void **state);
void public_api(void **state);
void out_of_memory(void **state);

#endif
