"""tests/integration/test_usage.py - `bedrockctl usage` against bedrock-emulator (CloudWatch
AWS/Bedrock metrics computed from real invocations) and moto_server's CloudWatch in auth mode
(no Bedrock data: "no usage", exit 0).

Emulator: no usage before any call; then real calls made with boto3 (invoke_model, a stream,
converse on a second model, one invalid request = a client error); the counts
and tokens usage reports must equal what the runtime itself reported, the cost must be tokens
x price from data/prices.json (and from a --prices file, with "price unknown" for a model
absent from it), the hourly series must add up to the totals, --plot must write an SVG that
python's XML parser accepts (rendered with chromium headless when installed, optional), and a
key without CloudWatch permissions must be refused with exit 5 and a hint.
Invariants: servers on 127.0.0.1, started on free ports and stopped by PID; exact exit codes.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "compat"))
import cli_testlib as t  # noqa: E402

GUIDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 40,
                   "messages": [{"role": "user", "content": "count my tokens please"}]})


def prices():
    with open(os.path.join(t.SOURCE, "data", "prices.json")) as f:
        return json.load(f)


def close(a, b):
    return abs(a - b) <= 1e-9 + 1e-6 * abs(b)


def invoke(rt, model, expected, stream=False):
    if stream:
        r = rt.invoke_model_with_response_stream(modelId=model, body=BODY)
        for ev in r["body"]:
            chunk = ev.get("chunk")
            if chunk:
                doc = json.loads(chunk["bytes"])
                m = doc.get("amazon-bedrock-invocationMetrics")
                if m:
                    inp, out = m["inputTokenCount"], m["outputTokenCount"]
    else:
        r = rt.invoke_model(modelId=model, body=BODY)
        h = r["ResponseMetadata"]["HTTPHeaders"]
        inp = int(h["x-amzn-bedrock-input-token-count"])
        out = int(h["x-amzn-bedrock-output-token-count"])
    e = expected.setdefault(model, [0, 0, 0])
    e[0] += 1
    e[1] += inp
    e[2] += out


def converse(rt, model, expected):
    r = rt.converse(modelId=model, messages=[{"role": "user", "content": [{"text": "hello"}]}])
    e = expected.setdefault(model, [0, 0, 0])
    e[0] += 1
    e[1] += r["usage"]["inputTokens"]
    e[2] += r["usage"]["outputTokens"]


def invalid_call(emu):
    """A request the model rejects (ValidationException): one InvocationClientErrors."""
    rt = emu.client("bedrock-runtime")
    try:
        rt.invoke_model(modelId=HAIKU, body='{"anthropic_version":"bedrock-2023-05-31"}')
        return False
    except rt.exceptions.ValidationException:
        return True
    except Exception as e:  # noqa: BLE001 - report the unexpected error
        print("invalid call: %r" % e)
        return False


def check_svg(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return t.check(False, "--plot writes well-formed XML", e)
    ns = "{http://www.w3.org/2000/svg}"
    rects = root.findall(".//%srect" % ns)
    t.check(root.tag == ns + "svg" and len(rects) > 4, "--plot is an SVG with bars",
            "%s, %d rects" % (root.tag, len(rects)))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        png = path + ".png"
        r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--screenshot=" + png, "--window-size=900,600", "file://" + path],
                           capture_output=True, timeout=60)
        t.check(r.returncode == 0 and os.path.getsize(png) > 1000, "chromium renders the SVG",
                r.stderr[-500:])
    else:
        print("note: chromium not installed, SVG not rendered")


def emulator_tests():
    from emulator import Emulator, emulator_binary
    if not os.path.exists(emulator_binary()):
        print("no bedrock-emulator: emulator part skipped")
        return
    tmp = tempfile.mkdtemp(prefix="brk-usage-")
    with Emulator() as emu:
        admin = t.clean_env(AWS_ACCESS_KEY_ID=emu.root_key, AWS_SECRET_ACCESS_KEY=emu.root_secret,
                            AWS_REGION=emu.region, AWS_ENDPOINT_URL=emu.url)
        r = t.run(["usage"], env=admin)
        t.check(r.returncode == 0 and "No Amazon Bedrock usage" in r.stdout,
                "emulator: no usage before any call", r.stdout + r.stderr)
        r = t.run(["usage", "--output", "json"], env=admin)
        doc = json.loads(r.stdout) if r.returncode == 0 else {}
        t.check(doc.get("Models") == [] and doc["Total"]["Invocations"] == 0,
                "emulator: no usage as JSON", r.stdout + r.stderr)

        rt = emu.client("bedrock-runtime")
        expected = {}
        invoke(rt, GUIDE, expected)
        invoke(rt, GUIDE, expected)
        invoke(rt, GUIDE, expected, stream=True)
        converse(rt, HAIKU, expected)
        t.check(invalid_call(emu), "emulator: an invalid call (client error)")

        r = t.run(["usage", "--output", "json"], env=admin)
        doc = json.loads(r.stdout) if r.returncode == 0 else {"Models": []}
        got = {m["ModelId"]: m for m in doc["Models"]}
        table = prices()
        unit = table["unit_tokens"]
        for model, (n, inp, out) in expected.items():
            m = got.get(model, {})
            t.check((m.get("Invocations"), m.get("InputTokens"), m.get("OutputTokens"))
                    == (n, inp, out), "emulator: %s counts and tokens match the calls" % model,
                    "%r vs %r" % (m, (n, inp, out)))
            p = table["models"][model]
            cost = (inp * p["input"] + out * p["output"]) / unit
            t.check(m.get("PriceKnown") is True and close(m.get("EstimatedCostUSD") or -1, cost),
                    "emulator: %s cost = tokens x price" % model, "%r vs %r" % (m, cost))
            t.check(m.get("LatencyP50Ms") is not None and
                    m["LatencyP90Ms"] >= m["LatencyP50Ms"], "emulator: %s latency p50<=p90"
                    % model, m)
        t.check(got.get(HAIKU, {}).get("ClientErrors") == 1 and
                got[HAIKU]["Throttles"] == 0, "emulator: the client error is counted",
                got.get(HAIKU))
        total = doc.get("Total", {})
        t.check(total.get("Invocations") == sum(v[0] for v in expected.values()) and
                total.get("InputTokens") == sum(v[1] for v in expected.values()),
                "emulator: totals", total)
        pts = doc.get("Series", {}).get("Points", [])
        t.check(doc.get("Series", {}).get("PeriodSeconds") == 3600 and
                sum(p["Invocations"] for p in pts) == total.get("Invocations") and
                sum(p["OutputTokens"] for p in pts) == total.get("OutputTokens"),
                "emulator: the hourly series adds up to the totals", pts[-3:])

        svg = os.path.join(tmp, "usage.svg")
        r = t.run(["usage", "--no-color", "--plot", svg], env=admin)
        t.check(r.returncode == 0 and GUIDE in r.stdout and "Invocations per hour" in r.stdout
                and "Estimated cost" in r.stdout and "#" in r.stdout,
                "emulator: table + ASCII chart", r.stdout + r.stderr)
        check_svg(svg)
        r = t.run(["usage", "--chart", "unicode", "--since", "7d"], env=admin)
        t.check(r.returncode == 0 and "\u2588" in r.stdout and "per day" in r.stdout,
                "emulator: unicode chart, 7 days by day", r.stdout + r.stderr)
        r = t.run(["usage", "--by", "hour", "--output", "text"], env=admin)
        t.check(r.returncode == 0 and len(r.stdout.strip().splitlines()) == 1,
                "emulator: --by hour rows (text)", r.stdout + r.stderr)
        r = t.run(["usage", "--model", HAIKU, "--output", "json"], env=admin)
        d2 = json.loads(r.stdout) if r.returncode == 0 else {"Models": []}
        t.check([m["ModelId"] for m in d2["Models"]] == [HAIKU], "emulator: --model filters",
                r.stdout)

        own = os.path.join(tmp, "prices.json")
        with open(own, "w") as f:
            json.dump({"unit_tokens": 1000, "models": {GUIDE: {"input": 1.0, "output": 2.0}}}, f)
        r = t.run(["usage", "--prices", own, "--output", "json"], env=admin)
        d3 = json.loads(r.stdout) if r.returncode == 0 else {"Models": []}
        g3 = {m["ModelId"]: m for m in d3["Models"]}
        n, inp, out = expected[GUIDE]
        t.check(close(g3.get(GUIDE, {}).get("EstimatedCostUSD") or -1, (inp + 2.0 * out) / 1000)
                and g3.get(HAIKU, {}).get("PriceKnown") is False and
                g3[HAIKU]["EstimatedCostUSD"] is None, "emulator: --prices FILE", r.stdout)
        r = t.run(["usage", "--prices", own], env=admin)
        t.check(r.returncode == 0 and "price unknown" in r.stdout,
                "emulator: price unknown is said", r.stdout)

        r = t.run(["usage", "--since", "2x"], env=admin)
        t.check(r.returncode == 2, "emulator: bad --since is a usage error", r.stderr)
        r = t.run(["usage", "--prices", os.path.join(tmp, "nope.json")], env=admin)
        t.check(r.returncode != 0 and "--prices" in r.stderr, "emulator: missing --prices file",
                r.stderr)

        iam = emu.client("iam")
        iam.create_user(UserName="no-cloudwatch")
        k = iam.create_access_key(UserName="no-cloudwatch")["AccessKey"]
        weak = t.clean_env(AWS_ACCESS_KEY_ID=k["AccessKeyId"],
                           AWS_SECRET_ACCESS_KEY=k["SecretAccessKey"], AWS_REGION=emu.region,
                           AWS_ENDPOINT_URL=emu.url)
        r = t.run(["usage"], env=weak)
        t.check(r.returncode == 5 and "cloudwatch:ListMetrics" in r.stderr and
                k["SecretAccessKey"] not in r.stdout + r.stderr,
                "emulator: a key without CloudWatch access is refused with a hint",
                r.stdout + r.stderr)
    shutil.rmtree(tmp, ignore_errors=True)


def moto_tests():
    try:
        moto = t.MotoServer().__enter__()
    except (OSError, RuntimeError) as e:
        print("no moto_server (%s): moto part skipped" % e)
        return
    try:
        key, secret, _ = moto.make_admin("brk-usage")
        env = t.clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                          AWS_REGION="us-east-1", AWS_ENDPOINT_URL=moto.url)
        r = t.run(["usage"], env=env)
        t.check(r.returncode == 0 and "No Amazon Bedrock usage" in r.stdout,
                "moto: no usage, exit 0", r.stdout + r.stderr)
        r = t.run(["usage", "--model", GUIDE, "--since", "7d", "--output", "json"], env=env)
        doc = json.loads(r.stdout) if r.returncode == 0 else {}
        t.check(doc.get("Models") == [] and doc.get("Total", {}).get("Invocations") == 0,
                "moto: GetMetricData for a model without data", r.stdout + r.stderr)
        bad = t.clean_env(AWS_ACCESS_KEY_ID="AKIAEXAMPLEBADKEY000", AWS_SECRET_ACCESS_KEY="x" * 40,
                          AWS_REGION="us-east-1", AWS_ENDPOINT_URL=moto.url)
        r = t.run(["usage"], env=bad)
        t.check(r.returncode == 4, "moto: an unknown key is rejected (exit 4)",
                r.stdout + r.stderr)
    finally:
        moto.__exit__(None, None, None)


def main():
    if not os.path.exists(t.BIN):
        print("no bedrockctl at %s" % t.BIN)
        sys.exit(77)
    emulator_tests()
    moto_tests()
    t.finish()


if __name__ == "__main__":
    main()
