"""tests/compat/test_emulator_admin.py - the emulator-only admin API (src/emulator/svc_admin.c):
POST /_emulator/model-access and POST /_emulator/state, SigV4-signed with service `bedrock`.

Covers: root may use it; a non-root IAM user (even with AdministratorAccess) gets 403
AccessDeniedException; unsigned and wrongly signed requests are refused with the exact codes;
bad bodies and unknown admin paths; denying a model makes InvokeModel / Converse / streaming /
inference-profile calls answer Bedrock's model-access AccessDeniedException and
GetFoundationModelAvailability report NOT_AUTHORIZED, granting it back restores access; the
state dump lists users and denied models (and never a secret); denials survive a restart with
--state.

Invariants: emulators listen on 127.0.0.1 port 0 (tests/compat/emulator.py) and are stopped by
their PIDs; every negative case asserts the exact HTTP status and error code; exit 0 only when
every case passed.
"""
import json
import os
import sys
import tempfile
import traceback
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.exceptions  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET35 = "anthropic.claude-3-5-sonnet-20240620-v1:0"
NO_ACCESS = "You don't have access to the model with the specified model ID."
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


def admin(emu, path, payload=None, key=None, secret=None, sign=True, method="POST",
          service="bedrock"):
    """Send one admin request; returns (status, parsed JSON body or raw text). An error's code
    (rest-json: the x-amzn-ErrorType header) is put in the body as "__type"."""
    data = json.dumps(payload).encode() if payload is not None else b""
    url = emu.url + path
    headers = {"Content-Type": "application/json"}
    if sign:
        req = AWSRequest(method=method, url=url, data=data, headers=headers)
        creds = Credentials(key or emu.root_key, secret or emu.root_secret)
        SigV4Auth(creds, service, emu.region).add_auth(req)
        headers = dict(req.headers.items())
    r = urllib.request.Request(url, data=data if method != "GET" else None, headers=headers,
                               method=method)
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            status, raw, etype = resp.status, resp.read(), None
    except urllib.error.HTTPError as e:
        status, raw, etype = e.code, e.read(), e.headers.get("x-amzn-ErrorType")
    try:
        body = json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")
    if etype is not None and isinstance(body, dict):
        body["__type"] = etype.split(":")[0]
    return status, body


def err_code(body):
    if isinstance(body, dict):
        return body.get("__type", body.get("code", body.get("Code", "")))
    return body


def expect_admin_error(got, status, code):
    st, body = got
    assert st == status, (st, body, status)
    c = err_code(body)
    assert c == code or c.endswith("#" + code), (body, code)


def expect_client_error(fn, code, status, message=None):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, (err, code)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        if message is not None:
            assert err["Message"] == message, (err["Message"], message)
        return
    raise AssertionError("expected %s" % code)


def invoke(rt, model, text="hi"):
    b = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20,
         "messages": [{"role": "user", "content": text}]}
    return json.loads(rt.invoke_model(modelId=model, body=json.dumps(b))["body"].read())


def make_user(emu, name, admin_policy=True):
    iam = emu.client("iam")
    iam.create_user(UserName=name)
    if admin_policy:
        iam.attach_user_policy(UserName=name, PolicyArn=ADMIN_POLICY)
    k = iam.create_access_key(UserName=name)["AccessKey"]
    return k["AccessKeyId"], k["SecretAccessKey"]


# --- cases -----------------------------------------------------------------------------------
def case_root_state_dump(emu, ctx):
    st, body = admin(emu, "/_emulator/state", {})
    assert st == 200, (st, body)
    names = [u["userName"] for u in body["users"]]
    assert names == sorted(names) and "admin-user" in names, body
    assert all(u["userId"].startswith("AIDA") for u in body["users"]), body
    assert body["deniedModels"] == [], body
    text = json.dumps(body)
    assert ctx["admin_secret"] not in text and emu.root_secret not in text, "secret in dump"


def case_non_root_denied(emu, ctx):
    key, secret = ctx["admin_key"], ctx["admin_secret"]
    # The user really is an administrator: IAM and Bedrock work for it.
    assert emu.client("sts", key, secret).get_caller_identity()["Arn"].endswith(":user/admin-user")
    assert invoke(emu.client("bedrock-runtime", key, secret), HAIKU)["content"], "admin invoke"
    for path, payload in (("/_emulator/state", {}),
                          ("/_emulator/model-access", {"modelId": HAIKU, "granted": False})):
        expect_admin_error(admin(emu, path, payload, key, secret), 403, "AccessDeniedException")
    # Nothing changed.
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == []


def case_unsigned_refused(emu, ctx):
    del ctx
    for path in ("/_emulator/state", "/_emulator/model-access"):
        expect_admin_error(admin(emu, path, {"modelId": HAIKU, "granted": False}, sign=False),
                           403, "MissingAuthenticationTokenException")
    # The root key id with a wrong secret: the signature check, not the admin check, refuses.
    expect_admin_error(admin(emu, "/_emulator/state", {}, secret="x" * 40), 403,
                       "InvalidSignatureException")
    # An unknown key id.
    expect_admin_error(admin(emu, "/_emulator/state", {}, key="AKIAZZZZZZZZZZZZZZZZ"), 403,
                       "UnrecognizedClientException")
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == []


