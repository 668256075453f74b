/*
 * cli/demo_proc.c - processes for `bedrockctl demo` (see demo.h): fork/exec of the emulator
 * and of bedrockctl itself, a clean child environment, output teed to the terminal and kept,
 * signal-aware waits, and removal of the demo's temp dir.
 * Invariants: only PIDs started here are signalled; every pipe and descriptor is closed on
 * every path; children never inherit the caller's AWS_* variables or ~/.aws files.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include "../core/alloc.h"
#include "../http/http.h"
#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_ENV 512

static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

bool brk_demo_interrupted(void)
{
    return g_interrupted != 0;
}

void brk_demo_signals(bool install)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = install ? on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static bool dropped(const char *kv)
{
    return strncmp(kv, "AWS_", 4) == 0 || strncmp(kv, "BEDROCK_MODEL_ID=", 17) == 0 ||
           strncmp(kv, "BEDROCKCTL_", 11) == 0 || strncmp(kv, "NO_COLOR=", 9) == 0;
}

/* The child's environment: ours without AWS_*, plus the fixed and the extra variables. */
static size_t child_env(const char *const *extra, const char **envp)
{
    static const char *const fixed[] = { "AWS_CONFIG_FILE=/dev/null",
                                         "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                                         "AWS_EC2_METADATA_DISABLED=true", "BEDROCKCTL_IAM_WAIT=15",
                                         NULL };
    size_t n = 0;
    for (char **e = environ; *e != NULL && n < MAX_ENV - 32; e++) {
        if (!dropped(*e)) {
            envp[n++] = *e;
        }
    }
    for (size_t i = 0; fixed[i] != NULL; i++) {
        envp[n++] = fixed[i];
    }
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < MAX_ENV - 1; i++) {
        envp[n++] = extra[i];
    }
    envp[n] = NULL;
    return n;
}

static void set_err(struct bedrock_error *err, const char *what)
{
    bedrock_error_set(err, BEDROCK_E_IO, "%s: %s", what, strerror(errno));
}

static bool read_url(const char *port_file, char *url, size_t len)
{
    FILE *f = fopen(port_file, "r");
    if (f == NULL) {
        return false;
    }
    bool ok = fgets(url, (int)len, f) != NULL;
    fclose(f);
    url[strcspn(url, "\r\n")] = '\0';
    return ok && strncmp(url, "http://127.0.0.1:", 17) == 0;
}

bedrock_code brk_demo_emu_start(const char *emu_path, const char *dir, const char *region,
                                struct brk_demo_emu *emu, struct bedrock_error *err)
{
    char port_file[4096], log[4096];
    snprintf(port_file, sizeof(port_file), "%s/emulator.port", dir);
    snprintf(log, sizeof(log), "%s/emulator.log", dir);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        set_err(err, log);
        return BEDROCK_E_IO;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        set_err(err, "fork");
        return BEDROCK_E_IO;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(emu_path, "bedrock-emulator", "--listen", "127.0.0.1:0", "--port-file", port_file,
              "--region", region, (char *)NULL);
        _exit(127);
    }
    close(fd);
    emu->pid = pid;
    for (int i = 0; i < 300; i++) { /* 15 s */
        int st = 0;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            emu->pid = 0;
            bedrock_error_set(err, BEDROCK_E_IO, "bedrock-emulator exited at start (see %s)", log);
            return BEDROCK_E_IO;
        }
        if (read_url(port_file, emu->url, sizeof(emu->url))) {
            return BEDROCK_OK;
        }
        brk_sleep_ms(50);
    }
    brk_demo_emu_stop(emu);
    bedrock_error_set(err, BEDROCK_E_TIMEOUT, "bedrock-emulator did not start within 15 s");
    return BEDROCK_E_TIMEOUT;
}

void brk_demo_emu_stop(struct brk_demo_emu *emu)
{
    if (emu->pid <= 0) {
        return;
    }
    kill(emu->pid, SIGTERM);
    for (int i = 0; i < 100; i++) { /* 5 s */
        if (waitpid(emu->pid, NULL, WNOHANG) == emu->pid) {
            emu->pid = 0;
            return;
        }
        brk_sleep_ms(50);
    }
    kill(emu->pid, SIGKILL);
    waitpid(emu->pid, NULL, 0);
    emu->pid = 0;
}

static void child_exec(const struct brk_demo_child *c, int wfd, const char **envp)
{
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(wfd, 1);
    dup2(wfd, 2);
    if (c->cwd != NULL && chdir(c->cwd) != 0) {
        _exit(126);
    }
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "bedrockctl";
    for (size_t i = 0; c->argv[i] != NULL && n < 63; i++) {
        argv[n++] = c->argv[i];
    }
    argv[n] = NULL;
    /* execve's prototype predates const; the arrays are not modified */
    execve("/proc/self/exe", (char *const *)(uintptr_t)argv, (char *const *)(uintptr_t)envp);
    _exit(127);
}

static int wait_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            return 1;
        }
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

bedrock_code brk_demo_run(const struct brk_demo_child *c, FILE *out, struct brk_buf *output,
                          int *status, struct bedrock_error *err)
{
    const char *envp[MAX_ENV];
    child_env(c->env, envp);
    int p[2];
    if (pipe(p) != 0) {
        set_err(err, "pipe");
        return BEDROCK_E_IO;
    }
    fflush(out);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        set_err(err, "fork");
        return BEDROCK_E_IO;
    }
    if (pid == 0) {
        close(p[0]);
        child_exec(c, p[1], envp);
    }
    close(p[1]);
    bedrock_code rc = BEDROCK_OK;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(p[0], chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (c->echo) {
            fwrite(chunk, 1, (size_t)n, out);
            fflush(out);
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append(output, chunk, (size_t)n);
        }
    }
    brk_wipe(chunk, sizeof(chunk));
    close(p[0]);
    *status = wait_status(pid);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "the command's output is too large");
    }
    return rc;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP) {
        rmdir(path);
    } else {
        unlink(path);
    }
    return 0;
}

void brk_demo_rmtree(const char *dir)
{
    if (dir != NULL && dir[0] != '\0') {
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
}
