"""tests/compat/test_emulator_bedrock.py - boto3/awscli against the emulator's Bedrock runtime
and control plane: every operation, every model-id form, streaming (events, metrics, in-stream
faults), token consistency, the documented ValidationExceptions, model access and the guide's
least-privilege policy.

Invariants: every emulator is started on 127.0.0.1 port 0 by tests/compat/emulator.py and
stopped by its PID; every negative case asserts the exact error code (and message where AWS's
wording matters). Exit status 0 only when every case passed.
"""
import base64
import json
import math
import os
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.eventstream  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.config import Config  # noqa: E402
import urllib3.exceptions  # noqa: E402

GUIDE_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
S45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
REGION = "eu-central-1"
ACCOUNT = "123456789012"
GUIDE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "BedrockInvokeModel", "Effect": "Allow",
         "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
         "Resource": ["arn:aws:bedrock:eu-central-1::foundation-model/" + GUIDE_MODEL]},
        {"Sid": "BedrockListModels", "Effect": "Allow",
         "Action": ["bedrock:ListFoundationModels", "bedrock:GetFoundationModel"],
         "Resource": "*"},
    ],
}

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def body(text="Say hello", max_tokens=200, system=None, **extra):
    b = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens,
         "messages": [{"role": "user", "content": text}]}
    if system is not None:
        b["system"] = system
    b.update(extra)
    return json.dumps(b)


def expect_tokens(*texts):
    return max(1, math.ceil(sum(len(t.encode()) for t in texts) / 4))


def expect_error(fn, code, status=None, message=None):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, (err, code)
        if status is not None:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        if message is not None:
            assert err["Message"] == message, (err["Message"], message)
        return e
    raise AssertionError("expected %s" % code)


def with_fault(client, fault):
    def add(request, **kw):
        request.headers["x-emulator-fault"] = fault
    client.meta.events.register("before-sign.bedrock-runtime.*", add)
    return client


# --- control plane ---------------------------------------------------------------------------
@case
def control_plane(emu):
    br = emu.client("bedrock")
    models = br.list_foundation_models()["modelSummaries"]
    ids = {m["modelId"]: m for m in models}
    assert GUIDE_MODEL in ids and S45 in ids, sorted(ids)
    assert "ON_DEMAND" in ids[GUIDE_MODEL]["inferenceTypesSupported"]
    assert ids[S45]["inferenceTypesSupported"] == ["INFERENCE_PROFILE"]
    assert ids[GUIDE_MODEL]["modelArn"] == \
        "arn:aws:bedrock:eu-central-1::foundation-model/" + GUIDE_MODEL
    assert "cohere.command-r-v1:0" not in ids  # not offered in eu-central-1
    emb = br.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]
    assert [m["modelId"] for m in emb] == ["amazon.titan-embed-text-v2:0"], emb
    anth = br.list_foundation_models(byProvider="anthropic")["modelSummaries"]
    assert anth and all(m["providerName"] == "Anthropic" for m in anth)
    od = br.list_foundation_models(byInferenceType="ON_DEMAND")["modelSummaries"]
    assert S45 not in [m["modelId"] for m in od]
    ft = br.list_foundation_models(byCustomizationType="FINE_TUNING")["modelSummaries"]
    assert ft and all("FINE_TUNING" in m["customizationsSupported"] for m in ft), ft
    assert GUIDE_MODEL not in [m["modelId"] for m in ft]
    d = br.get_foundation_model(modelIdentifier=GUIDE_MODEL)["modelDetails"]
    assert d["modelName"] == "Claude 3.5 Sonnet" and d["responseStreamingSupported"] is True
    d2 = br.get_foundation_model(modelIdentifier=d["modelArn"])["modelDetails"]
    assert d2["modelId"] == GUIDE_MODEL
    expect_error(lambda: br.get_foundation_model(modelIdentifier="anthropic.nope-v9:0"),
                 "ResourceNotFoundException", 404)
    expect_error(lambda: br.get_foundation_model(modelIdentifier="bad id!"),
                 "ValidationException", 400)
    # profiles + paging
    allp = br.list_inference_profiles()["inferenceProfileSummaries"]
    pids = [p["inferenceProfileId"] for p in allp]
    assert "eu." + S45 in pids and "global." + S45 in pids and "us." + S45 not in pids
    got, token = [], None
    while True:
        kw = {"maxResults": 2, "typeEquals": "SYSTEM_DEFINED"}
        if token:
            kw["nextToken"] = token
        r = br.list_inference_profiles(**kw)
        assert len(r["inferenceProfileSummaries"]) <= 2
        got += [p["inferenceProfileId"] for p in r["inferenceProfileSummaries"]]
        token = r.get("nextToken")
        if not token:
            break
    assert got == pids, (got, pids)
    assert br.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"] == []
    p = br.get_inference_profile(inferenceProfileIdentifier="eu." + S45)
    arns = [m["modelArn"] for m in p["models"]]
    assert "arn:aws:bedrock:eu-central-1::foundation-model/" + S45 in arns
    assert "arn:aws:bedrock:eu-west-3::foundation-model/" + S45 in arns
    assert p["status"] == "ACTIVE" and p["type"] == "SYSTEM_DEFINED"
    parn = "arn:aws:bedrock:eu-central-1:%s:inference-profile/eu.%s" % (ACCOUNT, S45)
    assert p["inferenceProfileArn"] == parn
    assert br.get_inference_profile(inferenceProfileIdentifier=parn)["inferenceProfileId"] == \
        "eu." + S45
    g = br.get_inference_profile(inferenceProfileIdentifier="global." + S45)
    assert [m["modelArn"] for m in g["models"]][0] == "arn:aws:bedrock:::foundation-model/" + S45
    expect_error(lambda: br.get_inference_profile(inferenceProfileIdentifier="us." + S45),
                 "ResourceNotFoundException", 404)


