/*
 * tests/integration/servers.c - helper-server processes for the integration tests (see
 * servers.h). Invariants: servers listen on 127.0.0.1; we only ever signal our own child PIDs.
 */
#include "servers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* execv wants char *const[]; our literals stay unmodified by the child. */
static char *S(const char *s)
{
    return (char *)(uintptr_t)s;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

static bool make_dir(struct test_server *s)
{
    snprintf(s->dir, sizeof(s->dir), "/tmp/brk-client-test-XXXXXX");
    return mkdtemp(s->dir) != NULL;
}

static pid_t spawn(char *const argv[], const char *const *extra_env, const char *log)
{
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    for (size_t i = 0; extra_env != NULL && extra_env[i] != NULL; i++) {
        putenv(S(extra_env[i]));
    }
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    execv(argv[0], argv);
    _exit(127);
}

static void moto_path(char *out, size_t len)
{
    const char *env = getenv("MOTO_SERVER");
    if (env != NULL) {
        snprintf(out, len, "%s", env);
        return;
    }
    FILE *p = popen("pyenv which moto_server 2>/dev/null || command -v moto_server", "r");
    out[0] = '\0';
    if (p != NULL) {
        if (fgets(out, (int)len, p) == NULL) {
            out[0] = '\0';
        }
        pclose(p);
    }
    out[strcspn(out, "\r\n")] = '\0';
}

bool test_start_moto(struct test_server *s, const char *const *extra_env)
{
    char bin[512], port[16], log[300];
    memset(s, 0, sizeof(*s));
    moto_path(bin, sizeof(bin));
    s->port = free_port();
    if (bin[0] == '\0' || s->port < 0 || !make_dir(s)) {
        return false;
    }
    snprintf(port, sizeof(port), "%d", s->port);
    snprintf(log, sizeof(log), "%s/moto.log", s->dir);
    char *argv[] = { bin, S("-H"), S("127.0.0.1"), S("-p"), port, NULL };
    s->pid = spawn(argv, extra_env, log);
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
    for (int i = 0; i < 300; i++) {
        if (port_open(s->port)) {
            return true;
        }
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
            s->pid = 0;
            return false;
        }
        sleep_ms(50);
    }
    test_stop(s);
    return false;
}

static bool wait_port_file(struct test_server *s, const char *pf)
{
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(pf, "r");
        if (f != NULL) {
            bool got = fgets(s->url, sizeof(s->url), f) != NULL;
            fclose(f);
            s->url[strcspn(s->url, "\r\n")] = '\0';
            if (got && s->url[0] != '\0') {
                const char *colon = strrchr(s->url, ':');
                s->port = colon != NULL ? (int)strtol(colon + 1, NULL, 10) : 0;
                return true;
            }
        }
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
            s->pid = 0;
            return false;
        }
        sleep_ms(20);
    }
    test_stop(s);
    return false;
}

bool test_start_script(struct test_server *s, const char *script_py, char *script_file,
                       size_t sflen, char *log_file, size_t lflen)
{
    char pf[300], log[300];
    memset(s, 0, sizeof(*s));
    if (!make_dir(s)) {
        return false;
    }
    snprintf(pf, sizeof(pf), "%s/port", s->dir);
    snprintf(log, sizeof(log), "%s/server.log", s->dir);
    snprintf(script_file, sflen, "%s/script.json", s->dir);
    snprintf(log_file, lflen, "%s/requests.log", s->dir);
    FILE *py = popen("command -v python3", "r");
    char bin[512] = "";
    if (py != NULL) {
        if (fgets(bin, sizeof(bin), py) == NULL) {
            bin[0] = '\0';
        }
        pclose(py);
    }
    bin[strcspn(bin, "\r\n")] = '\0';
    char *argv[] = { bin,         S(script_py), S("--port-file"), pf,  S("--script"),
                     script_file, S("--log"),   log_file,         NULL };
    s->pid = spawn(argv, NULL, log);
    return wait_port_file(s, pf);
}

bool test_start_emulator(struct test_server *s, const char *const *args)
{
    char bin[512], pf[300], log[300];
    memset(s, 0, sizeof(*s));
    const char *env = getenv("BRK_EMULATOR");
    const char *build = getenv("BRK_BUILD_DIR");
    if (env != NULL) {
        snprintf(bin, sizeof(bin), "%s", env);
    } else {
        snprintf(bin, sizeof(bin), "%s/bin/bedrock-emulator", build != NULL ? build : "build");
    }
    if (access(bin, X_OK) != 0 || !make_dir(s)) {
        return false;
    }
    snprintf(pf, sizeof(pf), "%s/port", s->dir);
    snprintf(log, sizeof(log), "%s/emulator.log", s->dir);
    char *argv[32] = { bin, S("--listen"), S("127.0.0.1:0"), S("--port-file"), pf };
    size_t n = 5;
    for (size_t i = 0; args != NULL && args[i] != NULL && n < 31; i++) {
        argv[n++] = S(args[i]);
    }
    argv[n] = NULL;
    s->pid = spawn(argv, NULL, log);
    return wait_port_file(s, pf);
}

void test_stop(struct test_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        for (int i = 0; i < 100; i++) {
            if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
                s->pid = 0;
                break;
            }
            sleep_ms(20);
        }
        if (s->pid > 0) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
            s->pid = 0;
        }
    }
    if (s->dir[0] != '\0') {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", s->dir);
        }
        s->dir[0] = '\0';
    }
}

int test_python(const char *code, const char *const *extra_env, char *out, size_t outlen)
{
    char path[] = "/tmp/brk-client-py-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return -1;
    }
    size_t n = strlen(code);
    bool wrote = write(fd, code, n) == (ssize_t)n;
    close(fd);
    char cmd[1024];
    size_t used = 0;
    cmd[0] = '\0';
    for (size_t i = 0; extra_env != NULL && extra_env[i] != NULL; i++) {
        used += (size_t)snprintf(cmd + used, sizeof(cmd) - used, "%s ", extra_env[i]);
    }
    snprintf(cmd + used, sizeof(cmd) - used, "python3 %s", path);
    int status = -1;
    FILE *p = wrote ? popen(cmd, "r") : NULL;
    if (p != NULL) {
        size_t got = fread(out, 1, outlen - 1, p);
        out[got] = '\0';
        status = pclose(p);
    }
    unlink(path);
    return status;
}
