"""tests/integration/test_proxy.py - bedrockctl honours the standard proxy variables
(HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy, ALL_PROXY, NO_PROXY/no_proxy) through
libcurl, like the AWS CLI: https goes through a CONNECT tunnel, http as absolute-URI requests
whose Host header (and so the SigV4 signature) stays the endpoint's; NO_PROXY bypasses the
proxy; a dead or tunnel-refusing proxy is exit 8 with one error line naming the proxy (never
its password);
`bedrockctl chat` streams events through the proxy.

Invariants: every server listens on 127.0.0.1 port 0 - two bedrock-emulators (one HTTPS with a
throw-away self-signed certificate made by the openssl CLI, one plain HTTP) and two
tests/tools/proxy_server.py proxies (one relaying, one answering 403 to CONNECT), all started
here with the real interpreter and stopped by their PIDs. Each bedrockctl run gets an
environment with no proxy variable except those the case sets. Exit 77 = no openssl CLI.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("BRK_SOURCE_DIR", os.path.normpath(os.path.join(HERE, "..", "..")))
BUILD = os.environ.get("BRK_BUILD_DIR", os.path.join(SOURCE, "build"))
sys.path.insert(0, os.path.join(SOURCE, "tests", "compat"))
from emulator import Emulator  # noqa: E402
from test_emulator_tls import make_cert  # noqa: E402

BEDROCKCTL = os.path.join(BUILD, "bin", "bedrockctl")
PROXY_SERVER = os.path.join(SOURCE, "tests", "tools", "proxy_server.py")
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
ACCOUNT = "123456789012"
PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD", "AWS_CA_BUNDLE",
              "SSL_CERT_FILE", "CURL_CA_BUNDLE", "AWS_ENDPOINT_URL", "BEDROCK_MODEL_ID")


class Proxy:
    """tests/tools/proxy_server.py on 127.0.0.1:0; .port, .lines() = request lines logged."""

    def __init__(self, d, name, extra=()):
        self.log = os.path.join(d, name + ".log")
        self.proc = subprocess.Popen([sys.executable, PROXY_SERVER, self.log] + list(extra),
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError("proxy did not start: %r" % line)
        self.port = int(line)
        self.url = "http://127.0.0.1:%d" % self.port

    def lines(self):
        with open(self.log) as f:
            return [ln.rstrip("\n") for ln in f]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def dead_port():
    """A 127.0.0.1 port nobody listens on (bound, then closed): connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ctl(emu, args, ca=None, stdin=None, url=None, **proxy_env):
    env = emu.env()
    for k in PROXY_VARS:
        env.pop(k, None)
    if ca is not None:
        env["AWS_CA_BUNDLE"] = ca
    env.update(proxy_env)
    return subprocess.run([BEDROCKCTL, "--endpoint-url", url or emu.url, "--max-attempts", "1",
                           "--connect-timeout", "5"] + args, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def ok_whoami(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "arn:aws:iam::%s:root" % ACCOUNT in p.stdout, p.stdout


def new_lines(proxy, before):
    return proxy.lines()[before:]


def hostport(emu):
    return emu.url.split("://", 1)[1]


# --- cases: each gets (tls_emu, http_emu, cert, proxy, deny) ---

def case_https_proxy_upper(t, h, cert, px, deny):
    n = len(px.lines())
    ok_whoami(ctl(t, ["whoami"], ca=cert, HTTPS_PROXY=px.url))
    got = new_lines(px, n)
    assert got == ["CONNECT %s HTTP/1.1\t%s" % (hostport(t), hostport(t))], got


def case_https_proxy_lower(t, h, cert, px, deny):
    n = len(px.lines())
    ok_whoami(ctl(t, ["whoami"], ca=cert, https_proxy=px.url))
    got = new_lines(px, n)
    assert len(got) == 1 and got[0].startswith("CONNECT %s " % hostport(t)), got
    n = len(px.lines())
    ok_whoami(ctl(t, ["whoami"], ca=cert, ALL_PROXY=px.url))  # the fallback for any scheme
    got = new_lines(px, n)
    assert len(got) == 1 and got[0].startswith("CONNECT %s " % hostport(t)), got


def case_no_proxy_bypasses(t, h, cert, px, deny):
    n = len(px.lines())
    ok_whoami(ctl(t, ["whoami"], ca=cert, HTTPS_PROXY=px.url, NO_PROXY="127.0.0.1"))
    ok_whoami(ctl(t, ["whoami"], ca=cert, https_proxy=px.url, no_proxy="example.com, 127.0.0.1"))
    ok_whoami(ctl(h, ["whoami"], http_proxy=px.url, NO_PROXY="127.0.0.0/8"))
    ok_whoami(ctl(h, ["whoami"], HTTP_PROXY=px.url, NO_PROXY="*"))
    assert new_lines(px, n) == [], new_lines(px, n)
    # a NO_PROXY that does not match the host leaves the proxy in use
    ok_whoami(ctl(t, ["whoami"], ca=cert, HTTPS_PROXY=px.url, NO_PROXY="example.com,10.0.0.1"))
    got = new_lines(px, n)
    assert len(got) == 1 and got[0].startswith("CONNECT "), got


def check_forwarded(h, px, n):
    got = new_lines(px, n)
    # absolute-URI request line; the Host header is the endpoint's, not the proxy's
    assert got == ["POST %s/ HTTP/1.1\t%s" % (h.url, hostport(h))], got


def case_http_proxy_lower(t, h, cert, px, deny):
    n = len(px.lines())
    ok_whoami(ctl(h, ["whoami"], http_proxy=px.url))  # SigV4 verified by the emulator
    check_forwarded(h, px, n)


def case_http_proxy_upper(t, h, cert, px, deny):
    n = len(px.lines())
    ok_whoami(ctl(h, ["whoami"], HTTP_PROXY=px.url))
    check_forwarded(h, px, n)
    # a CGI program (REQUEST_METHOD set) ignores HTTP_PROXY: it may come from a request header
    n = len(px.lines())
    ok_whoami(ctl(h, ["whoami"], HTTP_PROXY=px.url, REQUEST_METHOD="GET"))
    assert new_lines(px, n) == [], new_lines(px, n)


def case_http_proxy_signature_checked(t, h, cert, px, deny):
    """The proxied request really is verified: a wrong secret is still refused."""
    n = len(px.lines())
    env_secret = "wrong" + "x" * 35
    p = ctl(h, ["whoami"], http_proxy=px.url, AWS_SECRET_ACCESS_KEY=env_secret)
    assert p.returncode != 0, (p.returncode, p.stdout, p.stderr)
    assert "signature" in p.stderr.lower(), p.stderr
    assert env_secret not in p.stderr + p.stdout
    assert len(new_lines(px, n)) == 1, new_lines(px, n)


def error_line(p):
    errs = [ln for ln in p.stderr.splitlines() if ln.startswith("bedrockctl: error:")]
    assert len(errs) == 1, p.stderr
    return errs[0]


def case_refused_proxy(t, h, cert, px, deny):
    port = dead_port()
    p = ctl(t, ["whoami"], ca=cert, HTTPS_PROXY="http://user:s3cretpw@127.0.0.1:%d" % port)
    assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)
    line = error_line(p)
    assert "through proxy 127.0.0.1:%d (from HTTPS_PROXY)" % port in line, line
    assert "s3cretpw" not in p.stderr and "user:" not in p.stderr, p.stderr
    p = ctl(h, ["whoami"], http_proxy="http://127.0.0.1:%d" % port)
    assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)
    assert "through proxy 127.0.0.1:%d (from http_proxy)" % port in error_line(p), p.stderr
    p = ctl(h, ["whoami"], HTTP_PROXY="http://127.0.0.1:%d" % port)
    assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)
    assert "through proxy 127.0.0.1:%d (from HTTP_PROXY)" % port in error_line(p), p.stderr


