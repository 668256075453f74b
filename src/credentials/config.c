/*
 * credentials/config.c - profile, region and endpoint resolution over the environment, the
 * .env file and the shared config/credentials files (precedence in config.h).
 *
 * Invariants: every resolved value carries a human-readable source; an empty string counts as
 * unset everywhere; files are read once at load; secrets (explicit credentials, file values)
 * are wiped when the config is freed.
 */
#include "config.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "creds_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cfg_file {
    char *path;        /* expanded, NULL when no HOME and no override */
    char display[512]; /* as shown to users */
    struct brk_ini *ini;
};

struct brk_config {
    char *profile;
    char profile_source[64];
    char *region;
    char region_source[600];
    char *endpoint_url;
    char *akid, *secret, *token, *bearer;
    struct cfg_file files[2]; /* [BRK_CFG_CREDENTIALS], [BRK_CFG_CONFIG] */
    struct brk_dotenv *dotenv;
    char *dotenv_path;
};

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? v : NULL;
}

void brk_config_free(struct brk_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    brk_free(cfg->profile);
    brk_free(cfg->region);
    brk_free(cfg->endpoint_url);
    brk_free(cfg->akid);
    brk_secret_free(cfg->secret);
    brk_secret_free(cfg->token);
    brk_secret_free(cfg->bearer);
    for (int i = 0; i < 2; i++) {
        brk_free(cfg->files[i].path);
        brk_ini_free(cfg->files[i].ini);
    }
    brk_dotenv_free(cfg->dotenv);
    brk_free(cfg->dotenv_path);
    brk_free(cfg);
}

/* "~/x" -> "$HOME/x"; other paths copied. *out NULL (OK) when ~ cannot be expanded. */
static bedrock_code expand_path(const char *path, char **out)
{
    *out = NULL;
    if (path[0] != '~') {
        *out = brk_strdup(path);
        return *out == NULL ? BEDROCK_E_NOMEM : BEDROCK_OK;
    }
    const char *home = env_nonempty("HOME");
    if (home == NULL || (path[1] != '/' && path[1] != '\0')) {
        return BEDROCK_OK;
    }
    struct brk_buf b = BRK_BUF(BRK_MAX_URL_BYTES);
    bedrock_code rc = brk_buf_appendf(&b, "%s%s", home, path + 1);
    if (rc == BEDROCK_OK) {
        rc = brk_buf_take(&b, out, NULL);
    }
    brk_buf_cleanup(&b);
    return rc;
}

static bedrock_code load_file(struct cfg_file *f, const char *env_name, const char *deflt,
                              struct bedrock_error *err)
{
    const char *given = env_nonempty(env_name);
    (void)snprintf(f->display, sizeof f->display, "%s", given != NULL ? given : deflt);
    bedrock_code rc = expand_path(given != NULL ? given : deflt, &f->path);
    if (rc != BEDROCK_OK || f->path == NULL || !brk_file_exists(f->path)) {
        return rc;
    }
    struct brk_buf data = BRK_SECRET_BUF(BRK_MAX_CONFIG_FILE);
    rc = brk_file_read(f->path, BRK_MAX_CONFIG_FILE, &data);
    if (rc == BEDROCK_OK) {
        rc = brk_ini_parse(data.data, data.len, &f->ini, err);
        if (rc == BEDROCK_E_PARSE) {
            char msg[sizeof err->message];
            (void)snprintf(msg, sizeof msg, "%s", err->message);
            bedrock_error_set(err, rc, "%s: %s", f->display, msg);
        }
    } else {
        bedrock_error_set(err, rc, "cannot read %s", f->display);
    }
    brk_buf_cleanup(&data);
    return rc;
}

static bedrock_code load_dotenv(struct brk_config *cfg, const struct brk_config_options *o,
                                struct bedrock_error *err)
{
    const char *path = o->env_file;
    if (path == NULL) {
        if (o->no_dotenv || !brk_file_exists("./.env")) {
            return BEDROCK_OK;
        }
        path = "./.env";
    }
    cfg->dotenv_path = brk_strdup(path);
    if (cfg->dotenv_path == NULL) {
        return BEDROCK_E_NOMEM;
    }
    struct brk_buf data = BRK_SECRET_BUF(BRK_MAX_CONFIG_FILE);
    bedrock_code rc = brk_file_read(path, BRK_MAX_CONFIG_FILE, &data);
    if (rc == BEDROCK_OK) {
        rc = brk_dotenv_parse(data.data, data.len, &cfg->dotenv, err);
        if (rc == BEDROCK_E_PARSE) {
            char msg[sizeof err->message];
            (void)snprintf(msg, sizeof msg, "%s", err->message);
            bedrock_error_set(err, rc, "%s: %s", path, msg);
        }
    } else {
        bedrock_error_set(err, rc, "cannot read env file %s", path);
    }
    brk_buf_cleanup(&data);
    return rc;
}

