/*
 * credentials/process.c - credential_process: run the profile's command via /bin/sh -c,
 * capture its stdout (at most BRK_MAX_PROCESS_OUTPUT bytes; stderr passes through to ours),
 * and read the JSON document it prints (Version 1).
 * Invariants: the child is always reaped; its output is a secret (wiped) and is never quoted
 * in an error; a non-zero exit, a signal, too much output or bad JSON is E_CREDENTIALS.
 */
#include "config.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "creds_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bedrock_code spawn(const char *command, int *fd_out, pid_t *pid)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return BEDROCK_E_IO;
    }
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0) {
        close(fds[0]);
        close(fds[1]);
        return BEDROCK_E_NOMEM;
    }
    int r = posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    if (r == 0) {
        r = posix_spawn_file_actions_addclose(&fa, fds[1]);
    }
    char sh[] = "/bin/sh";
    char dash_c[] = "-c";
    char *cmd = brk_strdup(command);
    char *argv[] = { sh, dash_c, cmd, NULL };
    if (r == 0 && cmd != NULL) {
        r = posix_spawn(pid, "/bin/sh", &fa, NULL, argv, environ);
    } else if (cmd == NULL) {
        r = ENOMEM;
    }
    posix_spawn_file_actions_destroy(&fa);
    brk_free(cmd);
    close(fds[1]);
    if (r != 0) {
        close(fds[0]);
        return r == ENOMEM ? BEDROCK_E_NOMEM : BEDROCK_E_IO;
    }
    *fd_out = fds[0];
    return BEDROCK_OK;
}

/* Read all of fd into out; E_LIMIT past the ceiling. */
static bedrock_code drain(int fd, struct brk_buf *out)
{
    char chunk[4096];
    bedrock_code rc = BEDROCK_OK;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            rc = n < 0 ? BEDROCK_E_IO : BEDROCK_OK;
            break;
        }
        rc = brk_buf_append(out, chunk, (size_t)n);
        if (rc != BEDROCK_OK) {
            break;
        }
    }
    brk_wipe(chunk, sizeof chunk);
    return rc;
}

static int reap(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return status;
}

bedrock_code brk_creds_from_process(const char *command, const char *profile,
                                    struct brk_credentials *out, struct bedrock_error *err)
{
    int fd = -1;
    pid_t pid = 0;
    bedrock_code rc = spawn(command, &fd, &pid);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc == BEDROCK_E_NOMEM ? rc : BEDROCK_E_CREDENTIALS,
                          "credential_process of profile '%.100s' could not be started", profile);
        return rc == BEDROCK_E_NOMEM ? rc : BEDROCK_E_CREDENTIALS;
    }
    struct brk_buf output = BRK_SECRET_BUF(BRK_MAX_PROCESS_OUTPUT);
    rc = drain(fd, &output);
    close(fd);
    if (rc != BEDROCK_OK) {
        (void)kill(pid, SIGTERM); /* our own child, stuck writing to a closed pipe */
    }
    int status = reap(pid);
    char what[160];
    (void)snprintf(what, sizeof what, "credential_process (profile %.100s)", profile);
    if (rc == BEDROCK_E_LIMIT) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "%s printed more than %u bytes", what,
                          BRK_MAX_PROCESS_OUTPUT);
        rc = BEDROCK_E_CREDENTIALS;
    } else if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "%s: reading its output failed", what);
    } else if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        bedrock_error_set(err, BEDROCK_E_CREDENTIALS, "%s failed (%s %d)", what,
                          status >= 0 && WIFSIGNALED(status) ? "signal" : "exit status",
                          status >= 0 && WIFSIGNALED(status) ? WTERMSIG(status)
                                                             : WEXITSTATUS(status));
        rc = BEDROCK_E_CREDENTIALS;
    } else {
        rc = brk_creds_parse_json(output.data != NULL ? output.data : "", output.len, what, true,
                                  out, err);
    }
    brk_buf_cleanup(&output);
    return rc;
}