# --- InvokeModel / Converse / CountTokens ----------------------------------------------------
@case
def invoke_all_id_forms(emu):
    rt = emu.client("bedrock-runtime")
    forms = [GUIDE_MODEL,
             "arn:aws:bedrock:eu-central-1::foundation-model/" + GUIDE_MODEL,
             "eu." + S45,
             "arn:aws:bedrock:eu-central-1:%s:inference-profile/eu.%s" % (ACCOUNT, S45),
             "global." + S45]
    for mid in forms:
        r = rt.invoke_model(modelId=mid, body=body("Say hello"))
        doc = json.loads(r["body"].read())
        h = r["ResponseMetadata"]["HTTPHeaders"]
        assert r["contentType"] == "application/json"
        assert doc["type"] == "message" and doc["role"] == "assistant"
        text = doc["content"][0]["text"]
        assert text.startswith("Hello! You said: Say hello"), text
        assert doc["stop_reason"] == "end_turn"
        assert doc["usage"]["input_tokens"] == expect_tokens("Say hello")
        assert int(h["x-amzn-bedrock-input-token-count"]) == doc["usage"]["input_tokens"]
        assert int(h["x-amzn-bedrock-output-token-count"]) == doc["usage"]["output_tokens"]
        assert doc["usage"]["output_tokens"] == len(text.split(" "))
        assert int(h["x-amzn-bedrock-invocation-latency"]) >= 1
    # deterministic
    a = json.loads(rt.invoke_model(modelId=GUIDE_MODEL, body=body("Same"))["body"].read())
    b = json.loads(rt.invoke_model(modelId=GUIDE_MODEL, body=body("Same"))["body"].read())
    assert a["content"] == b["content"]


