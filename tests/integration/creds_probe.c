/* tests/integration/creds_probe.c - helper for test_assume_role_moto.py: resolves credentials
 * for --profile argv[1] through the real chain and prints what was found, never a secret:
 *   akid=<id> secret_len=<n> token=<yes|no> expires=<epoch> source=<...> account=<id|->
 * On failure prints "error=<CODE> <message>" and exits with the bedrock exit status. */
#include "credentials/config.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct brk_config_options o;
    memset(&o, 0, sizeof o);
    o.profile = argc > 1 ? argv[1] : NULL;
    o.no_dotenv = true;
    struct brk_config *cfg = NULL;
    struct brk_credentials c;
    memset(&c, 0, sizeof c);
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_config_load(&o, &cfg, &err);
    if (rc == BEDROCK_OK) {
        rc = brk_creds_resolve(cfg, NULL, &c, &err);
    }
    if (rc != BEDROCK_OK) {
        printf("error=%s %s\n", bedrock_code_name(rc), err.message);
    } else {
        printf("akid=%s secret_len=%zu token=%s expires=%lld source=%s account=%s\n",
               c.access_key_id, strlen(c.secret_access_key), c.session_token != NULL ? "yes" : "no",
               (long long)c.expires_at_s, c.source, c.account_id != NULL ? c.account_id : "-");
    }
    brk_credentials_cleanup(&c);
    brk_config_free(cfg);
    return rc == BEDROCK_OK ? 0 : bedrock_exit_status(rc);
}