def case_bad_requests(emu, ctx):
    del ctx
    for bad in ({}, {"modelId": HAIKU}, {"modelId": HAIKU, "granted": "no"},
                {"modelId": 5, "granted": False}):
        expect_admin_error(admin(emu, "/_emulator/model-access", bad), 400,
                           "ValidationException")
    st, body = admin(emu, "/_emulator/model-access", None)  # empty body
    assert st == 400 and err_code(body).endswith("ValidationException"), (st, body)
    expect_admin_error(admin(emu, "/_emulator/nope", {}), 404, "UnknownOperationException")
    expect_admin_error(admin(emu, "/_emulator/model-access", method="GET"), 404,
                       "UnknownOperationException")


def availability(emu, model):
    return emu.client("bedrock").get_foundation_model_availability(modelId=model)


def case_deny_and_grant(emu, ctx):
    key, secret = ctx["admin_key"], ctx["admin_secret"]
    rt = emu.client("bedrock-runtime")
    user_rt = emu.client("bedrock-runtime", key, secret)
    a = availability(emu, HAIKU)
    assert a["authorizationStatus"] == "AUTHORIZED", a
    assert a["regionAvailability"] == "AVAILABLE", a
    assert a["agreementAvailability"]["status"] == "AVAILABLE", a

    st, body = admin(emu, "/_emulator/model-access", {"modelId": HAIKU, "granted": False})
    assert (st, body) == (200, {"modelId": HAIKU, "granted": False}), (st, body)
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == [HAIKU]
    assert availability(emu, HAIKU)["authorizationStatus"] == "NOT_AUTHORIZED"
    assert availability(emu, SONNET35)["authorizationStatus"] == "AUTHORIZED"

    # Every runtime path to the model answers the model-access error, root and user alike.
    arn = "arn:aws:bedrock:%s::foundation-model/%s" % (emu.region, HAIKU)
    conv = [{"role": "user", "content": [{"text": "hi"}]}]
    for client in (rt, user_rt):
        for model in (HAIKU, arn, "eu." + HAIKU):
            expect_client_error(lambda m=model, c=client: invoke(c, m), "AccessDeniedException",
                                403, NO_ACCESS)
        expect_client_error(lambda c=client: c.converse(modelId=HAIKU, messages=conv),
                            "AccessDeniedException", 403, NO_ACCESS)
        expect_client_error(lambda c=client: c.converse_stream(modelId=HAIKU, messages=conv),
                            "AccessDeniedException", 403, NO_ACCESS)
    # Other models are untouched.
    assert invoke(rt, SONNET35, "still fine")["content"][0]["text"].startswith(
        "Hello! You said: still fine")
    # Denying twice is idempotent.
    assert admin(emu, "/_emulator/model-access", {"modelId": HAIKU, "granted": False})[0] == 200
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == [HAIKU]

    st, body = admin(emu, "/_emulator/model-access", {"modelId": HAIKU, "granted": True})
    assert (st, body) == (200, {"modelId": HAIKU, "granted": True}), (st, body)
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == []
    assert availability(emu, HAIKU)["authorizationStatus"] == "AUTHORIZED"
    for client in (rt, user_rt):
        assert invoke(client, HAIKU, "back")["content"][0]["text"].startswith(
            "Hello! You said: back")
        assert client.converse(modelId="eu." + HAIKU, messages=conv)["output"]["message"]


def case_unknown_model(emu, ctx):
    del ctx
    expect_admin_error(admin(emu, "/_emulator/model-access",
                             {"modelId": "anthropic.no-such-model-v1:0", "granted": False}),
                       404, "ResourceNotFoundException")
    assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == []
    expect_client_error(lambda: availability(emu, "anthropic.no-such-model-v1:0"),
                        "ResourceNotFoundException", 404)


CASES = [case_root_state_dump, case_non_root_denied, case_unsigned_refused, case_bad_requests,
         case_deny_and_grant, case_unknown_model]


def run_cases(emu, ctx):
    passed = failed = 0
    for fn in CASES:
        try:
            fn(emu, ctx)
            passed += 1
            print("ok   %s" % fn.__name__)
        except Exception:  # noqa: BLE001 - report every case
            failed += 1
            print("FAIL %s" % fn.__name__)
            traceback.print_exc()
    return passed, failed


def persisted(state):
    """A denial made through the admin API survives a restart on the same --state file."""
    with Emulator(state=state) as emu:
        st, body = admin(emu, "/_emulator/model-access", {"modelId": SONNET35, "granted": False})
        assert st == 200, (st, body)
        assert emu.stop() == 0
    with Emulator(state=state) as emu:
        assert admin(emu, "/_emulator/state", {})[1]["deniedModels"] == [SONNET35]
        expect_client_error(lambda: invoke(emu.client("bedrock-runtime"), SONNET35),
                            "AccessDeniedException", 403, NO_ACCESS)
        assert emu.stop() == 0


def main():
    passed = failed = 0
    with Emulator(extra_args=["--log-requests"]) as emu:
        ctx = {}
        ctx["admin_key"], ctx["admin_secret"] = make_user(emu, "admin-user")
        p, f = run_cases(emu, ctx)
        passed, failed = passed + p, failed + f
        rc = emu.stop()
        log = emu.stderr_text()
        # --log-requests names the admin calls (operation "Admin") and never a secret.
        if rc != 0 or ctx["admin_secret"] in log or "POST /_emulator/state 403" not in log \
                or " Admin arn:aws:iam::123456789012:root" not in log:
            failed += 1
            print("FAIL emulator exit %s / request log: %s" % (rc, log[-2000:]))
    with tempfile.TemporaryDirectory(prefix="brk-admin-") as d:
        try:
            persisted(os.path.join(d, "state.db"))
            passed += 1
            print("ok   persisted")
        except Exception:  # noqa: BLE001
            failed += 1
            print("FAIL persisted")
            traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
