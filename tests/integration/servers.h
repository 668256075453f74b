/*
 * tests/integration/servers.h - start and stop the helper servers the client integration tests
 * talk to (moto_server, bedrock-emulator), on 127.0.0.1 only, and stop them by the PID we
 * started. Also: run a Python snippet and capture its stdout.
 */
#ifndef BRK_TESTS_SERVERS_H
#define BRK_TESTS_SERVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct test_server {
    pid_t pid;
    int port;
    char url[128];
    char dir[256]; /* private temp dir (port file, logs) */
};

/* moto_server on a free port; extra_env "K=V" strings (NULL-terminated) or NULL. */
bool test_start_moto(struct test_server *s, const char *const *extra_env);
/* build/bin/bedrock-emulator --listen 127.0.0.1:0 --port-file F [args...]. */
bool test_start_emulator(struct test_server *s, const char *const *args);
/* python3 scripted_server.py: fills the script and request-log file paths. */
bool test_start_script(struct test_server *s, const char *script_py, char *script_file,
                       size_t sflen, char *log_file, size_t lflen);
void test_stop(struct test_server *s);
/* Run python3 -c code with env additions; stdout into out (NUL-terminated). Exit status. */
int test_python(const char *code, const char *const *extra_env, char *out, size_t outlen);

#endif
