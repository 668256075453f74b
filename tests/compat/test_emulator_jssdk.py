"""tests/compat/test_emulator_jssdk.py - the AWS JS SDK v3 as an independent client of
bedrock-emulator: runs tests/compat/js/{control,runtime,cloudwatch}.mjs (STS, IAM, Bedrock
control plane, bedrock-runtime incl. event streams over HTTP/1.1, CloudWatch with the SDK's
default protocol and with smithy-rpc-v2-cbor), each against its own fresh emulator started
with --log-requests, and checks the emulator's request log against what the scripts saw.

Invariants: `npm ci` (tests/compat/js/package-lock.json) fills tests/compat/js/node_modules
only when it is missing or incomplete; no node/npm, or no reachable registry -> exit 77
(CTest SKIP_RETURN_CODE); any other failure -> exit 1. Emulators listen on 127.0.0.1 port 0
(tests/compat/emulator.py) and are stopped by their PIDs; a script passes only with exit 0
and its "N passed, 0 failed" line.
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from emulator import Emulator  # noqa: E402

JS = os.path.join(HERE, "js")
SONNET3 = "anthropic.claude-3-sonnet-20240229-v1:0"
NEEDED = ["@aws-sdk/client-cloudwatch", "@aws-sdk/client-sts", "@aws-sdk/client-iam",
          "@aws-sdk/client-bedrock", "@aws-sdk/client-bedrock-runtime", "@aws-sdk/core",
          "@smithy/node-http-handler"]
NET_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT",
              "ENETUNREACH", "EHOSTUNREACH", "network request", "request to http", "ERR_SOCKET")
SKIP = 77


def installed():
    return all(os.path.isfile(os.path.join(JS, "node_modules", p, "package.json"))
               for p in NEEDED)


def ensure_node_modules():
    """0 when the SDK is there, SKIP when npm/node or the registry is missing, else 1."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("SKIP: node/npm not installed")
        return SKIP
    if installed():
        return 0
    print("installing the JS SDK: npm ci --no-audit --no-fund (tests/compat/js)")
    try:
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS,
                           capture_output=True, text=True, timeout=540,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("SKIP: npm ci timed out (registry not reachable?)")
        return SKIP
    out = p.stdout + p.stderr
    if p.returncode != 0:
        if any(e in out for e in NET_ERRORS):
            print("SKIP: the npm registry is not reachable:\n" + out[-1500:])
            return SKIP
        print("FAIL: npm ci exited %d:\n%s" % (p.returncode, out[-3000:]))
        return 1
    if not installed():
        print("FAIL: npm ci succeeded but packages are missing:\n" + out[-1500:])
        return 1
    return 0


def run_script(name, extra_args=()):
    """Runs one script against a fresh emulator; returns (ok, stdout, emulator log)."""
    with Emulator(extra_args=["--log-requests"] + list(extra_args)) as emu:
        env = emu.env()
        env["BRK_EMU_URL"] = emu.url
        env["AWS_REGION"] = emu.region
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE"] = "1"
        p = subprocess.run(["node", name], cwd=JS, env=env, capture_output=True, text=True,
                           timeout=180, stdin=subprocess.DEVNULL)
        rc = emu.stop()
        log = emu.stderr_text()
    tally = re.search(r"^(\d+) passed, (\d+) failed$", p.stdout, re.M)
    ok = p.returncode == 0 and tally is not None and tally.group(2) == "0" and rc == 0
    print("--- node %s (exit %d, emulator exit %s)" % (name, p.returncode, rc))
    print(p.stdout.rstrip())
    if not ok:
        print(p.stderr[-3000:])
        print("emulator log tail:\n" + log[-3000:])
    for secret in (emu.root_secret,):
        if secret in p.stdout or secret in p.stderr or secret in log:
            print("FAIL: a secret reached the output")
            ok = False
    return ok, p.stdout, log


def check_cloudwatch_wire(stdout, log):
    """Each WIRE line the SDK printed matches a request the emulator logged, and the forced
    rpc-v2-cbor client really used the CBOR paths."""
    wires = re.findall(r"^WIRE (\S+) (\S+) (\S+) (.*)$", stdout, re.M)
    assert len(wires) >= 8, wires
    protocols = {w[0] for w in wires}
    assert "rpc-v2-cbor" in protocols, protocols
    default = [w for w in wires if w[0] != "rpc-v2-cbor"]
    assert default and len({w[0] for w in default}) == 1, default
    print("CloudWatch protocol the installed JS SDK sends by default: %s; headers %s"
          % (default[0][0], default[0][3]))
    for proto, method, path, headers in wires:
        h = json.loads(headers)
        if proto == "rpc-v2-cbor":
            assert h["smithy-protocol"] == "rpc-v2-cbor" and h["content-type"] == \
                "application/cbor", h
            op = path.rsplit("/", 1)[1]
        else:
            op = h["x-amz-target"].split(".", 1)[1]
        pat = r"^%s %s (200|400) \d+ms %s arn:aws:iam::123456789012:root$" % (
            re.escape(method), re.escape(path), op)
        assert re.search(pat, log, re.M), (pat, log[-2000:])


def main():
    rc = ensure_node_modules()
    if rc != 0:
        return rc
    passed = failed = 0
    for name, extra, check in (("control.mjs", (), None),
                               ("runtime.mjs", ("--deny-model-access", SONNET3), None),
                               ("cloudwatch.mjs", (), check_cloudwatch_wire)):
        try:
            ok, out, log = run_script(name, extra)
            if ok and check is not None:
                check(out, log)
        except Exception as e:  # noqa: BLE001 - report every script
            print("FAIL %s: %r" % (name, e))
            ok = False
        if ok:
            passed += 1
        else:
            failed += 1
        print("%s %s" % ("ok  " if ok else "FAIL", name))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
