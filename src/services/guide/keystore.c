/*
 * services/guide/keystore.c - read and store an application's access key in a .env file or a
 * shared-credentials profile (see keystore.h). Files are 0600 and replaced atomically.
 */
#include "keystore.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/fileio.h"
#include "credentials/config.h"
#include "envfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KS_MAX_FILE (1024 * 1024)

void brk_keystore_key_cleanup(struct brk_keystore_key *k)
{
    if (k != NULL) {
        brk_secret_free(k->secret);
        k->secret = NULL;
        k->id[0] = '\0';
    }
}

static bedrock_code home_path(const char *env, const char *rel, char *out, size_t len)
{
    const char *v = getenv(env);
    int n;
    if (v != NULL && v[0] != '\0') {
        n = snprintf(out, len, "%s", v);
    } else {
        const char *home = getenv("HOME");
        if (home == NULL || home[0] == '\0') {
            return BEDROCK_E_IO;
        }
        n = snprintf(out, len, "%s/%s", home, rel);
    }
    return n < 0 || (size_t)n >= len ? BEDROCK_E_LIMIT : BEDROCK_OK;
}

bedrock_code brk_keystore_credentials_path(char *out, size_t len)
{
    return home_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", out, len);
}

bedrock_code brk_keystore_config_path(char *out, size_t len)
{
    return home_path("AWS_CONFIG_FILE", ".aws/config", out, len);
}

void brk_keystore_describe(const struct brk_keystore *ks, char *out, size_t len)
{
    char path[1024];
    if (ks->env_file != NULL) {
        snprintf(out, len, ".env file %s", ks->env_file);
    } else if (brk_keystore_credentials_path(path, sizeof(path)) == BEDROCK_OK) {
        snprintf(out, len, "profile %s in %s", ks->profile, path);
    } else {
        snprintf(out, len, "profile %s", ks->profile);
    }
}

/* Reads path into b; a missing file is empty. */
static bedrock_code read_existing(const char *path, struct brk_buf *b, struct bedrock_error *err)
{
    bedrock_code rc = brk_file_read(path, KS_MAX_FILE, b);
    if (rc == BEDROCK_E_IO && errno == ENOENT) {
        brk_buf_reset(b);
        return BEDROCK_OK;
    }
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot read %s: %s", path, strerror(errno));
    }
    return rc;
}

static bedrock_code set_secret(struct brk_keystore_key *out, const char *id, const char *secret)
{
    snprintf(out->id, sizeof(out->id), "%s", id != NULL ? id : "");
    if (secret != NULL && secret[0] != '\0') {
        out->secret = brk_strdup(secret);
        if (out->secret == NULL) {
            return BEDROCK_E_NOMEM;
        }
    }
    return BEDROCK_OK;
}

bedrock_code brk_keystore_read(const struct brk_keystore *ks, struct brk_keystore_key *out,
                               struct bedrock_error *err)
{
    memset(out, 0, sizeof(*out));
    struct brk_buf b = BRK_SECRET_BUF(KS_MAX_FILE);
    char path[1024];
    bedrock_code rc;
    if (ks->env_file != NULL) {
        snprintf(path, sizeof(path), "%s", ks->env_file);
    } else if (brk_keystore_credentials_path(path, sizeof(path)) != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_IO, "no HOME and no AWS_SHARED_CREDENTIALS_FILE");
        return BEDROCK_E_IO;
    }
    rc = read_existing(path, &b, err);
    if (rc != BEDROCK_OK || b.len == 0) {
        goto out;
    }
    if (ks->env_file != NULL) {
        struct brk_dotenv *env = NULL;
        rc = brk_dotenv_parse(b.data, b.len, &env, err);
        if (rc == BEDROCK_OK) {
            rc = set_secret(out, brk_dotenv_get(env, "AWS_ACCESS_KEY_ID"),
                            brk_dotenv_get(env, "AWS_SECRET_ACCESS_KEY"));
        }
        brk_dotenv_free(env);
    } else {
        struct brk_ini *ini = NULL;
        rc = brk_ini_parse(b.data, b.len, &ini, err);
        if (rc == BEDROCK_OK) {
            rc = set_secret(out, brk_ini_get(ini, ks->profile, "aws_access_key_id"),
                            brk_ini_get(ini, ks->profile, "aws_secret_access_key"));
        }
        brk_ini_free(ini);
    }
    if (rc == BEDROCK_E_NOMEM) {
        bedrock_error_set(err, rc, "out of memory");
    }