def case_tunnel_refused(t, h, cert, px, deny):
    n = len(deny.lines())
    p = ctl(t, ["whoami"], ca=cert, HTTPS_PROXY=deny.url)
    assert p.returncode == 8, (p.returncode, p.stdout, p.stderr)
    line = error_line(p)
    assert "through proxy 127.0.0.1:%d" % deny.port in line and "403" in line, line
    assert new_lines(deny, n) == ["CONNECT %s HTTP/1.1\t%s" % (hostport(t), hostport(t))]


def case_chat_streams_through_proxy(t, h, cert, px, deny):
    # ConverseStream from the https emulator through a CONNECT tunnel
    n = len(px.lines())
    p = ctl(t, ["chat", "--model", HAIKU, "--usage", "hello through a tunnel"], ca=cert,
            HTTPS_PROXY=px.url)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "hello through a tunnel" in p.stdout, p.stdout
    assert "stop end_turn" in p.stderr, p.stderr  # --usage: the closing events arrived
    got = new_lines(px, n)
    assert got and all(g.startswith("CONNECT %s " % hostport(t)) for g in got), got
    # the same stream relayed by a plain-http forwarding proxy (InvokeModelWithResponseStream)
    n = len(px.lines())
    p = ctl(h, ["chat", "--model", HAIKU, "--api", "invoke", "--max-tokens", "50"],
            stdin="hello through a forwarder", http_proxy=px.url)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "hello through a forwarder" in p.stdout, p.stdout
    got = new_lines(px, n)
    assert got and all(g.startswith("POST %s/model/" % h.url) for g in got), got


CASES = [case_https_proxy_upper, case_https_proxy_lower, case_no_proxy_bypasses,
         case_http_proxy_lower, case_http_proxy_upper, case_http_proxy_signature_checked,
         case_refused_proxy, case_tunnel_refused, case_chat_streams_through_proxy]


def run_cases(t, h, cert, px, deny):
    failed = 0
    for fn in CASES:
        try:
            fn(t, h, cert, px, deny)
            print("ok   %s" % fn.__name__)
        except Exception:  # noqa: BLE001 - report every case
            failed += 1
            print("FAIL %s" % fn.__name__)
            traceback.print_exc()
    return failed


def main():
    if shutil.which("openssl") is None:
        print("SKIP: no openssl CLI")
        return 77
    with tempfile.TemporaryDirectory(prefix="brk-proxy-") as d:
        cert, key = make_cert(d)
        px = Proxy(d, "relay")
        deny = Proxy(d, "deny", ["--deny-connect"])
        try:
            with Emulator(extra_args=["--tls-cert", cert, "--tls-key", key]) as t, \
                    Emulator() as h:
                failed = run_cases(t, h, cert, px, deny)
                for emu in (t, h):
                    rc = emu.stop()
                    if rc != 0:
                        failed += 1
                        print("FAIL emulator exit %s: %s" % (rc, emu.stderr_text()[-2000:]))
        finally:
            px.stop()
            deny.stop()
    print("%d of %d cases failed" % (failed, len(CASES)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
