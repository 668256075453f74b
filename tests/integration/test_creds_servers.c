/* tests/integration/test_creds_servers.c - the networked providers over real HTTP against
 * tests/tools/metadata_server.py on 127.0.0.1: IMDSv2 (token required, wrong token refused,
 * expiry parsed) and the container endpoint (auth token, token file, loopback rule). */
#include "core/alloc.h"
#include "core/fileio.h"
#include "credentials/config.h"
#include "http/http.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static pid_t server_pid;
static int port;
static char base[64];
static char dir[256];

static int start_server(void **state)
{
    (void)state;
    const char *src = getenv("BRK_SOURCE_DIR");
    char script[1024];
    (void)snprintf(script, sizeof script, "%s/tests/tools/metadata_server.py",
                   src != NULL ? src : ".");
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    char py[] = "python3", auth[] = "--auth", tok[] = "container-auth-token";
    char *argv[] = { py, script, auth, tok, NULL };
    int r = posix_spawnp(&server_pid, "python3", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (r != 0) {
        close(fds[0]);
        return -1;
    }
    FILE *f = fdopen(fds[0], "r");
    if (f == NULL || fscanf(f, "PORT %d", &port) != 1) {
        return -1;
    }
    fclose(f);
    (void)snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    const char *t = getenv("TMPDIR");
    (void)snprintf(dir, sizeof dir, "%s/brk-creds-srv-XXXXXX", t != NULL ? t : "/tmp");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int stop_server(void **state)
{
    (void)state;
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        (void)waitpid(server_pid, NULL, 0);
    }
    char p[512];
    (void)snprintf(p, sizeof p, "%s/token", dir);
    (void)unlink(p);
    (void)rmdir(dir);
    return 0;
}

static void clear_aws_env(void)
{
    for (;;) {
        char name[256] = "";
        for (char **e = environ; *e != NULL; e++) {
            if (strncmp(*e, "AWS_", 4) == 0) {
                (void)snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
                break;
            }
        }
        if (name[0] == '\0') {
            break;
        }
        unsetenv(name);
    }
    setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
}

static int per_test(void **state)
{
    (void)state;
    clear_aws_env();
    return 0;
}

static bedrock_code resolve(struct brk_credentials *c, struct bedrock_error *err)
{
    struct brk_config_options o = { .no_dotenv = true };
    struct brk_config *cfg = NULL;
    bedrock_error_clear(err);
    bedrock_code rc = brk_config_load(&o, &cfg, err);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_resolve(cfg, NULL, c, err);
    }
    brk_config_free(cfg);
    return rc;
}

static const time_t expiry = 1935817689; /* 2031-05-06T07:08:09Z */

static void imds_v2(void **state)
{
    (void)state;
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base, 1);
    struct brk_credentials c = { 0 };
    struct bedrock_error err;
    assert_int_equal(resolve(&c, &err), BEDROCK_OK);
    assert_string_equal(c.access_key_id, "ASIAIMDSEXAMPLE00001");
    assert_string_equal(c.secret_access_key, "imds-secret");
    assert_string_equal(c.session_token, "imds-session-token");
    assert_string_equal(c.source, "imds");
    assert_int_equal(c.expires_at_s, expiry);
    brk_credentials_cleanup(&c);
    /* disabled: not even asked */
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    assert_int_equal(resolve(&c, &err), BEDROCK_E_NO_CREDENTIALS);
    assert_non_null(strstr(err.message, "EC2 instance metadata"));
}

static void get_status(const char *path, const char *hname, const char *hval, int *status)
{
    struct brk_http *h = NULL;
    struct brk_http_options o = { 0 };
    assert_int_equal(brk_http_new(&o, &h), BEDROCK_OK);
    char url[256];
    (void)snprintf(url, sizeof url, "%s%s", base, path);
    struct brk_header hd = { hname, hname != NULL ? strlen(hname) : 0, hval,
                             hval != NULL ? strlen(hval) : 0 };
    struct brk_http_request req = { "GET", url, &hd, hname != NULL ? 1 : 0, NULL, 0 };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, NULL), BEDROCK_OK);
    *status = resp.status;
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static void imds_token_required(void **state)
{
    (void)state;
    int status = 0;
    get_status("/latest/meta-data/iam/security-credentials/", NULL, NULL, &status);
    assert_int_equal(status, 401);
    get_status("/latest/meta-data/iam/security-credentials/", "X-aws-ec2-metadata-token",
               "made-up-token", &status);
    assert_int_equal(status, 401);
}

static void container_endpoint(void **state)
{
    (void)state;
    char url[256];
    (void)snprintf(url, sizeof url, "%s/ecs/creds", base);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token", 1);
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base, 1); /* container wins over IMDS */
    struct brk_credentials c = { 0 };
    struct bedrock_error err;
    assert_int_equal(resolve(&c, &err), BEDROCK_OK);
    assert_string_equal(c.access_key_id, "ASIACONTAINER0000001");
    assert_string_equal(c.session_token, "ecs-session-token");
    assert_string_equal(c.account_id, "123456789012");
    assert_string_equal(c.source, "container");
    assert_int_equal(c.expires_at_s, expiry);
    brk_credentials_cleanup(&c);
    /* the token file wins over the variable */
    char p[512];
    (void)snprintf(p, sizeof p, "%s/token", dir);
    assert_int_equal(brk_file_write_atomic(p, "wrong-token\n", 12, 0600), BEDROCK_OK);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", p, 1);
    assert_int_equal(resolve(&c, &err), BEDROCK_E_CREDENTIALS);
    assert_int_equal(err.http_status, 403);
    assert_int_equal(brk_file_write_atomic(p, "container-auth-token\n", 21, 0600), BEDROCK_OK);
    assert_int_equal(resolve(&c, &err), BEDROCK_OK);
    assert_string_equal(c.access_key_id, "ASIACONTAINER0000001");
    brk_credentials_cleanup(&c);
    /* plain http to a non-loopback host is refused before any request */
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds", 1);
    assert_int_equal(resolve(&c, &err), BEDROCK_E_CREDENTIALS);
    assert_non_null(strstr(err.message, "loopback"));
    /* a header-injection attempt in the token is refused */
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "x\r\nX-Evil: 1", 1);
    assert_int_equal(resolve(&c, &err), BEDROCK_E_CREDENTIALS);
}

static void credential_source_imds_without_sts(void **state)
{
    (void)state;
    /* a role profile whose source is IMDS: the source is fetched, then STS is asked; STS is
     * this same server, which has no STS, so the failure must come from the STS step. */
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base, 1);
    setenv("AWS_ENDPOINT_URL_STS", base, 1);
    char p[512];
    (void)snprintf(p, sizeof p, "%s/config", dir);
    static const char cfgtext[] = "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
                                  "credential_source = Ec2InstanceMetadata\n";
    assert_int_equal(brk_file_write_atomic(p, cfgtext, sizeof cfgtext - 1, 0600), BEDROCK_OK);
    setenv("AWS_CONFIG_FILE", p, 1);
    struct brk_credentials c = { 0 };
    struct bedrock_error err;
    bedrock_code rc = resolve(&c, &err);
    assert_int_not_equal(rc, BEDROCK_OK);
    assert_null(c.access_key_id);
    assert_int_equal(err.http_status, 501); /* the stand-in has no POST */
    assert_int_equal(unlink(p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(imds_v2, per_test),
        cmocka_unit_test_setup(imds_token_required, per_test),
        cmocka_unit_test_setup(container_endpoint, per_test),
        cmocka_unit_test_setup(credential_source_imds_without_sts, per_test),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
