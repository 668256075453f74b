/* tests/unit/test_http.c - the transport over real HTTP against tests/tools/stubserver.py
 * (started here on 127.0.0.1 port 0, stopped by PID): round trips, keep-alive, streaming,
 * idle/total timeouts, refused connections, dropped connections, callback aborts, redirects
 * not followed, header injection refused, retries over a scripted status sequence, and a
 * --debug log that shows headers but never signatures, tokens or bodies. */
#include "core/log.h"
#include "http/http.h"

/* cmocka.h needs these first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static pid_t stub_pid = -1;
static char base_url[64];
static char script_path[] = "/tmp/brk_stub_script_XXXXXX";

static const char script_json[] =
    "{\"sequences\": {"
    " \"flaky\": ["
    "  {\"status\": 503, \"headers\": {\"Content-Type\": \"text/xml\"}, \"body\": "
    "\"<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>Service is unavailable"
    "</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>\"},"
    "  {\"status\": 429, \"headers\": {\"x-amzn-ErrorType\": \"ThrottlingException\", "
    "\"x-amz-retry-after\": \"7\"}, \"body\": \"{\\\"message\\\":\\\"Too many requests\\\"}\"},"
    "  {\"status\": 200, \"body\": \"{\\\"ok\\\":true}\"}],"
    " \"denied\": ["
    "  {\"status\": 403, \"headers\": {\"x-amzn-ErrorType\": "
    "\"AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/\", "
    "\"x-amzn-RequestId\": \"rid-403\"}, \"body\": \"{\\\"message\\\":\\\"You don't have access "
    "to the model with the specified model ID.\\\"}\"}]"
    "}}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_script(void)
{
    int fd = mkstemp(script_path);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = write(fd, script_json, sizeof(script_json) - 1);
    close(fd);
    return n == (ssize_t)(sizeof(script_json) - 1) ? 0 : -1;
}

/* fork/exec the stub (with TLS when cert is given); its first stdout line is the port */
static pid_t start_stub(const char *cert, const char *key, char *url, size_t urlcap)
{
    const char *src = getenv("BRK_SOURCE_DIR");
    const char *py = getenv("BRK_PYTHON");
    char stub[1024];
    snprintf(stub, sizeof(stub), "%s/tests/tools/stubserver.py", src != NULL ? src : ".");
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        const char *p = py != NULL ? py : "python3";
        if (cert != NULL) {
            execlp(p, p, stub, "--tls-cert", cert, "--tls-key", key, "--max-seconds", "170",
                   (char *)NULL);
        } else {
            execlp(p, p, stub, "--script", script_path, "--max-seconds", "170", (char *)NULL);
        }
        _exit(127);
    }
    close(fds[1]);
    char line[32] = "";
    size_t n = 0;
    struct pollfd pf = { fds[0], POLLIN, 0 };
    while (pid > 0 && n + 1 < sizeof(line) && poll(&pf, 1, 20000) == 1) {
        ssize_t r = read(fds[0], line + n, 1);
        if (r != 1 || line[n] == '\n') {
            break;
        }
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    long port = strtol(line, NULL, 10);
    if (port <= 0 || port > 65535) {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
        }
        return -1;
    }
    snprintf(url, urlcap, "%s://127.0.0.1:%ld", cert != NULL ? "https" : "http", port);
    return pid;
}

static void stop_stub(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

static int group_setup(void **state)
{
    (void)state;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || write_script() != 0) {
        return -1;
    }
    stub_pid = start_stub(NULL, NULL, base_url, sizeof(base_url));
    return stub_pid > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_stub(stub_pid);
    unlink(script_path);
    curl_global_cleanup();
    return 0;
}

#define HDR(n, v)                              \
    {                                          \
        (n), sizeof(n) - 1, (v), sizeof(v) - 1 \
    }

static struct brk_http *new_http(long idle_ms, long total_ms)
{
    struct brk_http_options o = { 2000, idle_ms, total_ms, NULL, false };
    struct brk_http *h = NULL;
    assert_int_equal(brk_http_new(&o, &h), BEDROCK_OK);
    return h;
}

