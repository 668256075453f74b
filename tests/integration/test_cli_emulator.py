"""tests/integration/test_cli_emulator.py - `bedrockctl models|invoke|chat|whoami` against the
bedrock-emulator (real HTTP on 127.0.0.1, real SigV4 verification), compared with boto3 where
boto3 can say the same thing. Exit codes of failures are asserted exactly.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "compat"))
from cli_testlib import check, clean_env, finish, run  # noqa: E402
from emulator import Emulator, emulator_binary  # noqa: E402

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                   "messages": [{"role": "user", "content": [{"type": "text",
                                                              "text": "Say hello"}]}]})


def env_for(emu, **kw):
    return clean_env(AWS_ACCESS_KEY_ID=emu.root_key, AWS_SECRET_ACCESS_KEY=emu.root_secret,
                     AWS_REGION=emu.region, AWS_ENDPOINT_URL=emu.url, **kw)


def test_models(emu, env):
    theirs = emu.client("bedrock").list_foundation_models()["modelSummaries"]
    r = run(["models", "list"], env=env)
    ours = json.loads(r.stdout).get("modelSummaries", []) if r.returncode == 0 else []
    check(r.returncode == 0 and sorted(m["modelId"] for m in ours) ==
          sorted(m["modelId"] for m in theirs), "models list: same ids as boto3",
          r.stderr + r.stdout[:500])
    r = run(["models", "list", "--provider", "Anthropic", "--output", "text"], env=env)
    check(r.returncode == 0 and MODEL in r.stdout and "amazon." not in r.stdout,
          "models list --provider Anthropic (text)", r.stdout[:800] + r.stderr)
    r = run(["models", "list", "--output", "table", "--no-color"], env=env)
    check(r.returncode == 0 and "| modelId" in r.stdout, "models list (table)", r.stdout[:500])
    r = run(["models", "get", MODEL], env=env)
    v = json.loads(r.stdout) if r.returncode == 0 else {}
    check(v.get("modelDetails", {}).get("modelId") == MODEL, "models get", r.stdout + r.stderr)
    r = run(["models", "get", "nosuch.model-v1:0"], env=env)
    check(r.returncode == 6, "models get unknown: exit 6", r.stderr)
    r = run(["models", "profiles"], env=env)
    theirs = emu.client("bedrock").list_inference_profiles()["inferenceProfileSummaries"]
    ours = json.loads(r.stdout).get("inferenceProfileSummaries", []) if r.returncode == 0 else []
    check(r.returncode == 0 and {p["inferenceProfileId"] for p in ours} ==
          {p["inferenceProfileId"] for p in theirs}, "models profiles: same ids as boto3",
          r.stderr + r.stdout[:300])


def test_invoke(emu, env, tmp):
    out = os.path.join(tmp, "out.json")
    r = run(["invoke", "--model", MODEL, "--body", BODY, out], env=env)
    body = json.load(open(out)) if r.returncode == 0 and os.path.exists(out) else {}
    meta = json.loads(r.stdout) if r.returncode == 0 else {}
    check(r.returncode == 0 and body.get("type") == "message" and body.get("content"),
          "invoke: body written to OUTFILE", r.stderr)
    check(meta.get("contentType", "").startswith("application/json") and
          meta.get("inputTokens", -1) >= 0 and meta.get("outputTokens", -1) >= 0,
          "invoke: metadata (contentType, tokens) on stdout", r.stdout)
    bf = os.path.join(tmp, "body.json")
    open(bf, "w").write(BODY)
    r = run(["invoke", "--model", MODEL, "--body-file", bf], env=env)
    check(r.returncode == 0 and json.loads(r.stdout).get("type") == "message" and
          "outputTokens" in r.stderr, "invoke --body-file: body on stdout, usage on stderr",
          r.stdout + r.stderr)
    r = run(["invoke", "--model", MODEL, "--body", BODY, "--stream"], env=env)
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    types = [l.get("type") for l in lines]
    check(r.returncode == 0 and "message_start" in types and "content_block_delta" in types and
          "message_stop" in types, "invoke --stream: one event JSON per line", r.stdout[:500]
          + r.stderr)
    r = run(["invoke", "--model", MODEL, "--body", "{not json"], env=env)
    check(r.returncode == 6, "invoke bad body: exit 6 (validation)", r.stderr)
    r = run(["invoke", "--model", MODEL], env=env)
    check(r.returncode == 2, "invoke without body: exit 2", r.stderr)


def test_chat(emu, env):
    r = run(["chat", "--model", MODEL, "--usage", "Say", "hello"], env=env)
    check(r.returncode == 0 and r.stdout.strip() != "", "chat (converse stream) prints reply",
          r.stderr)
    check("input" in r.stderr and "output" in r.stderr and "ms" in r.stderr,
          "chat --usage: tokens and latency on stderr", r.stderr)
    r2 = run(["chat", "--model", MODEL, "--api", "invoke", "--max-tokens", "50"], env=env,
             input="Say hello\n")
    check(r2.returncode == 0 and r2.stdout.strip() != "", "chat --api invoke, prompt from stdin",
          r2.stderr)
    r = run(["chat", "--model", MODEL, "hi"], env=dict(env, BEDROCK_MODEL_ID="nosuch.x-v1:0"))
    check(r.returncode == 0, "--model wins over BEDROCK_MODEL_ID", r.stderr)
    r = run(["chat", "hi"], env=dict(env, BEDROCK_MODEL_ID="nosuch.x-v1:0"))
    check(r.returncode == 6 and "nosuch" in r.stderr, "BEDROCK_MODEL_ID picks the model",
          r.stderr)
    r = run(["chat", "--api", "bogus", "hi"], env=env)
    check(r.returncode == 2, "chat --api bogus: exit 2", r.stderr)


def test_auth(emu):
    bad = clean_env(AWS_ACCESS_KEY_ID=emu.root_key, AWS_SECRET_ACCESS_KEY="wrong" * 8,
                    AWS_REGION=emu.region, AWS_ENDPOINT_URL=emu.url)
    r = run(["models", "list"], env=bad)
    check(r.returncode == 4, "wrong secret against the emulator: exit 4", r.stderr)
    r = run(["whoami"], env=env_for(emu))
    v = json.loads(r.stdout) if r.returncode == 0 else {}
    check(v.get("Account") == emu.account_id, "whoami against the emulator", r.stderr)


def main():
    if not os.path.exists(emulator_binary()):
        print("SKIP: no bedrock-emulator at %s (pending)" % emulator_binary())
        sys.exit(77)
    import tempfile
    tmp = tempfile.mkdtemp(prefix="brk-cli-emu-")
    with Emulator() as emu:
        env = env_for(emu)
        test_models(emu, env)
        test_invoke(emu, env, tmp)
        test_chat(emu, env)
        test_auth(emu)
    finish()


if __name__ == "__main__":
    main()
