/*
 * services/guide/envfile.c - line-preserving merges for .env and INI files.
 *
 * Both merges walk the input line by line (a line keeps its own terminator, "\n" or "\r\n",
 * or none at the end of the file) and copy it unchanged unless it is a line of a key being set.
 * The output's line ending for new lines follows the file's first line ending.
 */
#include "envfile.h"

#include "core/alloc.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct line {
    const char *p; /* start */
    size_t len;    /* without terminator */
    size_t full;   /* with terminator */
};

static bool next_line(const char *text, size_t len, size_t *pos, struct line *ln)
{
    if (*pos >= len) {
        return false;
    }
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t full = nl != NULL ? (size_t)(nl - start) + 1 : len - *pos;
    size_t l = nl != NULL ? full - 1 : full;
    if (l > 0 && start[l - 1] == '\r') {
        l--;
    }
    ln->p = start;
    ln->len = l;
    ln->full = full;
    *pos += full;
    return true;
}

static const char *eol_of(const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    if (nl != NULL && nl > text && nl[-1] == '\r') {
        return "\r\n";
    }
    return "\n";
}

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t')) {
        i++;
    }
    return i;
}

/* The key of a .env line, or len 0. *export_len gets the length of an "export " prefix. */
static struct brk_slice env_key(const struct line *ln, size_t *prefix_len)
{
    size_t i = skip_ws(ln->p, 0, ln->len);
    if (ln->len - i > 7 && strncmp(ln->p + i, "export", 6) == 0 &&
        (ln->p[i + 6] == ' ' || ln->p[i + 6] == '\t')) {
        i = skip_ws(ln->p, i + 6, ln->len);
    }
    *prefix_len = i;
    size_t k = i;
    while (k < ln->len && ln->p[k] != '=' && ln->p[k] != ' ' && ln->p[k] != '\t') {
        k++;
    }
    size_t eq = skip_ws(ln->p, k, ln->len);
    struct brk_slice s = { ln->p + i, 0 };
    if (eq < ln->len && ln->p[eq] == '=' && k > i && ln->p[i] != '#') {
        s.len = k - i;
    }
    return s;
}

static bool needs_quotes(const char *v)
{
    for (const char *c = v; *c != '\0'; c++) {
        if (*c == ' ' || *c == '#' || *c == '"' || *c == '\'' || *c == '\\' || *c == '$' ||
            *c == '\t' || *c == '=') {
            return true;
        }
    }
    return *v == '\0';
}

static bedrock_code append_env_value(struct brk_buf *out, const char *v)
{
    if (!needs_quotes(v)) {
        return brk_buf_append_str(out, v);
    }
    bedrock_code rc = brk_buf_append_char(out, '"');
    for (const char *c = v; rc == BEDROCK_OK && *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            rc = brk_buf_append_char(out, '\\');
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append_char(out, *c);
        }
    }
    return rc == BEDROCK_OK ? brk_buf_append_char(out, '"') : rc;
}

bedrock_code brk_envfile_merge(const char *text, size_t len, const struct brk_kv *set, size_t n,
                               struct brk_buf *out)
{
    bool *done = brk_calloc(n == 0 ? 1 : n, sizeof(bool));
    if (done == NULL) {
        return BEDROCK_E_NOMEM;
    }
    const char *eol = eol_of(text, len);
    bedrock_code rc = BEDROCK_OK;
    size_t pos = 0;
    struct line ln;
    bool last_has_eol = true;
    while (rc == BEDROCK_OK && next_line(text, len, &pos, &ln)) {
        size_t prefix = 0;
        struct brk_slice key = env_key(&ln, &prefix);
        size_t hit = n;
        for (size_t i = 0; key.len > 0 && i < n; i++) {
            if (brk_slice_eq_str(key, set[i].key)) {
                hit = i;
            }
        }
        last_has_eol = ln.full > ln.len;
        if (hit == n) {
            rc = brk_buf_append(out, ln.p, ln.full);
            continue;
        }
        if (done[hit] || set[hit].value == NULL) {
            done[hit] = true;
            continue; /* drop duplicates and removed keys */
        }
        done[hit] = true;
        rc = brk_buf_append(out, ln.p, prefix);
        if (rc == BEDROCK_OK) {
            rc = brk_buf_appendf(out, "%s=", set[hit].key);
        }
        if (rc == BEDROCK_OK) {
            rc = append_env_value(out, set[hit].value);
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append(out, ln.p + ln.len, ln.full - ln.len);
        }
    }
    for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
        if (done[i] || set[i].value == NULL) {
            continue;
        }
        if (!last_has_eol && out->len > 0) {
            rc = brk_buf_append_str(out, eol);
            last_has_eol = true;
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_appendf(out, "%s=", set[i].key);
        }
        if (rc == BEDROCK_OK) {
            rc = append_env_value(out, set[i].value);
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append_str(out, eol);
        }
    }
    brk_free(done);
    return rc;
}

