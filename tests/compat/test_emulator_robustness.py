"""tests/compat/test_emulator_robustness.py - bedrock-emulator under hostile or broken clients,
its x-emulator-fault / --fault-rate behaviour, and its in-memory caches of IAM state.

Cases: a slow (slowloris) client, half-closed and idle connections, malformed HTTP, oversized
headers and bodies never delay a concurrent normal request; each header fault answers as
documented (throttle[=ms] with x-amz-retry-after, http-500, http-503, timeout[=ms], and on
streams drop@N, bad-crc@N, stall@N, stream-exception=<type>@N) in the request's protocol;
--fault-rate applies by probability; IAM writes (detach, inline deny, key deactivation, user
deletion) take effect on the very next request despite the principal/policy caches.

Invariants: every emulator listens on 127.0.0.1 port 0 and is stopped by its PID
(tests/compat/emulator.py); raw sockets talk only to it; every wait is bounded. Exit status 0
only when every case passed ("N passed, N failed" is the last line).
"""
import binascii
import json
import os
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.exceptions  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
MODEL_PATH = "/model/" + urllib.parse.quote(MODEL, safe="") + "/"
REGION = "eu-central-1"
GCI = b"Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
INVOKE = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                     "messages": [{"role": "user", "content": "Say hello to the tests"}]}).encode()
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# --- raw HTTP ---------------------------------------------------------------------------------
def port_of(emu):
    return int(emu.url.rsplit(":", 1)[1])


def connect(emu, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port_of(emu)), timeout=timeout)
    s.settimeout(timeout)
    return s


def signed_request(emu, path, body, service, ctype, extra=None, key=None, secret=None):
    headers = {"Content-Type": ctype}
    headers.update(extra or {})
    req = AWSRequest(method="POST", url=emu.url + path, data=body, headers=headers)
    SigV4Auth(Credentials(key or emu.root_key, secret or emu.root_secret), service,
              REGION).add_auth(req)
    lines = ["POST %s HTTP/1.1" % path, "Host: %s" % emu.url.split("//", 1)[1]]
    lines += ["%s: %s" % (k, v) for k, v in req.headers.items() if k.lower() != "host"]
    lines += ["Content-Length: %d" % len(body), "", ""]
    return "\r\n".join(lines).encode() + body


def gci_request(emu, fault=None, key=None, secret=None):
    extra = {"x-emulator-fault": fault} if fault else None
    return signed_request(emu, "/", GCI, "sts", FORM, extra, key, secret)


def invoke_request(emu, op="invoke", fault=None):
    extra = {"x-emulator-fault": fault} if fault else None
    return signed_request(emu, MODEL_PATH + op, INVOKE, "bedrock", "application/json", extra)


class Reply:
    def __init__(self, status, headers, body, complete):
        self.status, self.headers, self.body, self.complete = status, headers, body, complete


def read_reply(sock):
    """One HTTP/1.1 reply (Content-Length or chunked). complete=False when the connection ended
    before the reply did; then status may be 0."""
    f = sock.makefile("rb")
    try:
        line = f.readline()
        if not line:
            return Reply(0, {}, b"", False)
        status = int(line.split()[1])
        headers = {}
        while True:
            h = f.readline()
            if h in (b"\r\n", b""):
                break
            k, v = h.decode().split(":", 1)
            headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size_line = f.readline()
                if not size_line:
                    return Reply(status, headers, body, False)
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    f.readline()
                    return Reply(status, headers, body, True)
                chunk = f.read(size + 2)
                body += chunk[:size]
                if len(chunk) < size + 2:
                    return Reply(status, headers, body, False)
        n = int(headers.get("content-length", "0"))
        body = f.read(n) if n else b""
        return Reply(status, headers, body, len(body) == n)
    except (socket.timeout, OSError, ValueError):
        return Reply(0, {}, b"", False)
    finally:
        f.close()


def roundtrip(emu, raw, timeout=5.0):
    s = connect(emu, timeout)
    try:
        s.sendall(raw)
        return read_reply(s)
    finally:
        s.close()


