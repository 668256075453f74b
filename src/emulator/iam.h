/*
 * emulator/iam.h - helpers shared by the IAM handler files (svc_iam.c, svc_iam_policy.c).
 */
#ifndef BRK_EMULATOR_IAM_H
#define BRK_EMULATOR_IAM_H

#include "server.h"
#include "store.h"
#include "xmlout.h"

#define IAM_NS "https://iam.amazonaws.com/doc/2010-05-08/"

/* Required parameter; replies ValidationError and returns NULL when absent/empty. */
const char *iam_param(struct emu_request *req, const char *key, const char *shape_name);
/* Valid IAM name ([\w+=,.@-]{1,max}); replies ValidationError otherwise. */
bool iam_check_name(struct emu_request *req, const char *value, const char *field, size_t max);
bool iam_user_exists(struct emu_request *req, const char *user); /* replies NoSuchEntity */
void iam_user_arn(struct emu_request *req, const char *user, char *out, size_t outlen);
/* Authorise action on resource; replies AccessDenied on deny. */
bool iam_allow(struct emu_request *req, const char *action, const char *resource);
/* The user a request is about: UserName, or the caller (NULL for root). */
const char *iam_target_user(struct emu_request *req);
/* URL-encode a policy document as IAM does in GetPolicyVersion/GetUserPolicy. */
void iam_xml_urlenc(struct emu_xml *x, const char *name, const char *doc);

/* svc_iam_policy.c: true if it handled the operation. */
bool emu_iam_policy_op(struct emu_request *req);
/* svc_iam_keys.c */
bool emu_iam_key_op(struct emu_request *req);

#endif
