/* tests/unit/test_config.c - precedence of profile, region, endpoint and credentials over
 * options, environment, .env and the shared files; credential_process; role loops; the cache.
 * Every test starts from an environment with no AWS_* variables and HOME in a temp dir. */
#include "core/alloc.h"
#include "core/fileio.h"
#include "credentials/config.h"

/* cmocka.h needs these three first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static char dir[256];
static char oldcwd[1024];

static void put_file(const char *name, const char *text)
{
    char p[512];
    (void)snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(brk_file_write_atomic(p, text, strlen(text), 0600), BEDROCK_OK);
}

static void clear_aws_env(void)
{
    for (;;) {
        char name[256] = "";
        for (char **e = environ; *e != NULL; e++) {
            if (strncmp(*e, "AWS_", 4) == 0) {
                size_t n = strcspn(*e, "=");
                (void)snprintf(name, sizeof name, "%.*s", (int)n, *e);
                break;
            }
        }
        if (name[0] == '\0') {
            break;
        }
        unsetenv(name);
    }
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    (void)snprintf(dir, sizeof dir, "%s/brk-config-XXXXXX", t != NULL ? t : "/tmp");
    if (mkdtemp(dir) == NULL || getcwd(oldcwd, sizeof oldcwd) == NULL || chdir(dir) != 0) {
        return -1;
    }
    clear_aws_env();
    setenv("HOME", dir, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    char p[512];
    (void)snprintf(p, sizeof p, "%s/config", dir);
    setenv("AWS_CONFIG_FILE", p, 1);
    (void)snprintf(p, sizeof p, "%s/credentials", dir);
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
    put_file("config", "[default]\nregion = us-west-2\n"
                       "[profile dev]\nregion = eu-central-1\nendpoint_url = http://dev.local:9/\n"
                       "[profile noreg]\noutput = json\n");
    put_file("credentials", "[default]\naws_access_key_id = AKIADEFAULT\n"
                            "aws_secret_access_key = secretdefault\n"
                            "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = sdev\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = { "config",  "credentials", ".env", "alt.env",
                                         "counter", "proc.sh",     "fail" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[512];
        (void)snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        (void)unlink(p);
    }
    char p[512];
    (void)snprintf(p, sizeof p, "%s/.aws/config", dir);
    (void)unlink(p);
    (void)snprintf(p, sizeof p, "%s/.aws", dir);
    (void)rmdir(p);
    clear_aws_env();
    return chdir(oldcwd) == 0 && rmdir(dir) == 0 ? 0 : -1;
}

static struct brk_config *load(const struct brk_config_options *o)
{
    struct brk_config *cfg = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_config_load(o, &cfg, &err);
    if (rc != BEDROCK_OK) {
        print_message("load failed: %s\n", err.message);
    }
    assert_int_equal(rc, BEDROCK_OK);
    return cfg;
}

static void profile_precedence(void **state)
{
    (void)state;
    struct brk_config_options o = { 0 };
    struct brk_config *cfg = load(&o);
    assert_string_equal(brk_config_profile(cfg), "default");
    assert_string_equal(brk_config_profile_source(cfg), "default");
    brk_config_free(cfg);
    setenv("AWS_DEFAULT_PROFILE", "noreg", 1);
    cfg = load(&o);
    assert_string_equal(brk_config_profile(cfg), "noreg");
    assert_string_equal(brk_config_profile_source(cfg), "AWS_DEFAULT_PROFILE");
    brk_config_free(cfg);
    setenv("AWS_PROFILE", "dev", 1);
    cfg = load(&o);
    assert_string_equal(brk_config_profile(cfg), "dev");
    assert_string_equal(brk_config_profile_source(cfg), "AWS_PROFILE");
    brk_config_free(cfg);
    o.profile = "default";
    cfg = load(&o);
    assert_string_equal(brk_config_profile(cfg), "default");
    assert_string_equal(brk_config_profile_source(cfg), "--profile");
    brk_config_free(cfg);
    /* a named profile that exists nowhere */
    o.profile = "nope";
    struct bedrock_error err;
    bedrock_error_clear(&err);
    cfg = NULL;
    assert_int_equal(brk_config_load(&o, &cfg, &err), BEDROCK_E_CREDENTIALS);
    assert_null(cfg);
    assert_non_null(strstr(err.message, "profile 'nope' (from --profile) not found in"));
}

