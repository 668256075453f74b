"""tests/compat/test_secret_canary.py - run EVERY bedrockctl command with --debug, succeeding
and failing, and assert that no secret access key, session token or bearer token appears in
stdout or stderr (not whole, and no 12-character piece of it).

TO ADD YOUR COMMAND: append rows to CASES below: Case(name, argv, context, exit_status).
  context "canary"   - canary credentials (secret, session token, bearer token) in the
                       environment, AWS_ENDPOINT_URL pointing at moto_server (which rejects them)
  context "moto"     - a real admin key on moto_server in auth mode (succeeds for STS/IAM)
  context "emulator" - the bedrock-emulator's root key (succeeds for Bedrock/STS/IAM...)
  context "emu-canary" - canary credentials against the emulator (rejected)
  context "bearer"   - canary bearer token (AWS_BEARER_TOKEN_BEDROCK) only, against the emulator
  exit_status: the exact expected exit status (None = do not check).
  token_stdout_ok=True only where printing the session token is the command's job (sign).
Rows needing the emulator are skipped (and reported) when it is not built.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from cli_testlib import MotoServer, check, clean_env, finish, run  # noqa: E402

CANARY_SECRET = "CanarySecretKey/DoNotPrint+0123456789abcdEF"
CANARY_TOKEN = "CanarySessionToken/IQoJb3JpZ2luX2VjEDoNotPrintThisToken0123456789=="
CANARY_BEARER = "bedrock-api-key-CanaryBearerTokenDoNotPrint0123456789abcdef"
CANARY_KEY = "AKIACANARYKEYID00001"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = ('{"anthropic_version":"bedrock-2023-05-31","max_tokens":20,"messages":[{"role":"user",'
        '"content":[{"type":"text","text":"hi"}]}]}')


class Case:
    def __init__(self, name, argv, context, exit_status, token_stdout_ok=False, stdin=None):
        self.name = name
        self.argv = argv
        self.context = context
        self.exit_status = exit_status
        self.token_stdout_ok = token_stdout_ok
        self.stdin = stdin


STS_URL = "{moto}/"
CASES = [
    # framework
    Case("help", ["--help"], "canary", 0),
    Case("version", ["version"], "canary", 0),
    Case("--version", ["--version"], "canary", 0),
    Case("unknown command", ["whoamy"], "canary", 2),
    Case("unknown option", ["whoami", "--bogus"], "canary", 2),
    # whoami
    Case("whoami ok", ["whoami"], "moto", 0),
    Case("whoami table", ["whoami", "--output", "table"], "moto", 0),
    Case("whoami rejected", ["whoami"], "canary", 4),
    Case("whoami emulator", ["whoami"], "emulator", 0),
    Case("whoami emulator rejected", ["whoami"], "emu-canary", 4),
    Case("whoami network", ["whoami", "--endpoint-url", "http://127.0.0.1:9",
                            "--max-attempts", "1"], "canary", 8),
    # sign (prints the session token on purpose: it is part of the request)
    Case("sign", ["sign", "--service", "sts", "--region", "us-east-1", "--data",
                  "Action=GetCallerIdentity&Version=2011-06-15", STS_URL], "canary", 0,
         token_stdout_ok=True),
    Case("sign verbose", ["sign", "--verbose", "--service", "sts", "--region", "us-east-1",
                          STS_URL], "canary", 0, token_stdout_ok=True),
    Case("sign presign", ["sign", "--presign", "--service", "sts", "--region", "us-east-1",
                          STS_URL + "?Action=GetCallerIdentity"], "canary", 0,
         token_stdout_ok=True),
    Case("sign moto key", ["sign", "--service", "sts", "--region", "us-east-1", STS_URL],
         "moto", 0),
    Case("sign bad date", ["sign", "--date", "x", "--service", "s", "--region", "r", STS_URL],
         "canary", 2),
    # models
    Case("models list", ["models", "list"], "emulator", 0),
    Case("models list table", ["models", "list", "--output", "table"], "emulator", 0),
    Case("models get", ["models", "get", MODEL], "emulator", 0),
    Case("models get missing", ["models", "get", "nosuch.model-v1:0"], "emulator", 6),
    Case("models profiles", ["models", "profiles"], "emulator", 0),
    Case("models list rejected", ["models", "list"], "emu-canary", 4),
    # invoke
    Case("invoke", ["invoke", "--model", MODEL, "--body", BODY], "emulator", 0),
    Case("invoke stream", ["invoke", "--model", MODEL, "--body", BODY, "--stream"],
         "emulator", 0),
    Case("invoke rejected", ["invoke", "--model", MODEL, "--body", BODY], "emu-canary", 4),
    Case("invoke bearer", ["invoke", "--model", MODEL, "--body", BODY], "bearer", None),
    # chat
    Case("chat", ["chat", "--model", MODEL, "--usage", "hi"], "emulator", 0),
    Case("chat invoke api", ["chat", "--model", MODEL, "--api", "invoke"], "emulator", 0,
         stdin="hi\n"),
    Case("chat rejected", ["chat", "--model", MODEL, "hi"], "emu-canary", 4),
    Case("chat bearer", ["chat", "--model", MODEL, "hi"], "bearer", None),
    # the guide: policy, setup, doctor, keys (guide engineer)
    Case("policy generate", ["policy", "generate"], "canary", 0),
    Case("policy check user", ["policy", "check", "--user", "brk-canary"], "moto", 1),
    Case("setup dry-run", ["setup", "--write-env", "canary-app.env", "--dry-run"], "moto", 0),
    Case("setup", ["setup", "--user", "canary-app", "--write-env", "canary-app.env",
                   "--no-verify"], "moto", 0),
    Case("setup again", ["setup", "--user", "canary-app", "--write-env", "canary-app.env",
                         "--no-verify"], "moto", 0),
    Case("setup rejected", ["setup", "--write-env", "canary-app.env"], "canary", 4),
    Case("doctor rejected", ["doctor"], "canary", 1),
    Case("doctor emulator", ["doctor"], "emulator", None),
    Case("keys list", ["keys", "list", "--user", "canary-app"], "moto", 0),
    Case("keys list rejected", ["keys", "list"], "canary", 4),
    Case("keys rotate", ["keys", "rotate", "--user", "canary-app", "--write-env",
                         "canary-app.env", "--delete-old"], "moto", 0),
    Case("keys audit", ["keys", "audit"], "moto", 1),
    # token: prints a bearer token (base64 of a presigned URL) and nothing else
    Case("token", ["token", "--expires", "1h"], "moto", 0),
    # (emu-canary: the "canary" context's bearer canary shares the public "bedrock-api-key-"
    # prefix every token starts with; token makes no network call, so the endpoint is moot)
    Case("token canary", ["token"], "emu-canary", 0, token_stdout_ok=True),
    Case("token bad expiry", ["token", "--expires", "13h"], "canary", 2),
    # usage (CloudWatch): moto has no Bedrock data; the emulator has what the rows above invoked
    Case("usage moto", ["usage"], "moto", 0),
    Case("usage rejected", ["usage"], "canary", 4),
    Case("usage emulator", ["usage", "--by", "hour"], "emulator", 0),
    Case("usage emulator json", ["usage", "--output", "json"], "emulator", 0),
    Case("usage emulator rejected", ["usage"], "emu-canary", 4),
    # demo: its own emulator (the same documented root key), children run with --debug. Not in
    # the "canary" context: the guide's user name bedrock-api-user shares the public
    # "bedrock-api-" piece with the bearer canary; tests/integration/test_demo.py runs the demo
    # with canary AWS_* variables instead and checks they are neither used nor shown.
    Case("demo", ["demo"], "emulator", 0),
]


def pieces(secret, n=12):
    return {secret[i:i + n] for i in range(0, max(1, len(secret) - n + 1))}


def leaked(text, secret):
    return any(p in text for p in pieces(secret))


def contexts(moto, emu):
    ctx = {}
    key, secret, _ = moto.make_admin("brk-canary")
    canary = dict(AWS_ACCESS_KEY_ID=CANARY_KEY, AWS_SECRET_ACCESS_KEY=CANARY_SECRET,
                  AWS_SESSION_TOKEN=CANARY_TOKEN, AWS_REGION="us-east-1")
    ctx["canary"] = (clean_env(AWS_ENDPOINT_URL=moto.url, **canary),
                     [CANARY_SECRET, CANARY_TOKEN, CANARY_BEARER])
    ctx["moto"] = (clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                             AWS_REGION="us-east-1", AWS_ENDPOINT_URL=moto.url), [secret])
    if emu is not None:
        ctx["emulator"] = (clean_env(AWS_ACCESS_KEY_ID=emu.root_key,
                                     AWS_SECRET_ACCESS_KEY=emu.root_secret,
                                     AWS_REGION=emu.region, AWS_ENDPOINT_URL=emu.url),
                           [emu.root_secret])
        ctx["emu-canary"] = (clean_env(AWS_ENDPOINT_URL=emu.url, **canary),
                             [CANARY_SECRET, CANARY_TOKEN])
        ctx["bearer"] = (clean_env(AWS_BEARER_TOKEN_BEDROCK=CANARY_BEARER, AWS_REGION=emu.region,
                                   AWS_ENDPOINT_URL=emu.url), [CANARY_BEARER])
    return ctx


def run_case(case, ctx, moto):
    if case.context not in ctx:
        print("skip %s (no %s)" % (case.name, case.context))
        return
    env, secrets = ctx[case.context]
    argv = ["--debug"] + [a.replace("{moto}", moto.url) for a in case.argv]
    r = run(argv, env=env, input=case.stdin if case.stdin is not None else "")
    if case.exit_status is not None:
        check(r.returncode == case.exit_status, "%s: exit %d" % (case.name, case.exit_status),
              "rc=%d\n%s" % (r.returncode, r.stderr[-1500:]))
    for s in secrets:
        stdout_ok = case.token_stdout_ok and s == CANARY_TOKEN
        check(not leaked(r.stderr, s), "%s: no secret in stderr" % case.name)
        check(stdout_ok or not leaked(r.stdout, s), "%s: no secret in stdout" % case.name)


def main():
    emu = None
    try:
        from emulator import Emulator, emulator_binary
        if os.path.exists(emulator_binary()):
            emu = Emulator().start()
        else:
            print("note: no bedrock-emulator at %s: emulator rows skipped" % emulator_binary())
    except (ImportError, RuntimeError) as e:
        print("note: emulator unavailable (%s): emulator rows skipped" % e)
        emu = None
    try:
        with MotoServer() as moto:
            ctx = contexts(moto, emu)
            for case in CASES:
                run_case(case, ctx, moto)
    finally:
        if emu is not None:
            emu.stop()
            emu.cleanup()
    finish()


if __name__ == "__main__":
    main()