/* "[ name ]" -> name (trimmed), or len 0 when the line is not a section header. */
static struct brk_slice ini_section(const struct line *ln)
{
    struct brk_slice s = brk_slice_trim((struct brk_slice){ ln->p, ln->len });
    struct brk_slice none = { ln->p, 0 };
    if (s.len < 2 || s.ptr[0] != '[') {
        return none;
    }
    const char *close = memchr(s.ptr, ']', s.len);
    if (close == NULL) {
        return none;
    }
    return brk_slice_trim((struct brk_slice){ s.ptr + 1, (size_t)(close - s.ptr - 1) });
}

static struct brk_slice ini_key(const struct line *ln)
{
    struct brk_slice none = { ln->p, 0 };
    if (ln->len == 0 || ln->p[0] == ' ' || ln->p[0] == '\t' || ln->p[0] == '#' || ln->p[0] == ';' ||
        ln->p[0] == '[') {
        return none; /* continuation lines, comments and sections are not keys */
    }
    const char *eq = memchr(ln->p, '=', ln->len);
    if (eq == NULL) {
        return none;
    }
    return brk_slice_trim((struct brk_slice){ ln->p, (size_t)(eq - ln->p) });
}

static bedrock_code append_ini_kv(struct brk_buf *out, const struct brk_kv *kv, const char *eol)
{
    return brk_buf_appendf(out, "%s = %s%s", kv->key, kv->value, eol);
}

bedrock_code brk_ini_merge(const char *text, size_t len, const char *section,
                           const struct brk_kv *set, size_t n, struct brk_buf *out)
{
    bool *done = brk_calloc(n == 0 ? 1 : n, sizeof(bool));
    if (done == NULL) {
        return BEDROCK_E_NOMEM;
    }
    const char *eol = eol_of(text, len);
    bedrock_code rc = BEDROCK_OK;
    size_t pos = 0;
    struct line ln;
    bool in_target = false, seen_target = false, last_has_eol = true;
    size_t pending = 0; /* blank/comment lines held back at the end of the target section */
    size_t pending_at = 0;
    while (rc == BEDROCK_OK && next_line(text, len, &pos, &ln)) {
        struct brk_slice sec = ini_section(&ln);
        if (sec.len > 0) {
            if (in_target) {
                /* leaving the target section: add the keys it lacked before held lines */
                for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
                    if (!done[i] && set[i].value != NULL) {
                        done[i] = true;
                        rc = append_ini_kv(out, &set[i], eol);
                    }
                }
            }
            if (rc == BEDROCK_OK && pending > 0) {
                rc = brk_buf_append(out, text + pending_at, pending);
                pending = 0;
            }
            in_target = brk_slice_eq_str(sec, section);
            seen_target = seen_target || in_target;
            last_has_eol = ln.full > ln.len;
            if (rc == BEDROCK_OK) {
                rc = brk_buf_append(out, ln.p, ln.full);
            }
            continue;
        }
        last_has_eol = ln.full > ln.len;
        if (!in_target) {
            rc = brk_buf_append(out, ln.p, ln.full);
            continue;
        }
        struct brk_slice key = ini_key(&ln);
        if (key.len == 0) {
            /* hold blank lines and comments so new keys go before the gap to the next section */
            if (pending == 0) {
                pending_at = (size_t)(ln.p - text);
            }
            pending += ln.full;
            continue;
        }
        if (pending > 0) {
            rc = brk_buf_append(out, text + pending_at, pending);
            pending = 0;
            if (rc != BEDROCK_OK) {
                break;
            }
        }
        size_t hit = n;
        for (size_t i = 0; i < n; i++) {
            if (brk_slice_eq_str(key, set[i].key)) {
                hit = i;
            }
        }
        if (hit == n) {
            rc = brk_buf_append(out, ln.p, ln.full);
            continue;
        }
        if (done[hit] || set[hit].value == NULL) {
            done[hit] = true;
            continue;
        }
        done[hit] = true;
        rc = brk_buf_appendf(out, "%s = %s", set[hit].key, set[hit].value);
        if (rc == BEDROCK_OK) {
            rc = brk_buf_append(out, ln.p + ln.len, ln.full - ln.len);
        }
    }
    if (rc == BEDROCK_OK && in_target) {
        if (!last_has_eol && pending == 0 && out->len > 0) {
            rc = brk_buf_append_str(out, eol);
        }
        for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
            if (!done[i] && set[i].value != NULL) {
                done[i] = true;
                rc = append_ini_kv(out, &set[i], eol);
            }
        }
    }
    if (rc == BEDROCK_OK && pending > 0) {
        rc = brk_buf_append(out, text + pending_at, pending);
    }
    if (rc == BEDROCK_OK && !seen_target) {
        if (out->len > 0 && out->data[out->len - 1] != '\n') {
            rc = brk_buf_append_str(out, eol);
        }
        if (rc == BEDROCK_OK && out->len > 0) {
            rc = brk_buf_append_str(out, eol); /* a blank line before the new section */
        }
        if (rc == BEDROCK_OK) {
            rc = brk_buf_appendf(out, "[%s]%s", section, eol);
        }
        for (size_t i = 0; rc == BEDROCK_OK && i < n; i++) {
            if (set[i].value != NULL) {
                rc = append_ini_kv(out, &set[i], eol);
            }
        }
    }
    brk_free(done);
    return rc;
}

