/*
 * bench/bench_sign.c - SigV4 signatures per second on one core for a 1 KiB Bedrock
 * InvokeModel request (POST, 4 headers, JSON body), with the signing key cached and the
 * result buffers reused (the steady state of a client). Measured, never asserted.
 * Reports the rate over wall time and over this process's CPU time (the machine may be shared;
 * the CPU-time rate is what one core delivers while it runs this loop).
 * Usage: bench_sign [seconds]   (default 2)
 */
#include "crypto/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A 1024-byte Anthropic messages body. */
static void make_body(char *body, size_t len)
{
    static const char head[] = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":512,"
                               "\"messages\":[{\"role\":\"user\",\"content\":\"";
    static const char tail[] = "\"}]}";
    memset(body, 'x', len);
    memcpy(body, head, sizeof(head) - 1);
    memcpy(body + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? strtod(argv[1], NULL) : 2.0;
    char body[1024];
    make_body(body, sizeof(body));
    static const struct brk_header h[] = {
        { "Host", 4, "bedrock-runtime.eu-central-1.amazonaws.com", 42 },
        { "Content-Type", 12, "application/json", 16 },
        { "Accept", 6, "application/json", 16 },
        { "X-Amzn-Bedrock-Trace", 20, "DISABLED", 8 },
    };
    struct brk_sigv4_request r = { "POST",
                                   "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke",
                                   NULL,
                                   h,
                                   4,
                                   body,
                                   sizeof(body),
                                   NULL };
    struct brk_sigv4_params p = { 0 };
    p.access_key_id = "AKIDEXAMPLE";
    p.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    p.region = "eu-central-1";
    p.service = "bedrock";
    p.time_s = 1718900000;
    struct brk_sigv4_result res;
    brk_sigv4_result_init(&res);
    if (brk_sigv4_sign(&r, &p, &res) != BEDROCK_OK) { /* warm-up: key cache, buffers */
        fprintf(stderr, "sign failed\n");
        return 1;
    }
    unsigned long n = 0;
    double start = clock_s(CLOCK_MONOTONIC), cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    double elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 1000; i++) {
            if (brk_sigv4_sign(&r, &p, &res) != BEDROCK_OK) {
                fprintf(stderr, "sign failed\n");
                return 1;
            }
        }
        n += 1000;
        elapsed = clock_s(CLOCK_MONOTONIC) - start;
    }
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("bench_sign %.0f signatures/s (%.0f per cpu-second; %lu signatures in %.2f s, "
           "1 KiB InvokeModel, cached key)\n",
           (double)n / elapsed, (double)n / cpu, n, elapsed);
    brk_sigv4_result_cleanup(&res);
    brk_sigv4_key_cache_clear();
    return 0;
}
