/* fuzz/fuzz_dotenv.c - brk_dotenv_parse on arbitrary bytes: no crash, no leak; failures are
 * E_PARSE ("line N: ...") or E_LIMIT only. */
#include "credentials/config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct brk_dotenv *env = NULL;
    struct bedrock_error err;
    bedrock_error_clear(&err);
    bedrock_code rc = brk_dotenv_parse((const char *)data, size, &env, &err);
    if (rc == BEDROCK_OK) {
        (void)brk_dotenv_get(env, "AWS_ACCESS_KEY_ID");
        (void)brk_dotenv_get(env, "AWS_REGION");
        brk_dotenv_free(env);
    } else if (rc != BEDROCK_E_PARSE && rc != BEDROCK_E_LIMIT) {
        abort();
    } else if (rc == BEDROCK_E_PARSE && strncmp(err.message, "line ", 5) != 0) {
        abort();
    }
    return 0;
}