@case
def invoke_max_tokens_and_system(emu):
    rt = emu.client("bedrock-runtime")
    r = rt.invoke_model(modelId=GUIDE_MODEL, body=body("Tell me a long story", max_tokens=3,
                                                        system="Be brief."))
    doc = json.loads(r["body"].read())
    assert doc["stop_reason"] == "max_tokens", doc
    assert doc["usage"]["output_tokens"] == 3
    assert doc["content"][0]["text"] == "Hello! You said:"
    assert doc["usage"]["input_tokens"] == expect_tokens("Tell me a long story", "Be brief.")
    c = rt.converse(modelId=GUIDE_MODEL,
                    messages=[{"role": "user", "content": [{"text": "Tell me a long story"}]}],
                    system=[{"text": "Be brief."}], inferenceConfig={"maxTokens": 3})
    assert c["stopReason"] == "max_tokens"
    assert c["usage"]["outputTokens"] == 3
    assert c["usage"]["inputTokens"] == doc["usage"]["input_tokens"]


@case
def converse_and_count_tokens(emu):
    rt = emu.client("bedrock-runtime")
    text = "What is the capital of France? Answer in one word."
    inv = json.loads(rt.invoke_model(modelId=GUIDE_MODEL, body=body(text))["body"].read())
    for mid in (GUIDE_MODEL, "eu." + S45):
        c = rt.converse(modelId=mid, messages=[{"role": "user", "content": [{"text": text}]}])
        u = c["usage"]
        assert u["inputTokens"] == inv["usage"]["input_tokens"]
        assert u["totalTokens"] == u["inputTokens"] + u["outputTokens"]
        out = c["output"]["message"]["content"][0]["text"]
        assert out == inv["content"][0]["text"] or mid != GUIDE_MODEL
        assert c["stopReason"] == "end_turn" and c["metrics"]["latencyMs"] >= 1
    n1 = rt.count_tokens(modelId=GUIDE_MODEL,
                         input={"invokeModel": {"body": body(text)}})["inputTokens"]
    n2 = rt.count_tokens(modelId=GUIDE_MODEL, input={"converse": {
        "messages": [{"role": "user", "content": [{"text": text}]}]}})["inputTokens"]
    assert n1 == n2 == inv["usage"]["input_tokens"] == expect_tokens(text), (n1, n2)


@case
def other_providers(emu):
    rt = emu.client("bedrock-runtime")
    r = json.loads(rt.invoke_model(modelId="amazon.nova-micro-v1:0", body=json.dumps(
        {"messages": [{"role": "user", "content": [{"text": "hi there"}]}]}))["body"].read())
    assert r["usage"]["inputTokens"] == expect_tokens("hi there") and r["stopReason"] == "end_turn"
    e = json.loads(rt.invoke_model(modelId="amazon.titan-embed-text-v2:0",
                                   body=json.dumps({"inputText": "embed me"}))["body"].read())
    assert len(e["embedding"]) == 1024 and e["inputTextTokenCount"] == expect_tokens("embed me")
    expect_error(lambda: rt.converse(modelId="amazon.titan-embed-text-v2:0", messages=[
        {"role": "user", "content": [{"text": "x"}]}]), "ValidationException", 400)


@case
def validation_errors(emu):
    rt = emu.client("bedrock-runtime")
    expect_error(lambda: rt.invoke_model(modelId="anthropic.claude-9-v1:0", body=body()),
                 "ValidationException", 400, "The provided model identifier is invalid.")
    expect_error(lambda: rt.invoke_model(modelId="us." + S45, body=body()),
                 "ValidationException", 400, "The provided model identifier is invalid.")
    expect_error(lambda: rt.invoke_model(modelId=S45, body=body()), "ValidationException", 400,
                 "Invocation of model ID %s with on-demand throughput isn't supported. Retry "
                 "your request with the ID or ARN of an inference profile that contains this "
                 "model." % S45)
    expect_error(lambda: rt.converse(modelId=S45, messages=[
        {"role": "user", "content": [{"text": "x"}]}]), "ValidationException", 400)
    expect_error(lambda: rt.invoke_model(modelId=GUIDE_MODEL, body=json.dumps(
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10})),
        "ValidationException", 400,
        "Malformed input request: #: required key [messages] not found, please reformat your "
        "input and try again.")
    expect_error(lambda: rt.invoke_model(modelId=GUIDE_MODEL, body=json.dumps(
        {"max_tokens": 10, "messages": [{"role": "user", "content": "x"}]})),
        "ValidationException", 400,
        "Malformed input request: #: required key [anthropic_version] not found, please "
        "reformat your input and try again.")
    expect_error(lambda: rt.invoke_model(modelId=GUIDE_MODEL, body=body(extra_key=1)),
                 "ValidationException", 400,
                 "Malformed input request: #: extraneous key [extra_key] is not permitted, "
                 "please reformat your input and try again.")
    expect_error(lambda: rt.invoke_model(modelId=GUIDE_MODEL, body=b"not json"),
                 "ValidationException", 400)
    expect_error(lambda: rt.converse(modelId=GUIDE_MODEL, messages=[
        {"role": "assistant", "content": [{"text": "x"}]}]), "ValidationException", 400,
        "A conversation must start with a user message. Try again with a conversation that "
        "starts with a user message.")


