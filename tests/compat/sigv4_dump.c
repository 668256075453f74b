/*
 * tests/compat/sigv4_dump.c - prints what our signer produces, for sigv4_botocore.py.
 *
 * Usage: sigv4_dump METHOD PATH QUERY REGION SERVICE AKID SECRET TOKEN TIME_S MODE EXPIRES
 *                   [Name:Value ...]  < body
 *   QUERY and TOKEN may be "" ; MODE is "header" or "presign".
 * Output: sections "--canonical-request", "--string-to-sign", "--authorization",
 * "--presigned-query", each followed by its text, then "--end". Test helper only: it is fed
 * the documented example keys, never real credentials.
 */
#include "core/alloc.h"
#include "crypto/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 64
#define MAX_BODY    (1024 * 1024)

static size_t read_body(char *buf, size_t cap)
{
    size_t n = 0, got;
    while (n < cap && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += got;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 12 || argc - 12 > MAX_HEADERS) {
        fprintf(stderr, "usage: sigv4_dump METHOD PATH QUERY REGION SERVICE AKID SECRET TOKEN "
                        "TIME_S header|presign EXPIRES [Name:Value ...] < body\n");
        return 2;
    }
    struct brk_header h[MAX_HEADERS];
    size_t nh = 0;
    for (int i = 12; i < argc; i++) {
        const char *colon = strchr(argv[i], ':');
        if (colon == NULL) {
            fprintf(stderr, "bad header argument %d\n", i);
            return 2;
        }
        h[nh++] =
            (struct brk_header){ argv[i], (size_t)(colon - argv[i]), colon + 1, strlen(colon + 1) };
    }
    char *body = malloc(MAX_BODY);
    if (body == NULL) {
        return 1;
    }
    size_t body_len = read_body(body, MAX_BODY);
    struct brk_sigv4_request r = { argv[1], argv[2], argv[3], h, nh, body, body_len, NULL };
    struct brk_sigv4_params p = { 0 };
    p.region = argv[4];
    p.service = argv[5];
    p.access_key_id = argv[6];
    p.secret_access_key = argv[7];
    p.session_token = argv[8];
    p.time_s = (time_t)strtoll(argv[9], NULL, 10);
    p.presign = strcmp(argv[10], "presign") == 0;
    p.expires_s = strtol(argv[11], NULL, 10);
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    bedrock_code rc = brk_sigv4_sign(&r, &p, &res);
    if (rc != BEDROCK_OK) {
        fprintf(stderr, "sign failed: %s\n", bedrock_code_name(rc));
    } else {
        printf("--canonical-request\n%s\n--string-to-sign\n%s\n--authorization\n%s\n"
               "--presigned-query\n%s\n--end\n",
               res.canonical_request.data, res.string_to_sign.data,
               res.authorization.len > 0 ? res.authorization.data : "",
               res.presigned_query.len > 0 ? res.presigned_query.data : "");
    }
    brk_sigv4_result_cleanup(&res);
    brk_sigv4_key_cache_clear();
    free(body);
    return rc == BEDROCK_OK ? 0 : 1;
}
