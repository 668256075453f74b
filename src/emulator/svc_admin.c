/*
 * emulator/svc_admin.c - emulator-only admin API, root only (SigV4 with the root key):
 *   POST /_emulator/model-access  {"modelId": "...", "granted": false}   deny/grant access
 *        (modelId: a foundation model id of the catalogue, else 404 ResourceNotFoundException)
 *   POST /_emulator/state         -> {"users": [...], "deniedModels": [...]} (no secrets)
 */
#include "server.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_json(struct emu_request *req, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    emu_reply(req, 200, "application/json", s != NULL ? s : "{}", s != NULL ? strlen(s) : 2);
    free(s);
    json_decref(j);
}

static void model_access(struct emu_request *req)
{
    json_error_t jerr;
    json_t *j = json_loadb((const char *)req->body, req->body_len, 0, &jerr);
    const char *model = json_string_value(json_object_get(j, "modelId"));
    json_t *g = json_object_get(j, "granted");
    if (model == NULL || !json_is_boolean(g)) {
        json_decref(j);
        emu_reply_error(req, 400, "ValidationException",
                        "body must be {\"modelId\": string, \"granted\": boolean}");
        return;
    }
    const struct emu_model *m = emu_catalog_find_model(model);
    if (m == NULL) {
        emu_reply_error(req, 404, "ResourceNotFoundException",
                        "No foundation model with the id '%s' in the emulator's catalogue.", model);
        json_decref(j);
        return;
    }
    emu_model_access_set(req->server, m->model_id, json_is_true(g));
    json_t *out = json_pack("{s:s,s:b}", "modelId", m->model_id, "granted", json_is_true(g));
    json_decref(j);
    reply_json(req, out);
}

static void dump_state(struct emu_request *req)
{
    json_t *users = json_array(), *denied = json_array();
    struct emu_store *st = emu_server_store(req->server);
    sqlite3_stmt *s = emu_store_prepare(st, "SELECT name, id FROM users ORDER BY name", NULL);
    while (s != NULL && sqlite3_step(s) == SQLITE_ROW) {
        json_array_append_new(users, json_pack("{s:s,s:s}", "userName",
                                               (const char *)sqlite3_column_text(s, 0), "userId",
                                               (const char *)sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    s = emu_store_prepare(st, "SELECT model_id FROM model_denials ORDER BY model_id", NULL);
    while (s != NULL && sqlite3_step(s) == SQLITE_ROW) {
        json_array_append_new(denied, json_string((const char *)sqlite3_column_text(s, 0)));
    }
    sqlite3_finalize(s);
    reply_json(req, json_pack("{s:o,s:o}", "users", users, "deniedModels", denied));
}

void emu_svc_admin(struct emu_request *req)
{
    snprintf(req->operation, sizeof(req->operation), "Admin");
    if (!req->principal.is_root) {
        emu_reply_error(req, 403, "AccessDeniedException",
                        "The emulator admin API is for the account root only.");
        return;
    }
    if (strcmp(req->method, "POST") == 0 && strcmp(req->path, "/_emulator/model-access") == 0) {
        model_access(req);
    } else if (strcmp(req->path, "/_emulator/state") == 0) {
        dump_state(req);
    } else {
        emu_reply_error(req, 404, "UnknownOperationException", "Unknown admin operation.");
    }
}