def closed_by_server(sock, within):
    """True when the server closes the connection (EOF/reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def frames(data):
    """Split an event-stream byte string into (headers dict, payload, crc_ok) messages."""
    out = []
    while len(data) >= 16:
        total, hlen = struct.unpack(">II", data[:8])
        msg, data = data[:total], data[total:]
        crc_ok = binascii.crc32(msg[:-4]) & 0xffffffff == struct.unpack(">I", msg[-4:])[0]
        hdrs, p = {}, 12
        while p < 12 + hlen:
            nl = msg[p]
            name = msg[p + 1:p + 1 + nl].decode()
            p += 1 + nl
            vt = msg[p]
            p += 1
            if vt == 7:
                vl = struct.unpack(">H", msg[p:p + 2])[0]
                hdrs[name] = msg[p + 2:p + 2 + vl].decode()
                p += 2 + vl
            else:
                break
        out.append((hdrs, msg[12 + hlen:-4], crc_ok))
    return out


def assert_fast_normal_request(emu, limit=1.0):
    t = time.monotonic()
    r = roundtrip(emu, gci_request(emu))
    took = time.monotonic() - t
    assert r.status == 200 and b"<Arn>arn:aws:iam::123456789012:root</Arn>" in r.body, r.status
    assert took < limit, "normal request took %.2fs" % took


# --- hostile clients --------------------------------------------------------------------------
@case
def slow_client_does_not_block(emu):
    stop = threading.Event()
    s = connect(emu, 10)

    def dribble():
        head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM.encode() + b"\r\n"
        for b in head:
            if stop.is_set():
                return
            try:
                s.send(bytes([b]))
            except OSError:
                return
            time.sleep(0.02)
    t = threading.Thread(target=dribble)
    t.start()
    try:
        for _ in range(10):
            assert_fast_normal_request(emu)
            time.sleep(0.05)
    finally:
        stop.set()
        t.join()
        s.close()


@case
def slow_reader_does_not_block(emu):
    # pipelines 200 requests and never reads the replies: the server's writes back up
    s = connect(emu, 10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw = gci_request(emu)
    try:
        s.sendall(raw * 200)
        assert_fast_normal_request(emu)
        # and a slow-reading stream client
        s2 = connect(emu, 10)
        s2.sendall(invoke_request(emu, "invoke-with-response-stream"))
        assert_fast_normal_request(emu)
        s2.close()
    finally:
        s.close()


@case
def half_closed_connections(emu):
    # full request then SHUT_WR: the reply still arrives, complete
    s = connect(emu)
    s.sendall(gci_request(emu))
    s.shutdown(socket.SHUT_WR)
    r = read_reply(s)
    s.close()
    assert r.status == 200 and r.complete, (r.status, r.complete)
    # partial request then SHUT_WR: the server just closes, others unaffected
    s = connect(emu)
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=")
    s.shutdown(socket.SHUT_WR)
    assert closed_by_server(s, 3.0)
    s.close()
    # idle connections that never send anything
    idle = [connect(emu) for _ in range(20)]
    assert_fast_normal_request(emu)
    # a client that half-closes during a stream: libevent reports the EOF as the client going
    # away, so the stream is ended early (its resources freed); nobody else notices
    s = connect(emu)
    s.sendall(invoke_request(emu, "invoke-with-response-stream"))
    s.shutdown(socket.SHUT_WR)
    assert_fast_normal_request(emu)
    r = read_reply(s)
    assert r.status == 200, r.status
    s.close()
    for i in idle:
        i.close()
    assert_fast_normal_request(emu)


@case
def malformed_http(emu):
    for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
                b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64)):
        s = connect(emu)
        try:
            s.sendall(raw)
        except OSError:
            pass
        if not raw.startswith(b"\x16"):
            r = read_reply(s)
            assert r.status in (0, 400, 413, 431, 505), (raw[:20], r.status)
            assert closed_by_server(s, 3.0), raw[:20]
        # (a TLS hello without a line end just waits for the 60 s header timeout)
        assert_fast_normal_request(emu)
        s.close()


@case
def oversized_bodies(emu):
    # emu runs with --max-body-bytes 4096: above it, an AWS-shaped 413 in the protocol
    big = b"Action=GetCallerIdentity&Version=2011-06-15&Pad=" + b"x" * 5000
    r = roundtrip(emu, signed_request(emu, "/", big, "sts", FORM))
    assert r.status == 413, r.status
    assert b"<Code>RequestEntityTooLarge</Code>" in r.body, r.body[:300]
    assert r.headers.get("x-amzn-requestid"), r.headers
    bigj = json.dumps({"messages": [{"role": "user", "content": "x" * 6000}]}).encode()
    r = roundtrip(emu, signed_request(emu, MODEL_PATH + "invoke", bigj, "bedrock",
                                      "application/json"))
    assert r.status == 413 and r.headers.get("x-amzn-errortype") == "ValidationException", \
        (r.status, r.headers)
    assert b"exceeds the maximum of 4096 bytes" in r.body, r.body
    # far above libevent's hard cap: refused from the header alone, connection closed
    s = connect(emu)
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
    r = read_reply(s)
    assert r.status in (400, 413), r.status
    assert closed_by_server(s, 3.0)
    s.close()
    # a big upload trickling in does not hold anyone up
    s = connect(emu)
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8000\r\n\r\n" + b"x" * 3000)
    assert_fast_normal_request(emu)
    s.close()


# --- header faults ----------------------------------------------------------------------------
@case
def central_faults(emu):
    cases = [("throttle", 400, "Throttling", 429, "ThrottlingException"),
             ("http-500", 500, "InternalFailure", 500, "InternalServerException"),
             ("http-503", 503, "ServiceUnavailable", 503, "ServiceUnavailableException")]
    for fault, qs, qcode, js, jcode in cases:
        r = roundtrip(emu, gci_request(emu, fault))
        assert r.status == qs and ("<Code>%s</Code>" % qcode).encode() in r.body, \
            (fault, r.status, r.body[:200])
        assert "x-amz-retry-after" not in r.headers, r.headers
        r = roundtrip(emu, invoke_request(emu, fault=fault))
        assert r.status == js and r.headers.get("x-amzn-errortype") == jcode, \
            (fault, r.status, r.headers)
        assert json.loads(r.body)["message"], r.body
    r = roundtrip(emu, invoke_request(emu, fault="throttle=250"))
    assert r.status == 429 and r.headers.get("x-amz-retry-after") == "250", r.headers
    r = roundtrip(emu, gci_request(emu, "throttle=1500"))
    assert r.status == 400 and r.headers.get("x-amz-retry-after") == "1500", r.headers


@case
def timeout_fault(emu):
    s = connect(emu, 10)
    t = time.monotonic()
    s.sendall(gci_request(emu, "timeout=600"))
    assert_fast_normal_request(emu)  # held request blocks nobody
    r = read_reply(s)
    took = time.monotonic() - t
    s.close()
    assert r.status == 0 and not r.complete, r.status
    assert 0.5 <= took < 3.0, took


def stream_bytes(emu, op, fault, read_for=None):
    """(reply, complete?) of a streaming call; read_for: stop reading after that many seconds."""
    s = connect(emu, read_for or 10)
    try:
        s.sendall(invoke_request(emu, op, fault))
        return read_reply(s)
    finally:
        s.close()


@case
def stream_faults(emu):
    for op in ("invoke-with-response-stream", "converse-stream"):
        ok = stream_bytes(emu, op, None)
        good = frames(ok.body)
        assert ok.status == 200 and ok.complete and len(good) >= 6, (op, len(good))
        assert all(c for _, _, c in good)
        # drop@2: two complete events, then the connection is cut (no terminating chunk)
        r = stream_bytes(emu, op, "drop@2")
        fr = frames(r.body)
        assert r.status == 200 and not r.complete and len(fr) == 2, (op, r.complete, len(fr))
        # bad-crc@1: the second message's CRC is wrong, the first is fine
        r = stream_bytes(emu, op, "bad-crc@1")
        fr = frames(r.body)
        assert fr[0][2] and not fr[1][2], (op, [c for _, _, c in fr])
        # stall@2: two events, then silence with the connection open; others unaffected
        s = connect(emu, 10)
        s.sendall(invoke_request(emu, op, "stall@2"))
        time.sleep(0.5)
        assert_fast_normal_request(emu)
        s.settimeout(1.5)
        got = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                got += d
        except socket.timeout:
            pass
        s.close()
        body = got.split(b"\r\n\r\n", 1)[1]
        raw = b""
        while body:
            size_line, rest = body.split(b"\r\n", 1)
            n = int(size_line, 16)
            raw += rest[:n]
            body = rest[n + 2:]
        assert len(frames(raw)) == 2 and got.startswith(b"HTTP/1.1 200"), (op, len(frames(raw)))
        # stream-exception=<type>@3: three events, an exception message, a clean end
        r = stream_bytes(emu, op, "stream-exception=throttlingException@3")
        fr = frames(r.body)
        assert r.complete and len(fr) == 4, (op, len(fr))
        h = fr[3][0]
        assert h.get(":message-type") == "exception", h
        assert h.get(":exception-type") == "throttlingException", h
        assert all(f[0].get(":message-type") == "event" for f in fr[:3])


# --- caches follow IAM writes -----------------------------------------------------------------
@case
def caches_follow_iam_writes(emu):
    iam = emu.client("iam")
    iam.create_user(UserName="cache-user")
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "bedrock:InvokeModel",
         "Resource": "arn:aws:bedrock:eu-central-1::foundation-model/" + MODEL}]}
    arn = iam.create_policy(PolicyName="CacheInvoke",
                            PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="cache-user", PolicyArn=arn)
    k = iam.create_access_key(UserName="cache-user")["AccessKey"]
    rt = emu.client("bedrock-runtime", key=k["AccessKeyId"], secret=k["SecretAccessKey"])

    def invoke():
        return rt.invoke_model(modelId=MODEL, body=INVOKE)

    def denied(code):
        try:
            invoke()
        except botocore.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == code, e.response["Error"]
            return
        raise AssertionError("expected " + code)
    for _ in range(3):
        invoke()
    iam.detach_user_policy(UserName="cache-user", PolicyArn=arn)
    denied("AccessDeniedException")
    iam.attach_user_policy(UserName="cache-user", PolicyArn=arn)
    invoke()
    deny = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "bedrock:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="cache-user", PolicyName="NoBedrock",
                        PolicyDocument=json.dumps(deny))
    denied("AccessDeniedException")
    iam.delete_user_policy(UserName="cache-user", PolicyName="NoBedrock")
    invoke()
    # a policy deleted and re-created under the same name with a narrower grant
    iam.detach_user_policy(UserName="cache-user", PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)
    doc2 = dict(doc, Statement=[dict(doc["Statement"][0], Resource="arn:aws:bedrock:*::x/none")])
    arn = iam.create_policy(PolicyName="CacheInvoke",
                            PolicyDocument=json.dumps(doc2))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="cache-user", PolicyArn=arn)
    denied("AccessDeniedException")
    iam.put_user_policy(UserName="cache-user", PolicyName="Again", PolicyDocument=json.dumps(doc))
    invoke()
    iam.update_access_key(UserName="cache-user", AccessKeyId=k["AccessKeyId"], Status="Inactive")
    denied("UnrecognizedClientException")
    iam.update_access_key(UserName="cache-user", AccessKeyId=k["AccessKeyId"], Status="Active")
    invoke()
    r = roundtrip(emu, gci_request(emu, key=k["AccessKeyId"], secret=k["SecretAccessKey"]))
    assert b":user/cache-user</Arn>" in r.body, r.body
    iam.delete_access_key(UserName="cache-user", AccessKeyId=k["AccessKeyId"])
    denied("UnrecognizedClientException")


@case
def concurrent_keepalive_clients(emu):
    errors = []
    raw = gci_request(emu)

    def worker():
        try:
            s = connect(emu, 10)
            for _ in range(50):
                s.sendall(raw)
                r = read_reply(s)
                if r.status != 200:
                    errors.append(r.status)
            s.close()
        except OSError as e:
            errors.append(str(e))
    ts = [threading.Thread(target=worker) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert not errors, errors[:5]


# --- --fault-rate -----------------------------------------------------------------------------
def fault_rate():
    with Emulator(extra_args=["--fault-rate", "http-503=1.0"]) as emu:
        for _ in range(5):
            r = roundtrip(emu, gci_request(emu))
            assert r.status == 503 and b"<Code>ServiceUnavailable</Code>" in r.body, r.status
    with Emulator(extra_args=["--fault-rate", "throttle=0.5"]) as emu:
        s = connect(emu, 10)
        raw = invoke_request(emu)
        seen = {}
        for _ in range(200):
            s.sendall(raw)
            r = read_reply(s)
            seen[r.status] = seen.get(r.status, 0) + 1
        s.close()
        assert set(seen) == {200, 429}, seen
        assert 50 <= seen[429] <= 150, seen
    r = Emulator(extra_args=["--fault-rate", "throttle=2"])
    try:
        r.start()
        raise AssertionError("--fault-rate throttle=2 accepted")
    except RuntimeError:
        pass
    finally:
        r.stop()
        r.cleanup()


def main():
    passed = failed = 0

    def run(name, fn, *a):
        nonlocal passed, failed
        try:
            fn(*a)
            passed += 1
            print("ok   %s" % name)
        except Exception:  # noqa: BLE001
            failed += 1
            print("FAIL %s\n%s" % (name, traceback.format_exc()))
    with Emulator(region=REGION, extra_args=["--max-body-bytes", "4096"]) as emu:
        for fn in CASES:
            run(fn.__name__, fn, emu)
        rc = emu.stop()
        err = emu.stderr_text()
        if failed:
            print(err[-4000:])
        run("clean_exit", lambda: (rc == 0 and "Sanitizer" not in err and "leaked" not in err)
            or (_ for _ in ()).throw(AssertionError("rc=%s %s" % (rc, err[-2000:]))))
    run("fault_rate", fault_rate)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