static void region_precedence(void **state)
{
    (void)state;
    struct brk_config_options o = { 0 };
    put_file(".env", "AWS_REGION=ap-southeast-2\n");
    struct brk_config *cfg = NULL;
    /* profile region, .env, AWS_DEFAULT_REGION, AWS_REGION, --region: each beats the last */
    o.no_dotenv = true;
    cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "us-west-2");
    char want[600];
    (void)snprintf(want, sizeof want, "profile default (%s/config)", dir);
    assert_string_equal(brk_config_region_source(cfg), want);
    brk_config_free(cfg);
    o.no_dotenv = false;
    cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "ap-southeast-2");
    assert_string_equal(brk_config_region_source(cfg), ".env (./.env)");
    brk_config_free(cfg);
    setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
    cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "eu-west-1");
    assert_string_equal(brk_config_region_source(cfg), "AWS_DEFAULT_REGION");
    brk_config_free(cfg);
    setenv("AWS_REGION", "", 1); /* empty is "no region": falls through */
    cfg = load(&o);
    assert_string_equal(brk_config_region_source(cfg), "AWS_DEFAULT_REGION");
    brk_config_free(cfg);
    setenv("AWS_REGION", "eu-north-1", 1);
    cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "eu-north-1");
    assert_string_equal(brk_config_region_source(cfg), "AWS_REGION");
    brk_config_free(cfg);
    o.region = "sa-east-1";
    cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "sa-east-1");
    assert_string_equal(brk_config_region_source(cfg), "--region");
    brk_config_free(cfg);
    /* no region anywhere */
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    struct brk_config_options o2 = { .profile = "noreg", .no_dotenv = true };
    cfg = load(&o2);
    assert_null(brk_config_region(cfg));
    brk_config_free(cfg);
    /* a region with a '/' would change the endpoint host: refused */
    setenv("AWS_REGION", "us-east-1.evil.com/", 1);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_config_load(&o2, &cfg, &err), BEDROCK_E_USAGE);
}

static void expect_endpoint(struct brk_config *cfg, const char *svc, const char *url,
                            const char *source)
{
    struct brk_buf b = BRK_BUF(4096);
    const char *src = NULL;
    assert_int_equal(brk_config_endpoint(cfg, svc, &b, &src, NULL), BEDROCK_OK);
    assert_string_equal(b.data, url);
    assert_string_equal(src, source);
    brk_buf_cleanup(&b);
}

