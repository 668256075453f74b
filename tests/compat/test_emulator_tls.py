"""tests/compat/test_emulator_tls.py - bedrock-emulator serving HTTPS (--tls-cert/--tls-key):
boto3 (verify=<cert>) and bedrockctl (AWS_CA_BUNDLE=<cert>) call STS GetCallerIdentity and
InvokeModel over TLS, and receive every event of streamed replies over TLS (boto3
ConverseStream and InvokeModelWithResponseStream, `bedrockctl chat`); clients that do not trust the self-signed certificate fail with a TLS
error (botocore SSLError, bedrockctl exit 8); the emulator keeps serving after failed
handshakes and after a plain-HTTP client talks to its TLS port.

Invariants: the certificate is made by the `openssl` CLI in a private temp dir (SAN
IP:127.0.0.1 and DNS:localhost) and removed at the end; the emulator listens on 127.0.0.1
port 0 (tests/compat/emulator.py) and is stopped by its PID; exit 0 only when every case passed.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.exceptions  # noqa: E402
from botocore.config import Config  # noqa: E402

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
ACCOUNT = "123456789012"


def bedrockctl():
    build = os.environ.get("BRK_BUILD_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
    return os.path.join(build, "bin", "bedrockctl")


def make_cert(d):
    """A self-signed P-256 certificate for 127.0.0.1/localhost; returns (cert, key)."""
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=bedrock-emulator test", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return cert, key


def ctl(emu, args, ca=None, timeout=60):
    env = emu.env()
    env.pop("AWS_CA_BUNDLE", None)
    env.pop("SSL_CERT_FILE", None)
    env.pop("CURL_CA_BUNDLE", None)
    if ca is not None:
        env["AWS_CA_BUNDLE"] = ca
    return subprocess.run([bedrockctl(), "--endpoint-url", emu.url, "--max-attempts", "1"]
                          + args, env=env, capture_output=True, text=True, timeout=timeout)


def case_boto3_trusting(emu, cert):
    assert emu.url.startswith("https://127.0.0.1:"), emu.url
    sts = emu.client("sts", verify=cert)
    ident = sts.get_caller_identity()
    assert ident["Account"] == ACCOUNT, ident
    assert ident["Arn"] == "arn:aws:iam::%s:root" % ACCOUNT, ident
    rt = emu.client("bedrock-runtime", verify=cert)
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
            "messages": [{"role": "user", "content": "over tls"}]}
    r = rt.invoke_model(modelId=HAIKU, body=json.dumps(body))
    out = json.loads(r["body"].read())
    assert out["content"][0]["text"].startswith("Hello! You said: over tls"), out
    assert out["usage"]["input_tokens"] == 2, out  # ceil(len("over tls") / 4)


def case_boto3_streams(emu, cert):
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5,
                 read_timeout=10)  # a stalled stream fails in 10 s, not 30
    rt = emu.client("bedrock-runtime", verify=cert, config=cfg)
    for _ in range(2):  # twice: the second stream reuses the kept-alive TLS connection
        r = rt.converse_stream(modelId=HAIKU, messages=[
            {"role": "user", "content": [{"text": "stream over tls"}]}])
        kinds = [next(iter(e)) for e in r["stream"]]
        assert kinds[0] == "messageStart" and kinds[-3:] == [
            "contentBlockStop", "messageStop", "metadata"], kinds
        assert "contentBlockDelta" in kinds, kinds
    r = rt.converse_stream(modelId=HAIKU, messages=[
        {"role": "user", "content": [{"text": "stream over tls"}]}])
    events = list(r["stream"])
    text = "".join(e["contentBlockDelta"]["delta"]["text"]
                   for e in events if "contentBlockDelta" in e)
    assert text.startswith("Hello! You said: stream over tls"), text
    stop = [e["messageStop"] for e in events if "messageStop" in e]
    assert stop == [{"stopReason": "end_turn"}], events
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
            "messages": [{"role": "user", "content": "invoke stream over tls"}]}
    r = rt.invoke_model_with_response_stream(modelId=HAIKU, body=json.dumps(body))
    chunks = [json.loads(e["chunk"]["bytes"]) for e in r["body"]]
    types = [c["type"] for c in chunks]
    assert types[:2] == ["message_start", "content_block_start"], types
    assert types[-3:] == ["content_block_stop", "message_delta", "message_stop"], types
    text = "".join(c["delta"]["text"] for c in chunks if c["type"] == "content_block_delta")
    assert text.startswith("Hello! You said: invoke stream over tls"), text


def case_boto3_untrusting(emu, cert):
    del cert
    sts = emu.client("sts")  # default trust store: certifi, which lacks our certificate
    try:
        sts.get_caller_identity()
    except botocore.exceptions.SSLError as e:
        assert "CERTIFICATE_VERIFY_FAILED" in str(e) or "certificate verify failed" in str(e), e
        return
    raise AssertionError("an untrusting boto3 client was not refused")


def case_bedrockctl_trusting(emu, cert):
    p = ctl(emu, ["whoami"], ca=cert)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert ACCOUNT in p.stdout and "arn:aws:iam::%s:root" % ACCOUNT in p.stdout, p.stdout
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
            "messages": [{"role": "user", "content": "tls from bedrockctl"}]}
    p = ctl(emu, ["invoke", "--model", HAIKU, "--body", json.dumps(body)], ca=cert)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "Hello! You said: tls from bedrockctl" in p.stdout, p.stdout
    p = ctl(emu, ["--read-timeout", "5", "chat", "--model", HAIKU, "--usage", "chat over tls"],
            ca=cert)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "Hello! You said: chat over tls" in p.stdout, p.stdout
    assert "stop end_turn" in p.stderr, p.stderr  # --usage: the closing events arrived


def case_bedrockctl_untrusting(emu, cert):
    del cert
    p = ctl(emu, ["whoami"])
    assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)
    low = p.stderr.lower()
    assert "tls" in low or "ssl" in low or "certificate" in low, p.stderr
    # A CA bundle that is some other certificate fails the same way.
    with tempfile.TemporaryDirectory(prefix="brk-tls-other-") as d:
        other, _ = make_cert(d)
        p = ctl(emu, ["whoami"], ca=other)
        assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)


def case_plain_http_to_tls_port(emu, cert):
    port = int(emu.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            data = s.recv(4096)
        except (ConnectionResetError, socket.timeout):
            data = b""
        assert not data.startswith(b"HTTP/"), data  # never a plaintext HTTP answer
    # ... and the server still serves TLS clients afterwards.
    ident = emu.client("sts", verify=cert).get_caller_identity()
    assert ident["Account"] == ACCOUNT, ident


CASES = [case_boto3_trusting, case_boto3_streams, case_boto3_untrusting, case_bedrockctl_trusting,
         case_bedrockctl_untrusting, case_plain_http_to_tls_port, case_boto3_trusting]


def main():
    if shutil.which("openssl") is None:
        print("SKIP: no openssl CLI")
        return 77
    failed = passed = 0
    with tempfile.TemporaryDirectory(prefix="brk-tls-") as d:
        cert, key = make_cert(d)
        with Emulator(extra_args=["--tls-cert", cert, "--tls-key", key]) as emu:
            for fn in CASES:
                try:
                    fn(emu, cert)
                    passed += 1
                    print("ok   %s" % fn.__name__)
                except Exception:  # noqa: BLE001 - report every case
                    failed += 1
                    print("FAIL %s" % fn.__name__)
                    traceback.print_exc()
            rc = emu.stop()
            if rc != 0:
                failed += 1
                print("FAIL emulator exit status %s: %s" % (rc, emu.stderr_text()[-2000:]))
        # A key that does not load is refused at start, with a message.
        bad = os.path.join(d, "bad.pem")
        with open(bad, "w") as f:
            f.write("not a key\n")
        bad_emu = Emulator(extra_args=["--tls-cert", cert, "--tls-key", bad])
        try:
            bad_emu.start()
            failed += 1
            print("FAIL emulator started with an unusable key")
        except RuntimeError as e:
            if "TLS" in str(e) and bad_emu.proc.returncode != 0:
                passed += 1
                print("ok   unusable key refused")
            else:
                failed += 1
                print("FAIL unusable key: %s" % e)
        finally:
            bad_emu.stop()
            bad_emu.cleanup()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