# --- streaming -------------------------------------------------------------------------------
def invoke_stream_events(rt, mid, text="Say hello", max_tokens=200):
    r = rt.invoke_model_with_response_stream(modelId=mid, body=body(text, max_tokens=max_tokens))
    assert r["contentType"] == "application/json"
    return [json.loads(ev["chunk"]["bytes"]) for ev in r["body"]]


@case
def invoke_stream(emu):
    rt = emu.client("bedrock-runtime")
    for mid in (GUIDE_MODEL, "eu." + S45):
        ref = json.loads(rt.invoke_model(modelId=mid, body=body())["body"].read())
        evs = invoke_stream_events(rt, mid)
        types = [e["type"] for e in evs]
        n = ref["usage"]["output_tokens"]
        assert types == ["message_start", "content_block_start"] + ["content_block_delta"] * n + \
            ["content_block_stop", "message_delta", "message_stop"], types
        text = "".join(e["delta"]["text"] for e in evs if e["type"] == "content_block_delta")
        assert text == ref["content"][0]["text"]
        assert evs[0]["message"]["usage"]["input_tokens"] == ref["usage"]["input_tokens"]
        assert evs[-2]["delta"]["stop_reason"] == "end_turn"
        assert evs[-2]["usage"]["output_tokens"] == n
        m = evs[-1]["amazon-bedrock-invocationMetrics"]
        assert m["inputTokenCount"] == ref["usage"]["input_tokens"]
        assert m["outputTokenCount"] == n
        assert m["invocationLatency"] >= m["firstByteLatency"] >= 0
    evs = invoke_stream_events(rt, GUIDE_MODEL, max_tokens=2)
    assert evs[-2]["delta"]["stop_reason"] == "max_tokens"
    assert evs[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"] == 2


@case
def converse_stream(emu):
    rt = emu.client("bedrock-runtime")
    msgs = [{"role": "user", "content": [{"text": "Say hello"}]}]
    ref = rt.converse(modelId=GUIDE_MODEL, messages=msgs)
    r = rt.converse_stream(modelId=GUIDE_MODEL, messages=msgs)
    evs = list(r["stream"])
    kinds = [list(e.keys())[0] for e in evs]
    n = ref["usage"]["outputTokens"]
    assert kinds == ["messageStart"] + ["contentBlockDelta"] * n + \
        ["contentBlockStop", "messageStop", "metadata"], kinds
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in evs
                   if "contentBlockDelta" in e)
    assert text == ref["output"]["message"]["content"][0]["text"]
    md = evs[-1]["metadata"]
    assert md["usage"] == {"inputTokens": ref["usage"]["inputTokens"], "outputTokens": n,
                           "totalTokens": ref["usage"]["inputTokens"] + n}, md
    assert md["metrics"]["latencyMs"] >= 1
    assert evs[-2]["messageStop"]["stopReason"] == "end_turn"