static bedrock_code do_get(struct brk_http *h, const char *path, const struct brk_header *hd,
                           size_t n, struct brk_http_response *resp, struct bedrock_error *err)
{
    char url[256];
    snprintf(url, sizeof(url), "%s%s", base_url, path);
    struct brk_http_request req = { "GET", url, hd, n, NULL, 0 };
    bedrock_error_clear(err);
    return brk_http_perform(h, &req, NULL, NULL, resp, err);
}

static json_t *body_json(const struct brk_http_response *resp)
{
    json_error_t je;
    json_t *j = json_loadb(resp->body.data, resp->body.len, 0, &je);
    assert_non_null(j);
    return j;
}

static const char *echo_header(json_t *echo, const char *name)
{
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(echo, "headers"), i, pair)
    {
        if (strcasecmp(json_string_value(json_array_get(pair, 0)), name) == 0) {
            return json_string_value(json_array_get(pair, 1));
        }
    }
    return NULL;
}

static void post_round_trip(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    static const char body[] = "{\"prompt\":\"hi there\"}";
    const struct brk_header hd[] = { HDR("Content-Type", "application/json"),
                                     HDR("X-Stub-Echo", "1"), HDR("X-Test", "a  b"),
                                     HDR("X-Empty", "") };
    char url[256];
    snprintf(url, sizeof(url), "%s/model/anthropic.claude-v2%%3A1/invoke", base_url);
    struct brk_http_request req = { "POST", url, hd, 4, body, sizeof(body) - 1 };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 200);
    assert_false(resp.streamed);
    assert_non_null(brk_http_response_header(&resp, "content-length"));
    json_t *echo = body_json(&resp);
    assert_string_equal(json_string_value(json_object_get(echo, "method")), "POST");
    assert_string_equal(json_string_value(json_object_get(echo, "path")),
                        "/model/anthropic.claude-v2%3A1/invoke");
    assert_string_equal(echo_header(echo, "Content-Type"), "application/json");
    assert_string_equal(echo_header(echo, "X-Test"), "a  b");
    assert_string_equal(echo_header(echo, "X-Empty"), "");
    assert_null(echo_header(echo, "Expect"));
    unsigned char b64[64];
    EVP_EncodeBlock(b64, (const unsigned char *)body, (int)sizeof(body) - 1);
    assert_string_equal(json_string_value(json_object_get(echo, "body_b64")), (char *)b64);
    json_decref(echo);

    /* GET with status and headers chosen by the request; default Content-Type never added */
    const struct brk_header g[] = { HDR("X-Stub-Status", "201"), HDR("X-Stub-Body", "made"),
                                    HDR("X-Stub-Set-x-amzn-RequestId", "req-123") };
    assert_int_equal(do_get(h, "/thing", g, 3, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 201);
    assert_string_equal(resp.body.data, "made");
    assert_string_equal(brk_http_response_header(&resp, "X-AMZN-REQUESTID"), "req-123");
    assert_string_equal(resp.host, base_url + 7);
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static long echo_connection(struct brk_http *h)
{
    const struct brk_header hd[] = { HDR("X-Stub-Echo", "1") };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    assert_int_equal(do_get(h, "/echo", hd, 1, &resp, &err), BEDROCK_OK);
    json_t *echo = body_json(&resp);
    long id = (long)json_integer_value(json_object_get(echo, "connection"));
    json_decref(echo);
    brk_http_response_cleanup(&resp);
    return id;
}

static long stub_connections(struct brk_http *h)
{
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    assert_int_equal(do_get(h, "/_stats", NULL, 0, &resp, &err), BEDROCK_OK);
    json_t *j = body_json(&resp);
    long n = (long)json_integer_value(json_object_get(j, "connections"));
    json_decref(j);
    brk_http_response_cleanup(&resp);
    return n;
}

static void keep_alive(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    long before = stub_connections(h);
    long c1 = echo_connection(h);
    long c2 = echo_connection(h);
    long c3 = echo_connection(h);
    assert_true(c1 > 0);
    assert_int_equal(c1, c2);
    assert_int_equal(c2, c3);
    assert_int_equal(stub_connections(h), before); /* no new connection was opened */
    brk_http_free(h);
}

struct sink {
    struct brk_buf got;
    int calls;
    bedrock_code fail_with;
};

static bedrock_code on_data(void *ctx, const void *p, size_t n)
{
    struct sink *s = ctx;
    s->calls++;
    if (s->fail_with != BEDROCK_OK) {
        return s->fail_with;
    }
    return brk_buf_append(&s->got, p, n);
}

static void streaming_in_pieces(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    static const char want[] = "0123456789abcdefghijklmnopqrst";
    const struct brk_header hd[] = { HDR("X-Stub-Body", want), HDR("X-Stub-Chunks", "5"),
                                     HDR("X-Stub-Chunk-Delay-Ms", "80") };
    char url[256];
    snprintf(url, sizeof(url), "%s/stream", base_url);
    struct brk_http_request req = { "GET", url, hd, 3, NULL, 0 };
    struct sink s = { BRK_BUF(1024), 0, BEDROCK_OK };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    assert_int_equal(brk_http_perform(h, &req, on_data, &s, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 200);
    assert_true(resp.streamed);
    assert_int_equal(resp.body.len, 0);
    assert_true(s.calls >= 3); /* pieces arrive as sent, 80 ms apart */
    assert_string_equal(s.got.data, want);
    brk_buf_cleanup(&s.got);

    /* an error status is buffered, never streamed */
    struct sink s2 = { BRK_BUF(1024), 0, BEDROCK_OK };
    const struct brk_header e[] = { HDR("X-Stub-Seq", "denied") };
    req.headers = e;
    req.n_headers = 1;
    assert_int_equal(brk_http_perform(h, &req, on_data, &s2, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 403);
    assert_int_equal(s2.calls, 0);
    assert_false(resp.streamed);
    brk_http_parse_error(&resp, &err);
    assert_int_equal(err.code, BEDROCK_E_ACCESS_DENIED);
    assert_string_equal(err.aws_code, "AccessDeniedException");
    assert_string_equal(err.request_id, "rid-403");
    assert_non_null(strstr(err.message, "don't have access"));
    brk_http_response_cleanup(&resp);
    brk_buf_cleanup(&s2.got);
    brk_http_free(h);
}

static void callback_abort(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    const struct brk_header hd[] = { HDR("X-Stub-Body", "abcdefghij"), HDR("X-Stub-Chunks", "2") };
    char url[256];
    snprintf(url, sizeof(url), "%s/abort", base_url);
    struct brk_http_request req = { "GET", url, hd, 2, NULL, 0 };
    struct sink s = { BRK_BUF(1024), 0, BEDROCK_E_CANCELLED };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_http_perform(h, &req, on_data, &s, &resp, &err), BEDROCK_E_CANCELLED);
    assert_int_equal(err.code, BEDROCK_E_CANCELLED);
    assert_int_equal(s.calls, 1);
    /* the handle is still usable afterwards */
    assert_true(echo_connection(h) > 0);
    brk_http_response_cleanup(&resp);
    brk_buf_cleanup(&s.got);
    brk_http_free(h);
}

static void expect_timeout(struct brk_http *h, const struct brk_header *hd, size_t n, double max_s)
{
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    double t0 = now_s();
    assert_int_equal(do_get(h, "/slow", hd, n, &resp, &err), BEDROCK_E_TIMEOUT);
    double took = now_s() - t0;
    assert_int_equal(err.code, BEDROCK_E_TIMEOUT);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    if (took > max_s) {
        fail_msg("timed out after %.2f s, bound %.2f s", took, max_s);
    }
    brk_http_response_cleanup(&resp);
}

static void idle_timeouts(void **state)
{
    (void)state;
    struct brk_http *h = new_http(500, 0);
    /* body stalls after 10 bytes */
    const struct brk_header stall[] = { HDR("X-Stub-Body", "0123456789ABCDEFGHIJ"),
                                        HDR("X-Stub-Stall-After", "10"),
                                        HDR("X-Stub-Stall-Ms", "6000") };
    expect_timeout(h, stall, 3, 3.0);
    /* no headers at all for a long time */
    const struct brk_header late[] = { HDR("X-Stub-Delay-Ms", "6000") };
    expect_timeout(h, late, 1, 3.0);
    brk_http_free(h);

    /* total timeout: bytes keep coming (so never idle) but the whole takes too long */
    h = new_http(5000, 700);
    const struct brk_header trickle[] = { HDR("X-Stub-Body", "0123456789"),
                                          HDR("X-Stub-Chunks", "10"),
                                          HDR("X-Stub-Chunk-Delay-Ms", "250") };
    expect_timeout(h, trickle, 3, 2.5);
    brk_http_free(h);
}

static void connect_refused_and_drops(void **state)
{
    (void)state;
    /* a port nobody listens on: bind, read the port, close */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t alen = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    close(fd);
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", ntohs(a.sin_port));
    struct brk_http *h = new_http(5000, 0);
    struct brk_http_request req = { "GET", url, NULL, 0, NULL, 0 };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, &err), BEDROCK_E_NETWORK);
    assert_int_equal(err.code, BEDROCK_E_NETWORK);
    char hostport[64];
    snprintf(hostport, sizeof(hostport), "127.0.0.1:%d", ntohs(a.sin_port));
    assert_non_null(strstr(err.message, hostport));
    assert_int_equal(resp.status, 0);

    const struct brk_header mid[] = { HDR("X-Stub-Body", "0123456789"),
                                      HDR("X-Stub-Drop", "body") };
    assert_int_equal(do_get(h, "/drop", mid, 2, &resp, &err), BEDROCK_E_NETWORK);
    const struct brk_header none[] = { HDR("X-Stub-Drop", "headers") };
    assert_int_equal(do_get(h, "/drop", none, 1, &resp, &err), BEDROCK_E_NETWORK);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static void redirects_and_injection(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    const struct brk_header r[] = { HDR("X-Stub-Status", "307"),
                                    HDR("X-Stub-Set-Location", "http://127.0.0.1:9/elsewhere"),
                                    HDR("Authorization", "AWS4-HMAC-SHA256 Signature=abc") };
    assert_int_equal(do_get(h, "/moved", r, 3, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 307); /* returned as is: never followed */
    brk_http_parse_error(&resp, &err);
    assert_non_null(strstr(err.message, "not followed"));

    const struct brk_header bad[] = { HDR("X-Ok", "a\r\nX-Evil: 1") };
    assert_int_equal(do_get(h, "/inject", bad, 1, &resp, &err), BEDROCK_E_INVALID_ARG);
    const struct brk_header bad2[] = { HDR("X-Bad:Name", "v") };
    assert_int_equal(do_get(h, "/inject", bad2, 1, &resp, &err), BEDROCK_E_INVALID_ARG);
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static void retry_over_status_sequence(void **state)
{
    (void)state;
    struct brk_http *h = new_http(5000, 0);
    struct brk_retry r;
    brk_retry_init(&r, 3);
    r.base_delay_ms = 1;
    const struct brk_header hd[] = { HDR("X-Stub-Seq", "flaky") };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    long delays[3] = { -1, -1, -1 };
    int attempt = 1;
    for (;; attempt++) {
        bedrock_code rc = do_get(h, "/flaky", hd, 1, &resp, &err);
        assert_int_equal(rc, BEDROCK_OK);
        if (resp.status < 300) {
            break;
        }
        brk_http_parse_error(&resp, &err);
        assert_int_equal(err.code, attempt == 1 ? BEDROCK_E_SERVICE : BEDROCK_E_THROTTLED);
        long d = -1;
        assert_true(brk_retry_should(&r, attempt, rc, resp.status, err.aws_code,
                                     brk_http_retry_after_ms(&resp), &d));
        delays[attempt - 1] = d;
        brk_sleep_ms(d);
    }
    assert_int_equal(attempt, 3);
    assert_string_equal(resp.body.data, "{\"ok\":true}");
    assert_true(delays[0] >= 0 && delays[0] <= 1);
    assert_int_equal(delays[1], 7); /* x-amz-retry-after */
    /* a 403 is final */
    const struct brk_header d403[] = { HDR("X-Stub-Seq", "denied") };
    assert_int_equal(do_get(h, "/d", d403, 1, &resp, &err), BEDROCK_OK);
    brk_http_parse_error(&resp, &err);
    assert_false(brk_retry_should(&r, 1, BEDROCK_OK, resp.status, err.aws_code, -1, NULL));
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static void debug_log_redacts(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    assert_non_null(log);
    brk_log_set_stream(log);
    brk_log_set_level(1);
    struct brk_http *h = new_http(5000, 0);
    const struct brk_header hd[] = {
        HDR("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"
                             "bedrock/aws4_request, SignedHeaders=host;x-amz-date, "
                             "Signature=deadbeefSECRETSIG"),
        HDR("X-Amz-Security-Token", "TOKENSECRET123"), HDR("X-Stub-Status", "202")
    };
    static const char body[] = "{\"secret\":\"BODYSECRET\"}";
    char url[256];
    snprintf(url, sizeof(url), "%s/logged", base_url);
    struct brk_http_request req = { "POST", url, hd, 3, body, sizeof(body) - 1 };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, &err), BEDROCK_OK);
    brk_log_set_level(0);
    brk_log_set_stream(NULL);
    char text[16384];
    rewind(log);
    size_t n = fread(text, 1, sizeof(text) - 1, log);
    text[n] = '\0';
    fclose(log);
    if (getenv("BRK_TEST_SHOW_LOG") != NULL) {
        fputs(text, stderr);
    }
    assert_non_null(strstr(text, "POST /logged"));
    assert_non_null(strstr(text, "202"));
    assert_non_null(strstr(text, "AKIDEXAMPLE"));
    assert_non_null(strstr(text, "X-Stub-Status: 202"));
    assert_null(strstr(text, "deadbeefSECRETSIG"));
    assert_null(strstr(text, "TOKENSECRET123"));
    assert_null(strstr(text, "BODYSECRET"));
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
}

static void tls_ca_bundle(void **state)
{
    (void)state;
    char dir[] = "/tmp/brk_tls_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cert[128], key[128], cmd[1024];
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s >/dev/null 2>&1",
             key, cert);
    assert_int_equal(system(cmd), 0);
    char url[64], full[128];
    pid_t pid = start_stub(cert, key, url, sizeof(url));
    assert_true(pid > 0);
    snprintf(full, sizeof(full), "%s/tls", url);
    const struct brk_header hd[] = { HDR("X-Stub-Body", "secure") };
    struct brk_http_request req = { "GET", full, hd, 1, NULL, 0 };
    struct brk_http_response resp;
    brk_http_response_init(&resp);
    struct bedrock_error err;

    /* the system trust store does not know our self-signed certificate */
    struct brk_http *h = new_http(5000, 0);
    bedrock_error_clear(&err);
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, &err), BEDROCK_E_TLS);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    brk_http_free(h);

    /* AWS_CA_BUNDLE pointing at it: verified, HTTP/2 asked for, HTTP/1.1 agreed */
    struct brk_http_options o = { 2000, 5000, 0, cert, false };
    assert_int_equal(brk_http_new(&o, &h), BEDROCK_OK);
    assert_int_equal(brk_http_perform(h, &req, NULL, NULL, &resp, &err), BEDROCK_OK);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.body.data, "secure");
    brk_http_response_cleanup(&resp);
    brk_http_free(h);
    stop_stub(pid);
    unlink(cert);
    unlink(key);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(post_round_trip),         cmocka_unit_test(keep_alive),
        cmocka_unit_test(streaming_in_pieces),     cmocka_unit_test(callback_abort),
        cmocka_unit_test(idle_timeouts),           cmocka_unit_test(connect_refused_and_drops),
        cmocka_unit_test(redirects_and_injection), cmocka_unit_test(retry_over_status_sequence),
        cmocka_unit_test(debug_log_redacts),       cmocka_unit_test(tls_ca_bundle),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