static void endpoint_precedence(void **state)
{
    (void)state;
    struct brk_config_options o = { .no_dotenv = true };
    struct brk_config *cfg = load(&o);
    expect_endpoint(cfg, "bedrock-runtime", "https://bedrock-runtime.us-west-2.amazonaws.com",
                    "default");
    expect_endpoint(cfg, "bedrock", "https://bedrock.us-west-2.amazonaws.com", "default");
    expect_endpoint(cfg, "sts", "https://sts.us-west-2.amazonaws.com", "default");
    expect_endpoint(cfg, "iam", "https://iam.amazonaws.com", "default");
    expect_endpoint(cfg, "monitoring", "https://monitoring.us-west-2.amazonaws.com", "default");
    expect_endpoint(cfg, "budgets", "https://budgets.amazonaws.com", "default");
    struct brk_buf b = BRK_BUF(4096);
    assert_int_equal(brk_config_endpoint(cfg, "s3", &b, NULL, NULL), BEDROCK_E_INVALID_ARG);
    brk_config_free(cfg);
    o.profile = "dev";
    cfg = load(&o);
    expect_endpoint(cfg, "bedrock", "http://dev.local:9", "profile endpoint_url");
    brk_config_free(cfg);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
    setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:7000", 1);
    setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:5000//", 1);
    cfg = load(&o);
    expect_endpoint(cfg, "bedrock", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL");
    expect_endpoint(cfg, "monitoring", "http://127.0.0.1:7000", "AWS_ENDPOINT_URL_CLOUDWATCH");
    expect_endpoint(cfg, "bedrock-runtime", "http://127.0.0.1:5000",
                    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
    brk_config_free(cfg);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    cfg = load(&o);
    expect_endpoint(cfg, "bedrock", "https://bedrock.eu-central-1.amazonaws.com", "default");
    brk_config_free(cfg);
    o.endpoint_url = "http://localhost:8000/";
    cfg = load(&o);
    expect_endpoint(cfg, "sts", "http://localhost:8000", "--endpoint-url");
    brk_config_free(cfg);
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    unsetenv("AWS_ENDPOINT_URL");
    struct brk_config_options o2 = { .profile = "noreg", .no_dotenv = true };
    cfg = load(&o2);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_config_endpoint(cfg, "bedrock", &b, NULL, &err), BEDROCK_E_NO_REGION);
    expect_endpoint(cfg, "iam", "https://iam.amazonaws.com", "default");
    brk_config_free(cfg);
    brk_buf_cleanup(&b);
}

static void resolve_ok(const struct brk_config_options *o, const char *akid, const char *source,
                       struct brk_credentials *c)
{
    struct brk_config *cfg = load(o);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_creds_resolve(cfg, NULL, c, &err);
    if (rc != BEDROCK_OK) {
        print_message("resolve failed: %s\n", err.message);
    }
    assert_int_equal(rc, BEDROCK_OK);
    if (akid == NULL) {
        assert_null(c->access_key_id);
    } else {
        assert_string_equal(c->access_key_id, akid);
    }
    assert_string_equal(c->source, source);
    brk_config_free(cfg);
}

static bedrock_code resolve_fail(const struct brk_config_options *o, struct bedrock_error *err)
{
    struct brk_config *cfg = load(o);
    struct brk_credentials c = { 0 };
    bedrock_error_clear(err);
    bedrock_code rc = brk_creds_resolve(cfg, NULL, &c, err);
    assert_null(c.access_key_id);
    brk_config_free(cfg);
    return rc;
}

static void credentials_precedence(void **state)
{
    (void)state;
    struct brk_credentials c = { 0 };
    struct brk_config_options o = { 0 };
    resolve_ok(&o, "AKIADEFAULT", "shared-credentials profile default", &c);
    brk_credentials_cleanup(&c);
    put_file(".env", "AWS_ACCESS_KEY_ID=AKIADOTENV\nAWS_SECRET_ACCESS_KEY=sdot\n"
                     "AWS_ACCOUNT_ID=409073339454\n");
    resolve_ok(&o, "AKIADOTENV", "env-file ./.env", &c);
    assert_string_equal(c.account_id, "409073339454");
    brk_credentials_cleanup(&c);
    setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "senv", 1);
    setenv("AWS_SESSION_TOKEN", "tok", 1);
    resolve_ok(&o, "AKIAENV", "environment", &c);
    assert_string_equal(c.session_token, "tok");
    assert_null(c.bearer_token);
    brk_credentials_cleanup(&c);
    o.access_key_id = "AKIAEXPLICIT";
    o.secret_access_key = "sexp";
    resolve_ok(&o, "AKIAEXPLICIT", "explicit", &c);
    assert_null(c.session_token);
    brk_credentials_cleanup(&c);
    /* only one half in the environment: an error, not a silent fall-through */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    struct brk_config_options o2 = { 0 };
    struct bedrock_error err;
    assert_int_equal(resolve_fail(&o2, &err), BEDROCK_E_CREDENTIALS);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SESSION_TOKEN");
    /* --env-file, and a named profile from the credentials file */
    put_file("alt.env", "export AWS_ACCESS_KEY_ID=\"AKIAALT\"\nAWS_SECRET_ACCESS_KEY='s alt'\n");
    o2.env_file = "alt.env";
    resolve_ok(&o2, "AKIAALT", "env-file alt.env", &c);
    assert_true(brk_credentials_has_whitespace(&c));
    brk_credentials_cleanup(&c);
    struct brk_config_options o3 = { .profile = "dev", .no_dotenv = true };
    resolve_ok(&o3, "AKIADEV", "shared-credentials profile dev", &c);
    assert_false(brk_credentials_has_whitespace(&c));
    brk_credentials_cleanup(&c);
}

static void bearer_and_nothing(void **state)
{
    (void)state;
    put_file("credentials", "");
    put_file("config", "");
    struct brk_config_options o = { .no_dotenv = true };
    struct bedrock_error err;
    assert_int_equal(resolve_fail(&o, &err), BEDROCK_E_NO_CREDENTIALS);
    assert_non_null(strstr(err.message, "environment"));
    assert_non_null(strstr(err.message, ".env"));
    assert_non_null(strstr(err.message, "EC2 instance metadata"));
    setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-abc", 1);
    struct brk_credentials c = { 0 };
    resolve_ok(&o, NULL, "bearer token (AWS_BEARER_TOKEN_BEDROCK)", &c);
    assert_string_equal(c.bearer_token, "bedrock-api-key-abc");
    brk_credentials_cleanup(&c);
    setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "senv", 1);
    resolve_ok(&o, "AKIAENV", "environment", &c);
    assert_string_equal(c.bearer_token, "bedrock-api-key-abc"); /* both kept */
    struct brk_credentials copy = { 0 };
    assert_int_equal(brk_credentials_copy(&copy, &c), BEDROCK_OK);
    assert_string_equal(copy.secret_access_key, "senv");
    assert_string_equal(copy.source, "environment");
    brk_credentials_cleanup(&copy);
    brk_credentials_cleanup(&c);
}