static bedrock_code pick_profile(struct brk_config *cfg, const struct brk_config_options *o)
{
    const char *names[] = { "--profile", "AWS_PROFILE", "AWS_DEFAULT_PROFILE" };
    const char *vals[] = { o->profile, env_nonempty("AWS_PROFILE"),
                           env_nonempty("AWS_DEFAULT_PROFILE") };
    const char *pick = "default";
    const char *src = "default";
    for (size_t i = 0; i < 3; i++) {
        if (vals[i] != NULL && *vals[i] != '\0') {
            pick = vals[i];
            src = names[i];
            break;
        }
    }
    (void)snprintf(cfg->profile_source, sizeof cfg->profile_source, "%s", src);
    cfg->profile = brk_strdup(pick);
    return cfg->profile == NULL ? BEDROCK_E_NOMEM : BEDROCK_OK;
}

static bool valid_region(const char *r)
{
    for (const char *p = r; *p != '\0'; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                  (*p >= 'A' && *p <= 'Z');
        if (!ok) {
            return false;
        }
    }
    return strlen(r) < 64;
}

static bedrock_code set_region(struct brk_config *cfg, const char *val, const char *src,
                               struct bedrock_error *err)
{
    if (!valid_region(val)) {
        bedrock_error_set(err, BEDROCK_E_USAGE, "region '%.64s' from %s is not a valid region", val,
                          src);
        return BEDROCK_E_USAGE;
    }
    (void)snprintf(cfg->region_source, sizeof cfg->region_source, "%s", src);
    cfg->region = brk_strdup(val);
    return cfg->region == NULL ? BEDROCK_E_NOMEM : BEDROCK_OK;
}

static bedrock_code pick_region(struct brk_config *cfg, const struct brk_config_options *o,
                                struct bedrock_error *err)
{
    char src[600];
    const char *v = o->region != NULL && *o->region != '\0' ? o->region : NULL;
    if (v != NULL) {
        return set_region(cfg, v, "--region", err);
    }
    const char *envs[] = { "AWS_REGION", "AWS_DEFAULT_REGION" };
    for (size_t i = 0; i < 2; i++) {
        v = env_nonempty(envs[i]);
        if (v != NULL) {
            return set_region(cfg, v, envs[i], err);
        }
    }
    for (size_t i = 0; i < 2; i++) {
        v = brk_config_dotenv_value(cfg, envs[i]);
        if (v != NULL) {
            (void)snprintf(src, sizeof src, ".env (%s)", cfg->dotenv_path);
            return set_region(cfg, v, src, err);
        }
    }
    for (int f = BRK_CFG_CONFIG; f >= BRK_CFG_CREDENTIALS; f--) {
        v = brk_config_file_value(cfg, (enum brk_cfg_file)f, cfg->profile, "region");
        if (v != NULL && *v != '\0') {
            (void)snprintf(src, sizeof src, "profile %s (%s)", cfg->profile, cfg->files[f].display);
            return set_region(cfg, v, src, err);
        }
    }
    return BEDROCK_OK;
}

static bedrock_code copy_options(struct brk_config *cfg, const struct brk_config_options *o)
{
    const char *src[] = { o->endpoint_url, o->access_key_id, o->secret_access_key, o->session_token,
                          o->bearer_token };
    char **dst[] = { &cfg->endpoint_url, &cfg->akid, &cfg->secret, &cfg->token, &cfg->bearer };
    for (size_t i = 0; i < 5; i++) {
        if (src[i] != NULL && *src[i] != '\0') {
            *dst[i] = brk_strdup(src[i]);
            if (*dst[i] == NULL) {
                return BEDROCK_E_NOMEM;
            }
        }
    }
    return BEDROCK_OK;
}

static bedrock_code check_profile(const struct brk_config *cfg, struct bedrock_error *err)
{
    if (strcmp(cfg->profile_source, "default") == 0 ||
        brk_config_profile_exists(cfg, cfg->profile)) {
        return BEDROCK_OK;
    }
    bedrock_error_set(err, BEDROCK_E_CREDENTIALS,
                      "profile '%.128s' (from %s) not found in %s or %s", cfg->profile,
                      cfg->profile_source, cfg->files[BRK_CFG_CONFIG].display,
                      cfg->files[BRK_CFG_CREDENTIALS].display);
    bedrock_error_hint(err,
                       "list profiles with `aws configure list-profiles`, or create it "
                       "with `aws configure --profile %.128s`",
                       cfg->profile);
    return BEDROCK_E_CREDENTIALS;
}

