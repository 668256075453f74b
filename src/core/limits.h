/*
 * core/limits.h - every buffer ceiling in one place (as curl's DYN_* list). A buffer gets its
 * ceiling when created and fails with BEDROCK_E_LIMIT past it.
 */
#ifndef BRK_CORE_LIMITS_H
#define BRK_CORE_LIMITS_H

#define BRK_MAX_SIGV4_BYTES    (256u * 1024u) /* canonical request, string to sign */
#define BRK_MAX_HEADER_BYTES   (64u * 1024u)  /* one header value */
#define BRK_MAX_URL_BYTES      (16u * 1024u)
#define BRK_MAX_CONFIG_FILE    (4u * 1024u * 1024u) /* ~/.aws/config, credentials, .env */
#define BRK_MAX_RESPONSE_BYTES (64u * 1024u * 1024u)
#define BRK_MAX_REQUEST_BYTES  (32u * 1024u * 1024u)
#define BRK_MAX_ES_FRAME       (16u * 1024u * 1024u) /* event-stream message */
#define BRK_MAX_ES_HEADERS     (128u * 1024u)        /* event-stream headers section */
#define BRK_MAX_PROCESS_OUTPUT (1024u * 1024u)       /* credential_process stdout */
#define BRK_MAX_POLICY_BYTES   (131072u)
#define BRK_MAX_SMALL          (4096u)

#endif