static void home_expansion(void **state)
{
    (void)state;
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    char p[512];
    (void)snprintf(p, sizeof p, "%s/.aws", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    put_file(".aws/config", "[default]\nregion = ca-central-1\n");
    struct brk_config_options o = { .no_dotenv = true };
    struct brk_config *cfg = load(&o);
    assert_string_equal(brk_config_region(cfg), "ca-central-1");
    assert_string_equal(brk_config_region_source(cfg), "profile default (~/.aws/config)");
    brk_config_free(cfg);
}

static void credential_process(void **state)
{
    (void)state;
    put_file("config",
             "[profile ok]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": "
             "\"ASIAPROC\", \"SecretAccessKey\": \"sp\", \"SessionToken\": \"tp\", "
             "\"Expiration\": \"2099-01-02T03:04:05Z\"}'\n"
             "[profile fails]\ncredential_process = echo TOPSECRET; exit 3\n"
             "[profile badjson]\ncredential_process = echo '{\"Version\": 1, TOPSECRET'\n"
             "[profile badver]\ncredential_process = echo '{\"Version\": 2, "
             "\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"TOPSECRET\"}'\n"
             "[profile nosecret]\ncredential_process = echo '{\"Version\": 1, "
             "\"AccessKeyId\": \"A\"}'\n");
    struct brk_credentials c = { 0 };
    struct brk_config_options o = { .profile = "ok", .no_dotenv = true };
    resolve_ok(&o, "ASIAPROC", "credential_process (profile ok)", &c);
    assert_string_equal(c.session_token, "tp");
    assert_int_equal(c.expires_at_s, 4071006245); /* 2099-01-02T03:04:05Z */
    brk_credentials_cleanup(&c);
    static const char *const bad[] = { "fails", "badjson", "badver", "nosecret" };
    static const char *const why[] = { "failed (exit status 3)", "not valid JSON", "\"Version\": 1",
                                       "SecretAccessKey is missing" };
    for (size_t i = 0; i < 4; i++) {
        struct brk_config_options ob = { .profile = bad[i], .no_dotenv = true };
        struct bedrock_error err;
        assert_int_equal(resolve_fail(&ob, &err), BEDROCK_E_CREDENTIALS);
        assert_non_null(strstr(err.message, why[i]));
        assert_null(strstr(err.message, "TOPSECRET"));
    }
}

static void role_config_errors(void **state)
{
    (void)state;
    put_file("config", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
                       "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n"
                       "[profile self]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = self\n"
                       "[profile nosrc]\nrole_arn = arn:aws:iam::1:role/n\n"
                       "[profile both]\nrole_arn = arn:aws:iam::1:role/n\nsource_profile = a\n"
                       "credential_source = Environment\n"
                       "[profile badcs]\nrole_arn = arn:aws:iam::1:role/n\n"
                       "credential_source = Nowhere\n"
                       "[profile missing]\nrole_arn = arn:aws:iam::1:role/n\n"
                       "source_profile = ghost\n"
                       "[profile sso]\nsso_session = corp\n");
    static const struct {
        const char *profile, *msg;
    } cases[] = {
        { "a", "source_profile loop: a -> b -> a" },
        { "self", "source_profile loop: self -> self" },
        { "nosrc", "has role_arn but no source_profile" },
        { "both", "both source_profile and credential_source" },
        { "badcs", "credential_source 'Nowhere' is not one of" },
        { "missing", "source_profile 'ghost' of profile 'missing' not found" },
        { "sso", "IAM Identity Center" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct brk_config_options o = { .profile = cases[i].profile, .no_dotenv = true };
        struct bedrock_error err;
        assert_int_equal(resolve_fail(&o, &err), BEDROCK_E_CREDENTIALS);
        if (strstr(err.message, cases[i].msg) == NULL) {
            print_message("got: %s\n", err.message);
        }
        assert_non_null(strstr(err.message, cases[i].msg));
    }
}

static void malformed_files(void **state)
{
    (void)state;
    put_file("config", "[default]\nregion = x\nnot a line\n");
    struct brk_config *cfg = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct brk_config_options o = { .no_dotenv = true };
    assert_int_equal(brk_config_load(&o, &cfg, &err), BEDROCK_E_PARSE);
    char want[600];
    (void)snprintf(want, sizeof want, "%s/config: line 3: expected 'key = value'", dir);
    assert_string_equal(err.message, want);
    put_file("config", "");
    put_file(".env", "A=1\nB\n");
    o.no_dotenv = false;
    bedrock_error_clear(&err);
    assert_int_equal(brk_config_load(&o, &cfg, &err), BEDROCK_E_PARSE);
    assert_string_equal(err.message, "./.env: line 2: expected '=' after the name");
    o.env_file = "does-not-exist.env";
    assert_int_equal(brk_config_load(&o, &cfg, &err), BEDROCK_E_IO);
    assert_null(cfg);
}

static void cache_refresh_and_invalidate(void **state)
{
    (void)state;
    put_file("proc.sh", "[ -f fail ] && exit 1\nn=$(cat counter 2>/dev/null || echo 0); "
                        "n=$((n+1)); echo $n > counter\n"
                        "printf '{\"Version\":1,\"AccessKeyId\":\"ASIA%04d\",\"SecretAccessKey\":"
                        "\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2030-01-01T00:00:00Z\"}' "
                        "$n\n");
    put_file("config", "[profile p]\ncredential_process = sh proc.sh\n");
    struct brk_config_options o = { .profile = "p", .no_dotenv = true };
    struct brk_config *cfg = load(&o);
    struct brk_creds_cache *cache = NULL;
    assert_int_equal(brk_creds_cache_new(cfg, NULL, &cache), BEDROCK_OK);
    const time_t exp = 1893456000; /* 2030-01-01T00:00:00Z */
    const struct brk_credentials *c = NULL;
    assert_int_equal(brk_creds_cache_get(cache, exp - 3600, &c, NULL), BEDROCK_OK);
    assert_string_equal(c->access_key_id, "ASIA0001");
    assert_int_equal(c->expires_at_s, exp);
    assert_int_equal(brk_creds_cache_get(cache, exp - 301, &c, NULL), BEDROCK_OK);
    assert_string_equal(c->access_key_id, "ASIA0001"); /* cached */
    assert_int_equal(brk_creds_cache_get(cache, exp - 299, &c, NULL), BEDROCK_OK);
    assert_string_equal(c->access_key_id, "ASIA0002"); /* inside the refresh window */
    brk_creds_invalidate(cache);
    assert_int_equal(brk_creds_cache_get(cache, exp - 3600, &c, NULL), BEDROCK_OK);
    assert_string_equal(c->access_key_id, "ASIA0003");
    /* refresh fails while the old ones are still valid: keep them; once expired: fail */
    put_file("fail", "1");
    assert_int_equal(brk_creds_cache_get(cache, exp - 299, &c, NULL), BEDROCK_OK);
    assert_string_equal(c->access_key_id, "ASIA0003");
    struct bedrock_error err;
    bedrock_error_clear(&err);
    assert_int_equal(brk_creds_cache_get(cache, exp + 1, &c, &err), BEDROCK_E_CREDENTIALS);
    brk_creds_cache_free(cache);
    brk_config_free(cfg);
}

static void load_and_resolve_oom(void **state)
{
    (void)state;
    put_file(".env", "AWS_REGION=eu-west-3\nX=1\n");
    struct brk_config_options o = { .profile = "dev" };
    unsigned long n = 1;
    for (;; n++) {
        struct brk_config *cfg = NULL;
        struct brk_credentials c = { 0 };
        brk_alloc_fail_after(n);
        bedrock_code rc = brk_config_load(&o, &cfg, NULL);
        if (rc == BEDROCK_OK) {
            rc = brk_creds_resolve(cfg, NULL, &c, NULL);
        }
        brk_alloc_fail_after(0);
        brk_config_free(cfg);
        if (rc == BEDROCK_OK) {
            assert_string_equal(c.access_key_id, "AKIADEV");
            brk_credentials_cleanup(&c);
            break;
        }
        assert_int_equal(rc, BEDROCK_E_NOMEM);
        assert_null(c.access_key_id);
    }
    assert_true(n > 10);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(profile_precedence),           T(region_precedence),    T(endpoint_precedence),
        T(credentials_precedence),       T(bearer_and_nothing),   T(home_expansion),
        T(credential_process),           T(role_config_errors),   T(malformed_files),
        T(cache_refresh_and_invalidate), T(load_and_resolve_oom),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
