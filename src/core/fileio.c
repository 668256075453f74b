/*
 * core/fileio.c - whole-file reads and atomic writes (see fileio.h).
 *
 * Invariants: brk_file_read never returns a partial file; brk_file_write_atomic never leaves
 * its temp file behind and never touches the target before the final rename.
 */
#include "fileio.h"

#include "alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum brk_file_step fail_step = BRK_FILE_STEP_NONE;

void brk_file_test_fail_step(enum brk_file_step step)
{
    fail_step = step;
}

static bool injected(enum brk_file_step step)
{
    if (fail_step != BRK_FILE_STEP_NONE && fail_step == step) {
        errno = EIO;
        return true;
    }
    return false;
}

bool brk_file_exists(const char *path)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0) {
        return false;
    }
    return S_ISREG(st.st_mode);
}

static bedrock_code read_fd(int fd, size_t max, struct brk_buf *tmp)
{
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return BEDROCK_E_IO;
        }
        if (n == 0) {
            return BEDROCK_OK;
        }
        if ((size_t)n > max - tmp->len) {
            return BEDROCK_E_LIMIT;
        }
        bedrock_code rc = brk_buf_append(tmp, chunk, (size_t)n);
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
}

bedrock_code brk_file_read(const char *path, size_t max, struct brk_buf *out)
{
    if (path == NULL || out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return BEDROCK_E_IO;
    }
    struct brk_buf tmp = BRK_BUF(max);
    tmp.secret = out->secret;
    bedrock_code rc = read_fd(fd, max, &tmp);
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append(&tmp, "", 0); /* data != NULL even for an empty file */
    }
    int saved = errno;
    close(fd);
    if (rc != BEDROCK_OK) {
        brk_buf_cleanup(&tmp);
        errno = saved;
        return rc;
    }
    brk_buf_cleanup(out);
    *out = tmp;
    return BEDROCK_OK;
}

/* "<dir>/.<base>.tmp-<16 hex>" next to path. */
static bedrock_code temp_name(const char *path, char *out, size_t outlen)
{
    unsigned char rnd[8];
    char hex[17];
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
        return BEDROCK_E_INTERNAL;
    }
    for (size_t i = 0; i < sizeof rnd; i++) {
        (void)snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    }
    const char *slash = strrchr(path, '/');
    int dirlen = slash == NULL ? 0 : (int)(slash - path + 1);
    const char *base = slash == NULL ? path : slash + 1;
    int n = snprintf(out, outlen, "%.*s.%s.tmp-%s", dirlen, path, base, hex);
    if (n < 0 || (size_t)n >= outlen) {
        return BEDROCK_E_LIMIT;
    }
    return BEDROCK_OK;
}

static bedrock_code write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        if (injected(BRK_FILE_STEP_WRITE)) {
            return BEDROCK_E_IO;
        }
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return BEDROCK_E_IO;
        }
        p += n;
        len -= (size_t)n;
    }
    return BEDROCK_OK;
}

/* fsync the directory holding path so the rename itself is durable. Best effort. */
static void sync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        (void)snprintf(dir, sizeof dir, ".");
    } else if (slash == path) {
        (void)snprintf(dir, sizeof dir, "/");
    } else {
        (void)snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static int open_temp(const char *path, char *tmp, size_t tmplen, bedrock_code *rc)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        *rc = temp_name(path, tmp, tmplen);
        if (*rc != BEDROCK_OK) {
            return -1;
        }
        if (injected(BRK_FILE_STEP_OPEN)) {
            *rc = BEDROCK_E_IO;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            return fd;
        }
        if (errno != EEXIST) {
            break;
        }
    }
    *rc = BEDROCK_E_IO;
    return -1;
}

bedrock_code brk_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
    if (path == NULL || *path == '\0' || (data == NULL && len > 0)) {
        return BEDROCK_E_INVALID_ARG;
    }
    char tmp[4200];
    bedrock_code rc = BEDROCK_OK;
    int fd = open_temp(path, tmp, sizeof tmp, &rc);
    if (fd < 0) {
        return rc;
    }
    rc = BEDROCK_E_IO;
    if (fchmod(fd, (mode_t)mode) != 0) {
        goto out;
    }
    if (write_all(fd, data, len) != BEDROCK_OK) {
        goto out;
    }
    if (injected(BRK_FILE_STEP_FSYNC) || fsync(fd) != 0) {
        goto out;
    }
    int cfd = fd;
    fd = -1;
    if (close(cfd) != 0) {
        goto out;
    }
    if (injected(BRK_FILE_STEP_RENAME) || rename(tmp, path) != 0) {
        goto out;
    }
    sync_dir(path);
    return BEDROCK_OK;
out:;
    int saved = errno;
    if (fd >= 0) {
        close(fd);
    }
    (void)unlink(tmp);
    errno = saved;
    return rc;
}