@case
def stream_exceptions(emu):
    names = {"throttlingException": "ThrottlingException",
             "modelStreamErrorException": "ModelStreamErrorException",
             "validationException": "ValidationException",
             "internalServerException": "InternalServerException",
             "serviceUnavailableException": "ServiceUnavailableException"}
    for wire, modeled in names.items():
        for conv in (False, True):
            rt = with_fault(emu.client("bedrock-runtime"), "stream-exception=%s@3" % wire)
            seen = 0
            try:
                if conv:
                    r = rt.converse_stream(modelId=GUIDE_MODEL, messages=[
                        {"role": "user", "content": [{"text": "Say hello"}]}])
                    for _ in r["stream"]:
                        seen += 1
                else:
                    r = rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())
                    for _ in r["body"]:
                        seen += 1
                raise AssertionError("no exception for " + wire)
            except botocore.exceptions.EventStreamError as e:
                assert e.response["Error"]["Code"] == wire, e.response
                assert seen == 3, seen
                modeled_cls = getattr(rt.exceptions, modeled)
                assert modeled_cls.__name__ == modeled


@case
def stream_transport_faults(emu):
    # bad CRC in event 2: botocore detects the checksum mismatch
    rt = with_fault(emu.client("bedrock-runtime"), "bad-crc@2")
    r = rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())
    seen = 0
    try:
        for _ in r["body"]:
            seen += 1
        raise AssertionError("bad-crc not detected")
    except botocore.eventstream.ChecksumMismatch:
        assert seen == 2, seen
    # drop after 4 events: the stream ends early
    rt = with_fault(emu.client("bedrock-runtime"), "drop@4")
    seen = 0
    try:
        r = rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())
        for _ in r["body"]:
            seen += 1
    except Exception:  # noqa: BLE001 - urllib3/botocore report the cut in several ways
        pass
    assert seen == 4, seen
    # stall after 2 events: the client's read times out
    cfg = Config(retries={"max_attempts": 1}, read_timeout=2, connect_timeout=5)
    rt = with_fault(emu.client("bedrock-runtime", config=cfg), "stall@2")
    seen = 0
    try:
        r = rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())
        for _ in r["body"]:
            seen += 1
        raise AssertionError("stall did not stall")
    except (botocore.exceptions.ReadTimeoutError, botocore.exceptions.ResponseStreamingError,
            urllib3.exceptions.ReadTimeoutError):
        assert seen == 2, seen


def raw_frames(emu, path, payload, fault=None):
    """POST a SigV4-signed request and decode the raw event-stream frames with botocore."""
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.eventstream import EventStreamBuffer
    headers = {"Content-Type": "application/json",
               "Accept": "application/vnd.amazon.eventstream"}
    if fault:
        headers["x-emulator-fault"] = fault
    req = AWSRequest(method="POST", url=emu.url + path, data=payload, headers=headers)
    SigV4Auth(Credentials(emu.root_key, emu.root_secret), "bedrock", REGION).add_auth(req)
    r = urllib.request.Request(emu.url + path, data=payload, method="POST",
                               headers=dict(req.headers.items()))
    with urllib.request.urlopen(r, timeout=30) as resp:
        assert resp.headers["Content-Type"] == "application/vnd.amazon.eventstream"
        raw = resp.read()
    buf = EventStreamBuffer()
    buf.add_data(raw)
    return [(list(m.headers.items()), m.payload) for m in buf]