/* Runs git with args in the directory of path; returns its exit status (or -1). */
static int run_git(const char *dir, const char *const *args, char *out, size_t outlen)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) {
            dup2(devnull, STDERR_FILENO);
        }
        close(fds[0]);
        if (chdir(dir) != 0) {
            _exit(127);
        }
        execvp("git", (char *const *)(uintptr_t)args);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t r;
    while ((r = read(fds[0], out + used, outlen > used + 1 ? outlen - used - 1 : 0)) > 0) {
        used += (size_t)r;
    }
    close(fds[0]);
    if (outlen > 0) {
        out[used] = '\0';
        while (used > 0 && (out[used - 1] == '\n' || out[used - 1] == '\r')) {
            out[--used] = '\0';
        }
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
        return -1;
    }
    return WEXITSTATUS(status);
}

static void split_path(const char *path, char *dir, size_t dlen, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(dir, dlen, ".");
        *base = path;
        return;
    }
    size_t n = (size_t)(slash - path);
    snprintf(dir, dlen, "%.*s", (int)(n == 0 ? 1 : n), n == 0 ? "/" : path);
    *base = slash + 1;
}

bool brk_git_needs_ignore(const char *path, bool *inside)
{
    char dir[4096], out[4096];
    const char *base;
    split_path(path, dir, sizeof(dir), &base);
    const char *in_tree[] = { "git", "rev-parse", "--is-inside-work-tree", NULL };
    *inside = run_git(dir, in_tree, out, sizeof(out)) == 0 && strcmp(out, "true") == 0;
    if (!*inside) {
        return false;
    }
    const char *check[] = { "git", "check-ignore", "-q", base, NULL };
    return run_git(dir, check, out, sizeof(out)) == 1; /* 1 = not ignored */
}

bedrock_code brk_git_add_ignore(const char *path, char *added, size_t added_len)
{
    char dir[4096], top[4096], prefix[4096];
    const char *base;
    split_path(path, dir, sizeof(dir), &base);
    const char *toplevel[] = { "git", "rev-parse", "--show-toplevel", NULL };
    const char *pfx[] = { "git", "rev-parse", "--show-prefix", NULL };
    if (run_git(dir, toplevel, top, sizeof(top)) != 0 ||
        run_git(dir, pfx, prefix, sizeof(prefix)) != 0) {
        return BEDROCK_E_IO;
    }
    snprintf(added, added_len, "/%s%s", prefix, base);
    char gi[4200];
    snprintf(gi, sizeof(gi), "%s/.gitignore", top);
    FILE *f = fopen(gi, "a+");
    if (f == NULL) {
        return BEDROCK_E_IO;
    }
    /* start on a fresh line if the file does not end with one */
    bool need_nl = false;
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > 0 && fseek(f, -1, SEEK_END) == 0) {
        need_nl = fgetc(f) != '\n';
    }
    fseek(f, 0, SEEK_END);
    int w = fprintf(f, "%s%s\n", need_nl ? "\n" : "", added);
    int c = fclose(f);
    return (w < 0 || c != 0) ? BEDROCK_E_IO : BEDROCK_OK;
}
