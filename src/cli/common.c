/*
 * cli/common.c - what commands share: a bedrock_client built from the global flags, the
 * resolved configuration (profile values), the default model, reading input files.
 *
 * Invariants: the client and configuration are built at most once per run and freed by
 * brk_cli_cleanup; flags map 1:1 onto struct bedrock_client_options (seconds -> ms); nothing
 * here reads or prints a secret.
 */
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/fileio.h"
#include "../credentials/config.h"
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bedrock_code check_num(const struct brk_num *n, const char *flag, long min,
                              struct bedrock_error *err)
{
    if (n->set && n->l < min) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "%s must be at least %ld", flag, min);
        return BEDROCK_E_USAGE;
    }
    return BEDROCK_OK;
}

bedrock_code brk_cli_client(struct brk_cli *cli, struct bedrock_client **out,
                            struct bedrock_error *err)
{
    if (cli->client != NULL) {
        *out = cli->client;
        return BEDROCK_OK;
    }
    if (check_num(&cli->g.read_timeout, "--read-timeout", 0, err) != BEDROCK_OK ||
        check_num(&cli->g.connect_timeout, "--connect-timeout", 1, err) != BEDROCK_OK ||
        check_num(&cli->g.max_attempts, "--max-attempts", 1, err) != BEDROCK_OK) {
        return BEDROCK_E_USAGE;
    }
    struct bedrock_client_options o;
    memset(&o, 0, sizeof(o));
    o.profile = cli->g.profile;
    o.region = cli->g.region;
    o.endpoint_url = cli->g.endpoint_url;
    o.env_file = cli->g.env_file;
    if (cli->g.read_timeout.set) {
        /* 0 = no idle limit: the library's "unset" is 0 too, so use a day. */
        o.read_timeout_ms = cli->g.read_timeout.l > 0 ? cli->g.read_timeout.l * 1000 : 86400000;
    }
    if (cli->g.connect_timeout.set) {
        o.connect_timeout_ms = cli->g.connect_timeout.l * 1000;
    }
    if (cli->g.max_attempts.set) {
        o.max_attempts = (int)cli->g.max_attempts.l;
    }
    bedrock_code rc = bedrock_client_new(&o, &cli->client, err);
    if (rc != BEDROCK_OK) {
        cli->client = NULL;
        return rc;
    }
    *out = cli->client;
    return BEDROCK_OK;
}

bedrock_code brk_cli_get_config(struct brk_cli *cli, struct brk_config **out,
                                struct bedrock_error *err)
{
    if (cli->config == NULL) {
        struct brk_config_options o;
        memset(&o, 0, sizeof(o));
        o.profile = cli->g.profile;
        o.region = cli->g.region;
        o.endpoint_url = cli->g.endpoint_url;
        o.env_file = cli->g.env_file;
        bedrock_code rc = brk_config_load(&o, &cli->config, err);
        if (rc != BEDROCK_OK) {
            cli->config = NULL;
            return rc;
        }
    }
    *out = cli->config;
    return BEDROCK_OK;
}

const char *brk_cli_default_model(struct brk_cli *cli)
{
    struct brk_config *cfg = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    if (brk_cli_get_config(cli, &cfg, &err) == BEDROCK_OK) {
        const char *v = brk_config_getenv(cfg, "BEDROCK_MODEL_ID");
        if (v != NULL && v[0] != '\0') {
            return v;
        }
        v = brk_config_profile_value(cfg, "bedrock_model_id");
        if (v != NULL && v[0] != '\0') {
            return v;
        }
        return BRK_CLI_DEFAULT_MODEL;
    }
    const char *e = getenv("BEDROCK_MODEL_ID");
    return e != NULL && e[0] != '\0' ? e : BRK_CLI_DEFAULT_MODEL;
}

void brk_cli_cleanup(struct brk_cli *cli)
{
    bedrock_client_free(cli->client);
    cli->client = NULL;
    brk_config_free(cli->config);
    cli->config = NULL;
}

static bedrock_code read_stream(FILE *f, size_t max, struct brk_buf *b)
{
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        bedrock_code rc = brk_buf_append(b, chunk, n);
        if (rc != BEDROCK_OK) {
            return rc;
        }
    }
    (void)max;
    return ferror(f) ? BEDROCK_E_IO : BEDROCK_OK;
}

bedrock_code brk_cli_read_file(const char *path, size_t max, char **out, size_t *len,
                               struct bedrock_error *err)
{
    struct brk_buf b = BRK_BUF(max);
    bedrock_code rc;
    if (strcmp(path, "-") == 0) {
        rc = read_stream(stdin, max, &b);
    } else {
        rc = brk_file_read(path, max, &b);
    }
    if (rc == BEDROCK_OK && b.data == NULL) {
        rc = brk_buf_append(&b, "", 0);
        if (rc == BEDROCK_OK && b.data == NULL) {
            rc = brk_buf_reserve(&b, 1);
        }
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_take(&b, out, len);
    }
    if (rc != BEDROCK_OK) {
        int e = errno;
        bedrock_error_set(err, rc, "cannot read %s: %s", strcmp(path, "-") == 0 ? "stdin" : path,
                          rc == BEDROCK_E_LIMIT ? "file too large"
                          : rc == BEDROCK_E_IO  ? strerror(e)
                                                : bedrock_strerror(rc));
        if (rc == BEDROCK_E_IO) {
            /* A file the user named that is missing is a usage problem, not an internal one. */
            err->code = BEDROCK_E_INVALID_ARG;
            rc = BEDROCK_E_INVALID_ARG;
        }
    }
    brk_buf_cleanup(&b);
    return rc;
}
