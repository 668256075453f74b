/* fuzz/fuzz_ini.c - brk_ini_parse on arbitrary bytes: no crash, no leak; on success lookups of
 * common keys work and every failure is E_PARSE or E_LIMIT with a "line N:" message. */
#include "credentials/config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct brk_ini *ini = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_ini_parse((const char *)data, size, &ini, &err);
    if (rc == BEDROCK_OK) {
        (void)brk_ini_get(ini, "default", "region");
        (void)brk_ini_get(ini, "profile dev", "role_arn");
        (void)brk_ini_has_section(ini, "default");
        brk_ini_free(ini);
    } else if (rc != BEDROCK_E_PARSE && rc != BEDROCK_E_LIMIT) {
        abort();
    } else if (rc == BEDROCK_E_PARSE && strncmp(err.message, "line ", 5) != 0) {
        abort();
    }
    return 0;
}
