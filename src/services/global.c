/*
 * services/global.c - process-wide setup: libcurl (and through it OpenSSL). Call
 * bedrock_global_init() once before threads start; cleanup once at exit.
 */
#include <bedrock/bedrock.h>

#include <curl/curl.h>

bedrock_code bedrock_global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return BEDROCK_E_INTERNAL;
    }
    return BEDROCK_OK;
}

void bedrock_global_cleanup(void)
{
    curl_global_cleanup();
}
