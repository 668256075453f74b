/*
 * cli/cmd_token.c - `bedrockctl token [--expires 12h]`: a short-term Bedrock API key minted
 * locally from the current IAM credentials, as AWS's token generators do: a presigned
 * GET https://bedrock.amazonaws.com/?Action=CallWithBearerToken (service bedrock, the
 * configured region, X-Amz-Expires), "https://" dropped, "&Version=1" appended after signing,
 * base64, prefixed "bedrock-api-key-". It dies on its own (at most 12 h, and never after the
 * session credentials it was minted from).
 * Invariants: the token goes to stdout only (nothing else is printed there); every buffer
 * that held it or the secret is wiped.
 */
#include "../core/base64.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "../crypto/sigv4.h"
#include "../services/call.h"
#include "guide.h"

#include <string.h>
#include <time.h>

#define TOKEN_HOST "bedrock.amazonaws.com"

struct token_opts {
    const char *expires;
};

static const struct brk_opt token_options[] = {
    BRK_OPT_STR(struct token_opts, expires, "--expires", "DURATION",
                "lifetime, e.g. 15m, 1h, 12h (default and maximum 12h)"),
    BRK_OPT_END,
};

/* Mint the token into out (a secret buffer). */
BEDROCK_MUST_USE bedrock_code brk_guide_mint_token(const struct brk_credentials *cr,
                                                   const char *region, long expires_s, time_t now,
                                                   struct brk_buf *out);

bedrock_code brk_guide_mint_token(const struct brk_credentials *cr, const char *region,
                                  long expires_s, time_t now, struct brk_buf *out)
{
    static const char host[] = TOKEN_HOST;
    struct brk_header h[1] = { { "host", 4, host, sizeof(host) - 1 } };
    struct brk_sigv4_request req = { "GET", "/", "Action=CallWithBearerToken", h, 1, "", 0, NULL };
    struct brk_sigv4_params p;
    memset(&p, 0, sizeof(p));
    p.access_key_id = cr->access_key_id;
    p.secret_access_key = cr->secret_access_key;
    p.session_token = cr->session_token;
    p.region = region;
    p.service = "bedrock";
    p.time_s = now;
    p.presign = true;
    p.expires_s = expires_s;
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    res.presigned_query.secret = true;
    struct brk_buf url = BRK_SECRET_BUF(BRK_MAX_URL_BYTES + BRK_MAX_HEADER_BYTES);
    bedrock_code rc = brk_sigv4_sign(&req, &p, &res);
    if (rc == BEDROCK_OK) {
        rc = brk_buf_appendf(&url, "%s/?%s&Version=1", TOKEN_HOST, res.presigned_query.data);
    }
    if (rc == BEDROCK_OK) {
        rc = brk_buf_append_str(out, "bedrock-api-key-");
    }
    if (rc == BEDROCK_OK) {
        rc = brk_base64_encode(out, url.data, url.len);
    }
    brk_buf_cleanup(&url);
    brk_sigv4_result_cleanup(&res);
    return rc;
}

static int run_token(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)argc;
    (void)argv;
    struct token_opts *o = opts;
    long expires = brk_guide_duration(o->expires != NULL ? o->expires : "12h");
    if (expires < 1 || expires > 43200) {
        return brk_cli_usage(cli, "--expires must be between 1s and 12h");
    }
    struct bedrock_error err;
    bedrock_error_clear(&err);
    struct bedrock_client *c = NULL;
    const struct brk_credentials *cr = NULL;
    if (brk_cli_client(cli, &c, &err) != BEDROCK_OK ||
        brk_client_credentials(c, &cr, &err) != BEDROCK_OK) {
        return brk_cli_fail(cli, &err);
    }
    if (cr->access_key_id == NULL || cr->secret_access_key == NULL) {
        bedrock_error_set(&err, BEDROCK_E_CREDENTIALS,
                          "a token is minted from IAM credentials, and these are %s", cr->source);
        return brk_cli_fail(cli, &err);
    }
    const char *region = bedrock_client_region(c);
    if (region == NULL) {
        region = brk_guide_region(cli);
    }
    struct brk_buf tok = BRK_SECRET_BUF(BRK_MAX_HEADER_BYTES * 4);
    if (brk_guide_mint_token(cr, region, expires, time(NULL), &tok) != BEDROCK_OK) {
        brk_buf_cleanup(&tok);
        bedrock_error_set(&err, BEDROCK_E_INTERNAL, "could not sign the token");
        return brk_cli_fail(cli, &err);
    }
    fprintf(cli->out, "%s\n", tok.data);
    fflush(cli->out);
    brk_buf_cleanup(&tok);
    if (cr->session_token != NULL && cr->expires_at_s != 0 &&
        cr->expires_at_s - time(NULL) < expires) {
        fprintf(cli->err, "note: the session credentials expire sooner than --expires: the "
                          "token stops working with them\n");
    }
    return 0;
}

const struct brk_cli_command brk_cmd_token = {
    .name = "token",
    .summary = "mint a short-term Bedrock API key (bearer token) from your IAM credentials",
    .usage = "[--expires 12h]",
    .description =
        "Hand an application a key that dies on its own instead of long-lived IAM keys:\n"
        "  export AWS_BEARER_TOKEN_BEDROCK=$(bedrockctl token --expires 1h)\n"
        "The token is a presigned CallWithBearerToken request for the configured region, as\n"
        "AWS's aws-bedrock-token-generator libraries make it; it is printed only to stdout.",
    .opts = token_options,
    .opts_size = sizeof(struct token_opts),
    .min_args = 0,
    .max_args = 0,
    .run = run_token,
};