bedrock_code brk_config_load(const struct brk_config_options *opts, struct brk_config **out,
                             struct bedrock_error *err)
{
    static const struct brk_config_options none;
    const struct brk_config_options *o = opts != NULL ? opts : &none;
    if (out == NULL) {
        return BEDROCK_E_INVALID_ARG;
    }
    struct brk_config *cfg = brk_calloc(1, sizeof *cfg);
    if (cfg == NULL) {
        bedrock_error_set(err, BEDROCK_E_NOMEM, "out of memory loading the configuration");
        return BEDROCK_E_NOMEM;
    }
    bedrock_code rc = copy_options(cfg, o);
    if (rc == BEDROCK_OK) {
        rc = pick_profile(cfg, o);
    }
    if (rc == BEDROCK_OK) {
        rc = load_file(&cfg->files[BRK_CFG_CONFIG], "AWS_CONFIG_FILE", "~/.aws/config", err);
    }
    if (rc == BEDROCK_OK) {
        rc = load_file(&cfg->files[BRK_CFG_CREDENTIALS], "AWS_SHARED_CREDENTIALS_FILE",
                       "~/.aws/credentials", err);
    }
    if (rc == BEDROCK_OK) {
        rc = check_profile(cfg, err);
    }
    if (rc == BEDROCK_OK) {
        rc = load_dotenv(cfg, o, err);
    }
    if (rc == BEDROCK_OK) {
        rc = pick_region(cfg, o, err);
    }
    if (rc != BEDROCK_OK) {
        if (rc == BEDROCK_E_NOMEM) {
            bedrock_error_set(err, rc, "out of memory loading the configuration");
        }
        brk_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return BEDROCK_OK;
}

const char *brk_config_profile(const struct brk_config *cfg)
{
    return cfg->profile;
}

const char *brk_config_profile_source(const struct brk_config *cfg)
{
    return cfg->profile_source;
}

const char *brk_config_region(const struct brk_config *cfg)
{
    return cfg->region;
}

const char *brk_config_region_source(const struct brk_config *cfg)
{
    return cfg->region != NULL ? cfg->region_source : "none";
}

const char *brk_config_endpoint_option(const struct brk_config *cfg)
{
    return cfg->endpoint_url;
}

const char *brk_config_region_or_default(const struct brk_config *cfg)
{
    return cfg->region != NULL ? cfg->region : "us-east-1";
}

const char *brk_config_getenv(const struct brk_config *cfg, const char *name)
{
    const char *v = env_nonempty(name);
    return v != NULL ? v : brk_config_dotenv_value(cfg, name);
}

const char *brk_config_dotenv_value(const struct brk_config *cfg, const char *name)
{
    const char *v = brk_dotenv_get(cfg->dotenv, name);
    return v != NULL && *v != '\0' ? v : NULL;
}

const char *brk_config_dotenv_path(const struct brk_config *cfg)
{
    return cfg->dotenv != NULL ? cfg->dotenv_path : NULL;
}

void brk_config_explicit(const struct brk_config *cfg, const char **akid, const char **secret,
                         const char **token, const char **bearer)
{
    *akid = cfg->akid;
    *secret = cfg->secret;
    *token = cfg->token;
    *bearer = cfg->bearer;
}

const char *brk_config_file_display(const struct brk_config *cfg, enum brk_cfg_file which)
{
    return cfg->files[which].display;
}

const char *brk_config_file_value(const struct brk_config *cfg, enum brk_cfg_file which,
                                  const char *profile, const char *key)
{
    const struct brk_ini *ini = cfg->files[which].ini;
    if (ini == NULL || profile == NULL) {
        return NULL;
    }
    if (which == BRK_CFG_CREDENTIALS) {
        return brk_ini_get(ini, profile, key);
    }
    char section[300];
    (void)snprintf(section, sizeof section, "profile %s", profile);
    if (strcmp(profile, "default") == 0) {
        const char *v = brk_ini_get(ini, "default", key);
        if (v != NULL) {
            return v;
        }
    }
    return brk_ini_get(ini, section, key);
}

bool brk_config_profile_exists(const struct brk_config *cfg, const char *profile)
{
    char section[300];
    (void)snprintf(section, sizeof section, "profile %s", profile);
    const struct brk_ini *conf = cfg->files[BRK_CFG_CONFIG].ini;
    if (brk_ini_has_section(conf, section) ||
        (strcmp(profile, "default") == 0 && brk_ini_has_section(conf, "default"))) {
        return true;
    }
    return brk_ini_has_section(cfg->files[BRK_CFG_CREDENTIALS].ini, profile);
}

const char *brk_config_profile_value(const struct brk_config *cfg, const char *key)
{
    const char *v = brk_config_file_value(cfg, BRK_CFG_CONFIG, cfg->profile, key);
    return v != NULL ? v : brk_config_file_value(cfg, BRK_CFG_CREDENTIALS, cfg->profile, key);
}
