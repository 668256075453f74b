"""tests/integration/test_demo.py - `bedrockctl demo` (what `make demo` runs) passes: exit 0,
every step header naming the guide's section, a summary with 9/9, and afterwards nothing left
behind (its temp dir removed, its emulator gone). Run with --debug too: no secret-looking
string (a 40-character secret access key, a bearer token, the caller's own canary
credentials) is printed.

Invariants: the demo runs in a clean environment (cli_testlib.clean_env) with TMPDIR pointing
at a private directory, so leftovers are ours to see; we start no server ourselves.
"""
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cli_testlib as t  # noqa: E402

STEPS = ["setup", "doctor", "chat", "denied", "token", "usage", "keys rotate", "keys revoke",
         "keys audit"]
SECRET_RE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


CANARY = dict(AWS_ACCESS_KEY_ID="AKIACANARYKEYID00001",
              AWS_SECRET_ACCESS_KEY="CanarySecretKey/DoNotPrint+0123456789abcdEF",
              AWS_SESSION_TOKEN="CanarySessionToken/IQoJb3JpZ2luX2VjEDoNotPrintThisToken0123==",
              AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_REGION="us-east-1")


def run_demo(extra, tmpdir, **env_extra):
    env = t.clean_env(TMPDIR=tmpdir, **env_extra)
    r = t.run(extra + ["demo"], env=env, timeout=600)
    out = r.stdout + r.stderr
    left = os.listdir(tmpdir)
    m = re.search(r"bedrock-emulator at http://127\.0\.0\.1:(\d+)", out)
    return r, out, left, m


def main():
    emu = os.path.join(os.path.dirname(t.BIN), "bedrock-emulator")
    if not os.path.exists(t.BIN) or not os.path.exists(emu):
        print("bedrockctl or bedrock-emulator not built: skipped")
        sys.exit(77)
    tmpdir = tempfile.mkdtemp(prefix="brk-demo-test-")
    try:
        r, out, left, m = run_demo([], tmpdir)
        t.check(r.returncode == 0, "demo exits 0", out[-4000:])
        for i, name in enumerate(STEPS):
            t.check(("Step %d/%d: %s" % (i + 1, len(STEPS), name)) in out and
                    ("step %s passed" % name) in out, "step header and result: " + name)
        t.check("guide: Testing the Access Keys" in out and
                "guide: Revoking Access Keys: If Credentials Are Compromised" in out,
                "headers name the guide's sections")
        t.check("Summary: 9/9 steps passed" in out, "summary")
        t.check("is not authorized to perform: bedrock:InvokeModel" in out and "hint:" in out,
                "the denied call and its hint are shown")
        t.check("Usage by model" in out and "Invocations per hour" in out, "usage table + chart")
        t.check(left == [], "temp dir removed", left)
        t.check(m is not None, "the emulator's URL is printed")
        t.check(not SECRET_RE.search(out) and "bedrock-api-key-" not in out and
                "got a short-term Bedrock API key" in out, "no secret in the output",
            SECRET_RE.findall(out)[:3])

        # the caller's own (canary) credentials and endpoint must be neither used nor shown
        r, out, left, _ = run_demo(["--debug"], tmpdir, **CANARY)
        t.check(r.returncode == 0 and "Summary: 9/9 steps passed" in out, "demo --debug passes",
                out[-3000:])
        leaks = [s for s in SECRET_RE.findall(out) if s != "0" * 40]
        canary = [CANARY["AWS_SECRET_ACCESS_KEY"], CANARY["AWS_SESSION_TOKEN"]]
        t.check(ROOT_SECRET not in out and not leaks and
                not any(c[i:i + 12] in out for c in canary for i in range(len(c) - 11)),
                "demo --debug: no secret in the output", leaks[:3])
        t.check(left == [], "temp dir removed after --debug", left)

        env = t.clean_env(TMPDIR=tmpdir, BEDROCK_EMULATOR="/nonexistent/bedrock-emulator")
        r = t.run(["demo"], env=env)
        t.check(r.returncode == 6 and "BEDROCK_EMULATOR" in r.stderr,
                "no emulator: a clear error (exit 6)", r.stdout + r.stderr)
        t.check(os.listdir(tmpdir) == [], "nothing created without an emulator")
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    t.finish()


if __name__ == "__main__":
    main()
