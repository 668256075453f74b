#!/usr/bin/env python3
"""tests/compat/sigv4_botocore.py - our SigV4 signer against botocore's, stage by stage.

Signs Bedrock InvokeModel requests (every model-id form, with and without a session token,
POST with a JSON body) and a presigned GET with botocore's SigV4Auth / SigV4QueryAuth at a
fixed time, runs our tests/compat/sigv4_dump (path given as argv[1]) on the same input, and
compares the canonical request, the string to sign and the Authorization value (for the
presigned GET: the canonical request, string to sign and the set of query parameters).
Only the documented example keys are used. Exit status 0 = all match.
"""
import datetime
import subprocess
import sys
from unittest import mock
from urllib.parse import parse_qsl, quote, urlsplit

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//TOKEN+with=chars/AAAA"
REGION = "eu-central-1"
FIXED = datetime.datetime(2024, 6, 20, 16, 13, 20)
FIXED_S = 1718900000

MODEL_IDS = [
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
    "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "global.anthropic.claude-sonnet-4-20250514-v1:0",
    "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/"
    "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
]
BODY = (b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,'
        b'"messages":[{"role":"user","content":"Say hello in  two   words."}]}')


def run_ours(dump, method, path, query, service, token, mode, expires, headers, body):
    args = [dump, method, path, query, REGION, service, AKID, SECRET, token or "",
            str(FIXED_S), mode, str(expires)] + ["%s:%s" % kv for kv in headers]
    out = subprocess.run(args, input=body, capture_output=True, check=True).stdout.decode()
    sections, name = {}, None
    for line in out.split("\n"):
        if line.startswith("--"):
            name = line[2:]
            sections[name] = []
        elif name is not None:
            sections[name].append(line)
    return {k: "\n".join(v).rstrip("\n") if k != "canonical-request" else "\n".join(v)
            for k, v in sections.items()}


def botocore_sign(auth, req):
    """add_auth at the fixed time; returns the canonical request and string to sign that
    botocore computed while signing (recomputing afterwards would see the signed URL)."""
    seen = {}
    creq, sts = auth.canonical_request, auth.string_to_sign

    def record_creq(r):
        seen["creq"] = creq(r)
        return seen["creq"]

    def record_sts(r, c):
        seen["sts"] = sts(r, c)
        return seen["sts"]

    auth.canonical_request, auth.string_to_sign = record_creq, record_sts
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
        auth.add_auth(req)
    return seen["creq"], seen["sts"]


def check(name, what, ours, theirs, failures):
    if ours != theirs:
        failures.append(name)
        print("FAIL %s: %s differs\n--- ours\n%s\n--- botocore\n%s" % (name, what, ours, theirs))


def invoke_case(dump, model_id, token, failures):
    wire = quote(model_id, safe="")  # one segment: ':' -> %3A, '/' -> %2F
    path = "/model/%s/invoke" % wire
    host = "bedrock-runtime.%s.amazonaws.com" % REGION
    headers = [("Host", host), ("Content-Type", "application/json"),
               ("Accept", "application/json")]
    req = AWSRequest(method="POST", url="https://%s%s" % (host, path), data=BODY,
                     headers=dict(headers))
    auth = botocore.auth.SigV4Auth(Credentials(AKID, SECRET, token), "bedrock", REGION)
    canonical, sts = botocore_sign(auth, req)
    ours = run_ours(dump, "POST", path, "", "bedrock", token, "header", 0, headers, BODY)
    name = "%s [%s]" % (model_id, "token" if token else "no token")
    check(name, "canonical request", ours["canonical-request"], canonical, failures)
    check(name, "string to sign", ours["string-to-sign"], sts, failures)
    check(name, "Authorization", ours["authorization"], req.headers["Authorization"], failures)
    if "%25" not in canonical.split("\n")[1]:
        failures.append(name)
        print("FAIL %s: canonical URI is not double-encoded: %s" % (name, canonical))


def presign_case(dump, token, failures):
    host = "bedrock.%s.amazonaws.com" % REGION
    path, query = "/foundation-models", "byProvider=Anthropic&byOutputModality=TEXT"
    req = AWSRequest(method="GET", url="https://%s%s?%s" % (host, path, query),
                     headers={"Host": host})
    auth = botocore.auth.SigV4QueryAuth(Credentials(AKID, SECRET, token), "bedrock", REGION,
                                        expires=3600)
    canonical, sts = botocore_sign(auth, req)
    ours = run_ours(dump, "GET", path, query, "bedrock", token, "presign", 3600,
                    [("Host", host)], b"")
    name = "presigned GET [%s]" % ("token" if token else "no token")
    check(name, "canonical request", ours["canonical-request"], canonical, failures)
    check(name, "string to sign", ours["string-to-sign"], sts, failures)
    theirs_q = sorted(parse_qsl(urlsplit(req.url).query, keep_blank_values=True))
    ours_q = sorted(parse_qsl(ours["presigned-query"], keep_blank_values=True))
    check(name, "presigned query parameters", ours_q, theirs_q, failures)


def main():
    if len(sys.argv) != 2:
        print("usage: sigv4_botocore.py path/to/sigv4_dump", file=sys.stderr)
        return 2
    dump, failures, cases = sys.argv[1], [], 0
    for model_id in MODEL_IDS:
        for token in (None, TOKEN):
            invoke_case(dump, model_id, token, failures)
            cases += 1
    for token in (None, TOKEN):
        presign_case(dump, token, failures)
        cases += 1
    print("botocore %s: %d cases, %d failed" % (botocore.__version__, cases, len(set(failures))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