out:
    brk_buf_cleanup(&b);
    return rc;
}

static bedrock_code write_merged(const char *path, const char *section, const struct brk_kv *kv,
                                 size_t n, struct bedrock_error *err)
{
    struct brk_buf in = BRK_SECRET_BUF(KS_MAX_FILE);
    struct brk_buf outb = BRK_SECRET_BUF(KS_MAX_FILE * 2);
    bedrock_code rc = read_existing(path, &in, err);
    if (rc != BEDROCK_OK) {
        goto out;
    }
    const char *text = in.data != NULL ? in.data : "";
    rc = section != NULL ? brk_ini_merge(text, in.len, section, kv, n, &outb)
                         : brk_envfile_merge(text, in.len, kv, n, &outb);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot merge the key into %s", path);
        goto out;
    }
    rc = brk_file_write_atomic(path, outb.data != NULL ? outb.data : "", outb.len, 0600);
    if (rc != BEDROCK_OK) {
        bedrock_error_set(err, rc, "cannot write %s: %s", path, strerror(errno));
    }
out:
    brk_buf_cleanup(&in);
    brk_buf_cleanup(&outb);
    return rc;
}

bedrock_code brk_keystore_write(const struct brk_keystore *ks, const char *id, const char *secret,
                                const char *region, char *gitignored, size_t gi_len,
                                struct bedrock_error *err)
{
    if (gitignored != NULL && gi_len > 0) {
        gitignored[0] = '\0';
    }
    if (ks->env_file != NULL) {
        struct brk_kv kv[3] = { { "AWS_ACCESS_KEY_ID", id },
                                { "AWS_SECRET_ACCESS_KEY", secret },
                                { "AWS_REGION", region } };
        bedrock_code rc = write_merged(ks->env_file, NULL, kv, region != NULL ? 3 : 2, err);
        bool inside = false;
        if (rc == BEDROCK_OK && gitignored != NULL && brk_git_needs_ignore(ks->env_file, &inside)) {
            if (brk_git_add_ignore(ks->env_file, gitignored, gi_len) != BEDROCK_OK) {
                snprintf(gitignored, gi_len, "(failed to update .gitignore: add %s yourself)",
                         ks->env_file);
            }
        }
        return rc;
    }
    char path[1024];
    if (brk_keystore_credentials_path(path, sizeof(path)) != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_IO, "no HOME and no AWS_SHARED_CREDENTIALS_FILE");
        return BEDROCK_E_IO;
    }
    struct brk_kv kv[2] = { { "aws_access_key_id", id }, { "aws_secret_access_key", secret } };
    bedrock_code rc = write_merged(path, ks->profile, kv, 2, err);
    if (rc != BEDROCK_OK || region == NULL) {
        return rc;
    }
    if (brk_keystore_config_path(path, sizeof(path)) != BEDROCK_OK) {
        bedrock_error_set(err, BEDROCK_E_IO, "no HOME and no AWS_CONFIG_FILE");
        return BEDROCK_E_IO;
    }
    char section[192];
    if (strcmp(ks->profile, "default") == 0) {
        snprintf(section, sizeof(section), "default");
    } else {
        snprintf(section, sizeof(section), "profile %s", ks->profile);
    }
    struct brk_kv rkv[1] = { { "region", region } };
    return write_merged(path, section, rkv, 1, err);
}

bedrock_code brk_keystore_journal_path(const struct brk_keystore *ks, char *out, size_t len)
{
    int n;
    if (ks->env_file != NULL) {
        n = snprintf(out, len, "%s.rotation", ks->env_file);
    } else {
        char path[1024];
        if (brk_keystore_credentials_path(path, sizeof(path)) != BEDROCK_OK) {
            return BEDROCK_E_IO;
        }
        n = snprintf(out, len, "%s.%s.rotation", path, ks->profile);
    }
    return n < 0 || (size_t)n >= len ? BEDROCK_E_LIMIT : BEDROCK_OK;
}
