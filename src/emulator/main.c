/*
 * emulator/main.c - bedrock-emulator command line: parse options, run the server, exit 0 on
 * SIGINT/SIGTERM. The root secret is printed once at start (the only secret ever printed).
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMU_VERSION "0.1.0"

static void usage(FILE *f)
{
    fprintf(f, "usage: bedrock-emulator [--listen 127.0.0.1:PORT] [--port-file F] [--region R]\n"
               "  [--account-id ID] [--root-access-key-id ID --root-secret-access-key S]\n"
               "  [--state FILE] [--tokens-per-second N] [--first-token-ms N]\n"
               "  [--tls-cert F --tls-key F] [--log-requests] [--deny-model-access ID]...\n"
               "  [--fault-rate throttle=0.1,http-503=0.05] [--max-body-bytes N]\n"
               "  [--min-session-seconds N]  (tests: allow STS sessions shorter than 900 s)\n"
               "  [--help] [--version]\n"
               "Offline Amazon Bedrock + IAM/STS/CloudWatch/Budgets with SigV4 verification.\n"
               "Port 0 picks a free port; the URL is the first stdout line.\n");
}

static int need(int argc, char **argv, int i)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "bedrock-emulator: %s needs a value\n", argv[i]);
        exit(2);
    }
    return i + 1;
}

static long num(const char *s, const char *opt)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "bedrock-emulator: bad value for %s\n", opt);
        exit(2);
    }
    return v;
}

static void parse(int argc, char **argv, struct emu_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf("bedrock-emulator %s\n", EMU_VERSION);
            exit(0);
        } else if (strcmp(a, "--listen") == 0) {
            o->listen = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--port-file") == 0) {
            o->port_file = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--region") == 0) {
            o->region = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--account-id") == 0) {
            o->account_id = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--root-access-key-id") == 0) {
            o->root_access_key_id = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--root-secret-access-key") == 0) {
            o->root_secret_access_key = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--state") == 0) {
            o->state_file = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--tokens-per-second") == 0) {
            i = need(argc, argv, i);
            o->tokens_per_second = strtod(argv[i], NULL);
        } else if (strcmp(a, "--min-session-seconds") == 0) {
            i = need(argc, argv, i);
            o->min_session_s = num(argv[i], a);
        } else if (strcmp(a, "--first-token-ms") == 0) {
            i = need(argc, argv, i);
            o->first_token_ms = num(argv[i], a);
        } else if (strcmp(a, "--tls-cert") == 0) {
            o->tls_cert = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--tls-key") == 0) {
            o->tls_key = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--log-requests") == 0) {
            o->log_requests = true;
        } else if (strcmp(a, "--deny-model-access") == 0) {
            i = need(argc, argv, i);
            if (o->n_deny_model_access < 32) {
                o->deny_model_access[o->n_deny_model_access++] = argv[i];
            }
        } else if (strcmp(a, "--fault-rate") == 0) {
            o->fault_rate = argv[i = need(argc, argv, i)];
        } else if (strcmp(a, "--max-body-bytes") == 0) {
            i = need(argc, argv, i);
            o->max_body_bytes = (size_t)num(argv[i], a);
        } else {
            fprintf(stderr, "bedrock-emulator: unknown option %s\n", a);
            usage(stderr);
            exit(2);
        }
    }
}

int main(int argc, char **argv)
{
    struct emu_options o;
    memset(&o, 0, sizeof(o));
    o.listen = "127.0.0.1:0";
    o.region = "eu-central-1";
    o.account_id = "123456789012";
    o.root_access_key_id = "AKIAIOSFODNN7EXAMPLE";
    o.root_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    o.max_body_bytes = 8u * 1024u * 1024u;
    parse(argc, argv, &o);
    if ((o.tls_cert == NULL) != (o.tls_key == NULL)) {
        fprintf(stderr, "bedrock-emulator: --tls-cert and --tls-key go together\n");
        return 2;
    }
    struct emu_server *s = NULL;
    if (emu_server_new(&o, &s) != BEDROCK_OK) {
        return 1;
    }
    int rc = emu_server_run(s);
    emu_server_free(s);
    return rc;
}
