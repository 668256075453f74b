/*
 * cli/cmd_version.c - `bedrockctl version` / `--version`: bedrockctl, libbedrock, libcurl and
 * OpenSSL versions (the ones linked at run time), in the chosen output format.
 */
#include "cli.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

static int run_version(struct brk_cli *cli, void *opts, int argc, const char *const *argv)
{
    (void)opts;
    (void)argc;
    (void)argv;
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    if (!cli->output_given) {
        fprintf(cli->out, "bedrockctl %s (libbedrock %s, libcurl %s, %s)\n", BEDROCK_VERSION_STRING,
                bedrock_version(), cv != NULL ? cv->version : "?",
                OpenSSL_version(OPENSSL_VERSION));
        return 0;
    }
    json_t *v = json_pack("{ssssssss}", "bedrockctl", BEDROCK_VERSION_STRING, "libbedrock",
                          bedrock_version(), "libcurl", cv != NULL ? cv->version : "?", "openssl",
                          OpenSSL_version(OPENSSL_VERSION));
    if (v == NULL) {
        return 1;
    }
    brk_cli_print(cli, v, "Version");
    json_decref(v);
    return 0;
}

const struct brk_cli_command brk_cmd_version = {
    .name = "version",
    .summary = "print the versions of bedrockctl, libbedrock, libcurl and OpenSSL",
    .usage = "",
    .run = run_version,
    .min_args = 0,
    .max_args = 0,
};
