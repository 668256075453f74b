#!/usr/bin/env python3
"""tests/integration/test_http2.py - "HTTP/2 where offered": bedrockctl against nghttpd (the
nghttp2 project's HTTP/2 server, a Debian package) over TLS on 127.0.0.1. The client offers h2
by ALPN, the server accepts, the request goes out as HTTP/2 and its answer is parsed.
nghttpd serves a static file and checks no signature; bedrock-emulator covers SigV4 (HTTP/1.1).
Skips (77) without nghttpd or the openssl CLI."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    nghttpd = shutil.which("nghttpd") or ("/usr/sbin/nghttpd" if os.path.exists(
        "/usr/sbin/nghttpd") else None)
    if nghttpd is None or shutil.which("openssl") is None:
        print("no nghttpd or openssl: skipped")
        sys.exit(77)
    ctl = os.path.join(os.environ.get("BRK_BUILD_DIR", "build"), "bin", "bedrockctl")
    d = tempfile.mkdtemp(prefix="brk-h2-")
    proc = None
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        f"{d}/k.pem", "-out", f"{d}/c.pem", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        os.mkdir(f"{d}/www")
        with open(f"{d}/www/foundation-models", "w") as f:
            json.dump({"modelSummaries": [{"modelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
                                           "modelName": "Claude 3.5 Sonnet",
                                           "providerName": "Anthropic"}]}, f)
        port = free_port()
        proc = subprocess.Popen([nghttpd, "-d", f"{d}/www", "--address=127.0.0.1", str(port),
                                 f"{d}/k.pem", f"{d}/c.pem"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
                   AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                   AWS_REGION="eu-central-1", AWS_CA_BUNDLE=f"{d}/c.pem",
                   AWS_EC2_METADATA_DISABLED="true", HOME=d)
        r = subprocess.run([ctl, "--endpoint-url", f"https://127.0.0.1:{port}", "--debug",
                            "models", "list", "-o", "json"], env=env, cwd=d,
                           capture_output=True, text=True, timeout=60)
        failures = []
        for ok, what in ((r.returncode == 0, "exit 0"),
                         ("server accepted h2" in r.stderr, "ALPN h2 accepted"),
                         ("GET /foundation-models HTTP/2" in r.stderr, "request sent as HTTP/2"),
                         ("< HTTP/2 200" in r.stderr, "HTTP/2 response"),
                         ("anthropic.claude-3-5-sonnet-20240620-v1:0" in r.stdout,
                          "answer parsed")):
            print(("ok   " if ok else "FAIL ") + what)
            if not ok:
                failures.append(what)
        if failures:
            print(r.stdout[-2000:], r.stderr[-3000:])
        print(f"{5 - len(failures)} passed, {len(failures)} failed")
        sys.exit(1 if failures else 0)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