@case
def frames_match_real_captures(emu):
    shared = os.environ.get("BRK_SHARED_DIR", "/work/shared")
    cap_dir = os.path.join(shared, "testdata", "bedrock-stream")
    inv = json.load(open(os.path.join(
        cap_dir, "envoy-ai-gateway", "invoke-with-response-stream-claude-sonnet-4-5.messages.json")))
    conv = json.load(open(os.path.join(cap_dir, "pydantic-ai",
                                       "test_bedrock_model_stream.messages.json")))
    exc = json.load(open(os.path.join(cap_dir, "vercel-ai",
                                      "model-stream-error-exception.messages.json")))

    def names(m):
        return [h["name"] for h in m["headers"]]
    ours = raw_frames(emu, "/model/eu.%s/invoke-with-response-stream" % S45.replace(":", "%3A"),
                      body().encode())
    real_types = [json.loads(m["chunk_bytes_decoded"])["type"] for m in inv["messages"]]
    our_types = [json.loads(base64.b64decode(json.loads(p)["bytes"]))["type"] for _, p in ours]
    dedup = lambda xs: [x for i, x in enumerate(xs) if i == 0 or xs[i - 1] != x]  # noqa: E731
    assert dedup(our_types) == dedup(real_types), (our_types, real_types)
    for (hdrs, payload), m in zip(ours, inv["messages"]):
        assert [k for k, _ in hdrs] == names(m), (hdrs, names(m))
        assert dict(hdrs) == {h["name"]: h["value"] for h in m["headers"]}
        assert sorted(json.loads(payload)) == sorted(json.loads(m["payload_text"])) == ["bytes", "p"]
    real_stop = json.loads(inv["messages"][-1]["chunk_bytes_decoded"])
    our_stop = json.loads(base64.b64decode(json.loads(ours[-1][1])["bytes"]))
    assert sorted(our_stop["amazon-bedrock-invocationMetrics"]) == \
        sorted(real_stop["amazon-bedrock-invocationMetrics"])
    ours = raw_frames(emu, "/model/%s/converse-stream" % GUIDE_MODEL, json.dumps(
        {"messages": [{"role": "user", "content": [{"text": "Say hello"}]}]}).encode())
    real = {m["headers"][0]["value"]: m for m in conv["messages"]}
    for hdrs, payload in ours:
        et = dict(hdrs)[":event-type"]
        m = real[et]
        assert [k for k, _ in hdrs] == names(m), (hdrs, names(m))
        ours_keys = set(json.loads(payload))
        real_keys = set(json.loads(m["payload_text"])) - {"serverToolUsage"}
        assert ours_keys == real_keys, (et, ours_keys, real_keys)
    # exception frame layout
    rt_path = "/model/%s/invoke-with-response-stream" % GUIDE_MODEL
    frames = raw_frames(emu, rt_path, body().encode(),
                        "stream-exception=modelStreamErrorException@0")
    hdrs, payload = frames[-1]
    em = exc["messages"][0]
    assert [k for k, _ in hdrs] == names(em), hdrs
    assert dict(hdrs) == {h["name"]: h["value"] for h in em["headers"]}
    assert sorted(json.loads(payload)) == sorted(json.loads(em["payload_text"]))


