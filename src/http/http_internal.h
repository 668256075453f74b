/*
 * http/http_internal.h - helpers shared by the files of src/http only.
 */
#ifndef BRK_HTTP_INTERNAL_H
#define BRK_HTTP_INTERNAL_H

#include "http.h"

/* Drop headers of an interim (1xx) response so only the final response's remain. */
void brk_http_response_reset_headers(struct brk_http_response *resp);

/* Copy the host of an absolute URL ("https://user@host:443/p" -> "host:443") into out. */
void brk_http_url_host(const char *url, char *out, size_t outlen);

#endif
