/*
 * examples/hello.c - the guide's "Test with a simple request" on libbedrock: a client from the
 * environment (AWS_* variables, .env, ~/.aws), one InvokeModel of Claude 3.5 Sonnet with
 * "Say hello", then the response or the error (with what to do next). Exit 0 on success.
 */
#include <bedrock/bedrock.h>
#include <bedrock/client.h>
#include <bedrock/runtime.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char body[] = "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": "
                               "100, \"messages\": [{\"role\": \"user\", \"content\": \"Say "
                               "hello\"}]}";
    struct bedrock_error err;
    struct bedrock_client *client = NULL;
    struct bedrock_invoke_response resp = { 0 };
    struct bedrock_invoke_request req = { "anthropic.claude-3-5-sonnet-20240620-v1:0", body,
                                          strlen(body), NULL, NULL };
    char line[2048];
    bedrock_error_clear(&err);
    bedrock_code rc = bedrock_global_init();
    if (rc == BEDROCK_OK) {
        rc = bedrock_client_new(NULL, &client, &err);
    }
    if (rc == BEDROCK_OK) {
        rc = bedrock_runtime_invoke(client, &req, &resp, &err);
    }
    if (rc == BEDROCK_OK) {
        printf("\xe2\x9c\x85 Access keys are working!\nResponse: %s\n", resp.body);
    } else {
        printf("\xe2\x9d\x8c Error: %s\n", bedrock_error_format(&err, line, sizeof(line)));
        if (err.hint[0] != '\0') {
            printf("   %s\n", err.hint);
        }
    }
    bedrock_invoke_response_cleanup(&resp);
    bedrock_client_free(client);
    bedrock_global_cleanup();
    return rc == BEDROCK_OK ? 0 : 1;
}