# --- access ----------------------------------------------------------------------------------
@case
def least_privilege_user(emu):
    iam = emu.client("iam")
    iam.create_user(UserName="bedrock-api-user")
    pol = iam.create_policy(PolicyName="BedrockClaudeInvokeOnly",
                            PolicyDocument=json.dumps(GUIDE_POLICY))["Policy"]
    iam.attach_user_policy(UserName="bedrock-api-user", PolicyArn=pol["Arn"])
    key = iam.create_access_key(UserName="bedrock-api-user")["AccessKey"]
    rt = emu.client("bedrock-runtime", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    r = json.loads(rt.invoke_model(modelId=GUIDE_MODEL, body=body())["body"].read())
    assert r["content"][0]["text"].startswith("Hello!")
    evs = list(rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())["body"])
    assert evs
    c = rt.converse(modelId=GUIDE_MODEL, messages=[{"role": "user", "content": [{"text": "x"}]}])
    assert c["stopReason"] == "end_turn"
    user_arn = "arn:aws:iam::%s:user/bedrock-api-user" % ACCOUNT
    expect_error(lambda: rt.invoke_model(modelId=HAIKU, body=body()), "AccessDeniedException",
                 403, "User: %s is not authorized to perform: bedrock:InvokeModel on resource: "
                 "arn:aws:bedrock:eu-central-1::foundation-model/%s because no identity-based "
                 "policy allows the bedrock:InvokeModel action" % (user_arn, HAIKU))
    expect_error(lambda: rt.invoke_model(modelId="eu." + S45, body=body()),
                 "AccessDeniedException", 403)
    expect_error(lambda: rt.count_tokens(modelId=GUIDE_MODEL, input={
        "invokeModel": {"body": body()}}), "AccessDeniedException", 403)
    br = emu.client("bedrock", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    assert br.list_foundation_models()["modelSummaries"]
    expect_error(lambda: br.list_inference_profiles(), "AccessDeniedException", 403)


@case
def awscli_commands(emu):
    env = emu.env()
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.json")
        cmd = [sys.executable, "-m", "awscli", "--endpoint-url", emu.url, "bedrock-runtime",
               "invoke-model", "--model-id", GUIDE_MODEL, "--content-type", "application/json",
               "--body", body("Hello"), out]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        with open(out) as f:
            doc = json.load(f)
        assert doc["content"][0]["text"].startswith("Hello! You said: Hello"), doc
        cmd = [sys.executable, "-m", "awscli", "--endpoint-url", emu.url, "bedrock",
               "list-foundation-models", "--by-provider", "anthropic", "--query",
               "modelSummaries[].modelId", "--output", "json"]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert GUIDE_MODEL in json.loads(p.stdout)


def denied_model_access():
    with Emulator(extra_args=["--deny-model-access", HAIKU]) as emu:
        rt = emu.client("bedrock-runtime")
        expect_error(lambda: rt.invoke_model(modelId=HAIKU, body=body()), "AccessDeniedException",
                     403, "You don't have access to the model with the specified model ID.")
        expect_error(lambda: rt.converse(modelId="eu." + HAIKU, messages=[
            {"role": "user", "content": [{"text": "x"}]}]), "AccessDeniedException", 403)
        assert rt.invoke_model(modelId=GUIDE_MODEL, body=body())["body"].read()


def paced_stream():
    """--first-token-ms / --tokens-per-second shape the stream and its reported metrics."""
    import time
    with Emulator(extra_args=["--first-token-ms", "300", "--tokens-per-second", "20"]) as emu:
        rt = emu.client("bedrock-runtime")
        t0 = time.monotonic()
        r = rt.invoke_model_with_response_stream(modelId=GUIDE_MODEL, body=body())
        arrivals = []
        evs = []
        for ev in r["body"]:
            arrivals.append(time.monotonic() - t0)
            evs.append(json.loads(ev["chunk"]["bytes"]))
        n = evs[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"]
        m = evs[-1]["amazon-bedrock-invocationMetrics"]
        assert m["firstByteLatency"] >= 300, m
        assert m["invocationLatency"] >= 300 + (n - 1) * 50, (m, n)
        assert arrivals[-1] - arrivals[0] >= (n - 1) * 0.05 * 0.8, arrivals
        h = rt.invoke_model(modelId=GUIDE_MODEL, body=body())["ResponseMetadata"]["HTTPHeaders"]
        assert int(h["x-amzn-bedrock-invocation-latency"]) == 300 + n * 50, h
        assert_clean_exit(emu)


def assert_clean_exit(emu):
    """Stop the emulator and check it exited cleanly without sanitizer reports."""
    rc = emu.stop()
    err = emu.stderr_text()
    for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
        assert bad not in err, err[-3000:]
    assert rc == 0, (rc, err[-2000:])


def main():
    failed = 0
    try:
        paced_stream()
        print("ok   paced_stream")
    except Exception:  # noqa: BLE001
        failed += 1
        print("FAIL paced_stream\n%s" % traceback.format_exc())
    with Emulator(region=REGION) as emu:
        for fn in CASES:
            try:
                fn(emu)
                print("ok   %s" % fn.__name__)
            except Exception:  # noqa: BLE001
                failed += 1
                print("FAIL %s\n%s" % (fn.__name__, traceback.format_exc()))
        if failed:
            print(emu.stderr_text()[-4000:])
        try:
            assert_clean_exit(emu)
            print("ok   clean_exit")
        except Exception:  # noqa: BLE001
            failed += 1
            print("FAIL clean_exit\n%s" % traceback.format_exc())
    try:
        denied_model_access()
        print("ok   denied_model_access")
    except Exception:  # noqa: BLE001
        failed += 1
        print("FAIL denied_model_access\n%s" % traceback.format_exc())
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
