/*
 * tests/vectors/vec_request.h - a tiny parser for the SigV4 vector request files
 * (request.txt, .req, .sreq, *-signed-request.txt), shared by the vector runner.
 *
 * Layout: "METHOD SP target SP HTTP/1.1" LF, then "Name:value" lines (a line starting with
 * a space or tab continues the previous header; the LF is kept in the value so the signer's
 * folding is what gets tested), then an empty line and the body. The target may hold raw
 * spaces, so the method is the text before the first space and the version after the last.
 */
#ifndef BRK_TESTS_VEC_REQUEST_H
#define BRK_TESTS_VEC_REQUEST_H

#include "crypto/sigv4.h"

#include <stdbool.h>
#include <stddef.h>

#define VEC_MAX_HEADERS 32

struct vec_request {
    char *text; /* owned copy; names and values point into it (NUL-terminated) */
    char *method;
    char *target; /* path[?query] */
    char *path;   /* owned */
    char *query;  /* owned, "" when none */
    struct brk_header headers[VEC_MAX_HEADERS];
    size_t n_headers;
    const char *body;
    size_t body_len;
};

/* Reads a whole file into a malloc'd NUL-terminated string; NULL if it cannot. */
char *vec_read_file(const char *path, size_t *len);
bool vec_request_parse(struct vec_request *r, const char *text, size_t len);
void vec_request_free(struct vec_request *r);
/* Value of the first header named name (case-insensitive) as a new string, or NULL. */
char *vec_request_header(const struct vec_request *r, const char *name);

#endif
