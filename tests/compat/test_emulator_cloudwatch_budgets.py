"""tests/compat/test_emulator_cloudwatch_budgets.py - CloudWatch AWS/Bedrock metrics computed
from real invocations (JSON 1.0 via boto3, awscli, a hand-built query/XML request and a
hand-built smithy-rpc-v2-cbor request, both signed with botocore's SigV4Auth) and Budgets
create/describe/delete via boto3.

Invariants: the emulator runs on 127.0.0.1 port 0 (tests/compat/emulator.py) and is stopped by
its PID; expected sums come from the token counts the runtime itself reported; negative cases
assert the exact error code.
"""
import datetime
import json
import os
import struct
import subprocess
import sys
import traceback
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

GUIDE_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
NS = "AWS/Bedrock"
XMLNS = "{http://monitoring.amazonaws.com/doc/2010-08-01/}"


# --- minimal CBOR (RFC 8949) for the hand-built rpc-v2-cbor request ----------------------------
class Tag1:
    def __init__(self, v):
        self.v = v


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor_enc(v):
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor_enc(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor_enc(k) + cbor_enc(x) for k, x in v.items())
    if isinstance(v, Tag1):
        return b"\xc1" + cbor_enc(v.v)
    raise TypeError(type(v))


def cbor_dec(b, i=0):
    ib = b[i]
    major, ai = ib >> 5, ib & 31
    i += 1
    if major == 7:
        if ai == 20:
            return False, i
        if ai == 21:
            return True, i
        if ai in (22, 23):
            return None, i
        if ai == 25:
            return struct.unpack(">e", b[i:i + 2])[0], i + 2
        if ai == 26:
            return struct.unpack(">f", b[i:i + 4])[0], i + 4
        if ai == 27:
            return struct.unpack(">d", b[i:i + 8])[0], i + 8
        raise ValueError(ai)
    if ai < 24:
        n = ai
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[ai]
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        raw = b[i:i + n]
        return (raw.decode() if major == 3 else raw), i + n
    if major == 4:
        out = []
        for _ in range(n):
            v, i = cbor_dec(b, i)
            out.append(v)
        return out, i
    if major == 5:
        out = {}
        for _ in range(n):
            k, i = cbor_dec(b, i)
            v, i = cbor_dec(b, i)
            out[k] = v
        return out, i
    if major == 6:
        v, i = cbor_dec(b, i)
        return (Tag1(v) if n == 1 else v), i
    raise ValueError(major)


def signed_send(emu, path, body, headers, service="monitoring"):
    creds = Credentials(emu.root_key, emu.root_secret)
    req = AWSRequest(method="POST", url=emu.url + path, data=body, headers=headers)
    SigV4Auth(creds, service, emu.region).add_auth(req)
    r = urllib.request.Request(emu.url + path, data=body, method="POST",
                               headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def anthropic_body(text, max_tokens=100):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens,
                       "messages": [{"role": "user", "content": text}]})


def make_traffic(emu):
    """Invocations with known token counts; returns the expected aggregates for GUIDE_MODEL."""
    rt = emu.client("bedrock-runtime")
    ins, outs, lat = [], [], []
    for text in ("Say hello", "What is the capital of France?", "One more please"):
        r = rt.invoke_model(modelId=GUIDE_MODEL, body=anthropic_body(text))
        h = r["ResponseMetadata"]["HTTPHeaders"]
        ins.append(int(h["x-amzn-bedrock-input-token-count"]))
        outs.append(int(h["x-amzn-bedrock-output-token-count"]))
        lat.append(int(h["x-amzn-bedrock-invocation-latency"]))
    evs = list(rt.converse_stream(modelId=GUIDE_MODEL, messages=[
        {"role": "user", "content": [{"text": "Stream this"}]}])["stream"])
    md = evs[-1]["metadata"]
    ins.append(md["usage"]["inputTokens"])
    outs.append(md["usage"]["outputTokens"])
    # one client error and one in-stream throttle
    try:
        rt.invoke_model(modelId=GUIDE_MODEL, body=b"{}")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationException"

    def fault(request, **kw):
        request.headers["x-emulator-fault"] = "stream-exception=throttlingException@1"
    rt2 = emu.client("bedrock-runtime")
    rt2.meta.events.register("before-sign.bedrock-runtime.*", fault)
    try:
        for _ in rt2.invoke_model_with_response_stream(modelId=GUIDE_MODEL,
                                                       body=anthropic_body("x"))["body"]:
            pass
    except botocore.exceptions.EventStreamError as e:
        assert e.response["Error"]["Code"] == "throttlingException"
    # a throttle and a 503 answered before the model runs (the router's faults) count too
    for value, want in (("throttle", "ThrottlingException"),
                        ("http-503", "ServiceUnavailableException")):
        rt3 = emu.client("bedrock-runtime", config=botocore.config.Config(
            retries={"total_max_attempts": 1, "mode": "standard"}))
        rt3.meta.events.register("before-sign.bedrock-runtime.*",
                                 lambda request, v=value, **kw:
                                 request.headers.__setitem__("x-emulator-fault", v))
        try:
            rt3.invoke_model(modelId=GUIDE_MODEL, body=anthropic_body("x"))
            raise AssertionError("fault not injected")
        except botocore.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == want, e.response
    return {"Invocations": len(ins), "InputTokenCount": sum(ins),
            "OutputTokenCount": sum(outs), "latencies": lat}


def window():
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)


def check_boto3(emu, exp):
    cw = emu.client("cloudwatch")
    start, end = window()
    dims = [{"Name": "ModelId", "Value": GUIDE_MODEL}]
    for metric in ("Invocations", "InputTokenCount", "OutputTokenCount"):
        r = cw.get_metric_statistics(Namespace=NS, MetricName=metric, Dimensions=dims,
                                     StartTime=start, EndTime=end, Period=7200,
                                     Statistics=["Sum", "SampleCount"])
        assert len(r["Datapoints"]) == 1, r
        dp = r["Datapoints"][0]
        assert dp["Sum"] == exp[metric], (metric, dp, exp)
        assert dp["SampleCount"] == exp["Invocations"]
        assert dp["Unit"] == "Count"
        assert r["Label"] == metric
    for metric, want in (("InvocationThrottles", 2), ("InvocationClientErrors", 1),
                         ("InvocationServerErrors", 1)):
        r = cw.get_metric_statistics(Namespace=NS, MetricName=metric, Dimensions=dims,
                                     StartTime=start, EndTime=end, Period=7200,
                                     Statistics=["Sum"])
        assert [d["Sum"] for d in r["Datapoints"]] == [want], (metric, r)
    r = cw.get_metric_statistics(Namespace=NS, MetricName="InvocationLatency", Dimensions=dims,
                                 StartTime=start, EndTime=end, Period=7200,
                                 Statistics=["Minimum", "Maximum"],
                                 ExtendedStatistics=["p50", "p99"])
    dp = r["Datapoints"][0]
    assert dp["Unit"] == "Milliseconds"
    assert dp["Minimum"] <= dp["ExtendedStatistics"]["p50"] <= dp["ExtendedStatistics"]["p99"] \
        == dp["Maximum"], dp
    r = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        {"Id": "inv", "MetricStat": {"Metric": {"Namespace": NS, "MetricName": "Invocations",
                                                "Dimensions": dims},
                                     "Period": 7200, "Stat": "Sum"}},
        {"Id": "tok", "Label": "tokens", "MetricStat": {
            "Metric": {"Namespace": NS, "MetricName": "InputTokenCount", "Dimensions": dims},
            "Period": 7200, "Stat": "p90"}},
        {"Id": "hidden", "ReturnData": False, "MetricStat": {
            "Metric": {"Namespace": NS, "MetricName": "Invocations"}, "Period": 60,
            "Stat": "Sum"}}])
    res = {x["Id"]: x for x in r["MetricDataResults"]}
    assert sorted(res) == ["inv", "tok"], res
    assert res["inv"]["Values"] == [exp["Invocations"]] and res["inv"]["StatusCode"] == "Complete"
    assert res["tok"]["Label"] == "tokens" and len(res["tok"]["Values"]) == 1
    # other dimension values: nothing
    r = cw.get_metric_statistics(Namespace=NS, MetricName="Invocations", StartTime=start,
                                 EndTime=end, Period=7200, Statistics=["Sum"],
                                 Dimensions=[{"Name": "ModelId", "Value": "other"}])
    assert r["Datapoints"] == []
    lm = cw.list_metrics(Namespace=NS, MetricName="OutputTokenCount")["Metrics"]
    assert {"Namespace": NS, "MetricName": "OutputTokenCount",
            "Dimensions": [{"Name": "ModelId", "Value": GUIDE_MODEL}]} in lm, lm
    assert cw.list_metrics(Namespace="AWS/EC2")["Metrics"] == []
    try:
        cw.get_metric_statistics(Namespace=NS, MetricName="Invocations", StartTime=start,
                                 EndTime=end, Period=61, Statistics=["Sum"])
        raise AssertionError("bad period accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameterValue", e.response


def check_awscli(emu, exp):
    env = emu.env()
    base = [sys.executable, "-m", "awscli", "--endpoint-url", emu.url, "cloudwatch",
            "get-metric-statistics", "--namespace", "AWS/Bedrock"]
    # the guide's command, verbatim (its metric name and January 2024 window: no data)
    p = subprocess.run(base + ["--metric-name", "InvocationCount", "--dimensions",
                               "Name=ModelId,Value=" + GUIDE_MODEL, "--start-time",
                               "2024-01-01T00:00:00Z", "--end-time", "2024-01-31T23:59:59Z",
                               "--period", "86400", "--statistics", "Sum"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["Datapoints"] == []
    start, end = window()
    p = subprocess.run(base + ["--metric-name", "Invocations", "--dimensions",
                               "Name=ModelId,Value=" + GUIDE_MODEL, "--start-time",
                               start.isoformat(), "--end-time", end.isoformat(),
                               "--period", "7200", "--statistics", "Sum"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert [d["Sum"] for d in json.loads(p.stdout)["Datapoints"]] == [exp["Invocations"]], p.stdout


def check_query(emu, exp):
    start, end = window()
    form = {"Action": "GetMetricStatistics", "Version": "2010-08-01", "Namespace": NS,
            "MetricName": "InputTokenCount", "Dimensions.member.1.Name": "ModelId",
            "Dimensions.member.1.Value": GUIDE_MODEL,
            "StartTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "EndTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "Period": "7200",
            "Statistics.member.1": "Sum", "Statistics.member.2": "Maximum",
            "ExtendedStatistics.member.1": "p90"}
    body = urllib.parse.urlencode(form).encode()
    st, hdr, data = signed_send(emu, "/", body, {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert st == 200, (st, data)
    root = ET.fromstring(data)
    assert root.tag == XMLNS + "GetMetricStatisticsResponse", root.tag
    res = root.find(XMLNS + "GetMetricStatisticsResult")
    assert res.find(XMLNS + "Label").text == "InputTokenCount"
    dps = res.find(XMLNS + "Datapoints").findall(XMLNS + "member")
    assert len(dps) == 1, data
    assert float(dps[0].find(XMLNS + "Sum").text) == exp["InputTokenCount"], data
    ts = dps[0].find(XMLNS + "Timestamp").text
    assert ts.endswith("Z") and ts.startswith(start.strftime("%Y-%m-%dT")), ts
    ext = dps[0].find(XMLNS + "ExtendedStatistics").find(XMLNS + "entry")
    assert ext.find(XMLNS + "key").text == "p90"
    assert root.find(XMLNS + "ResponseMetadata").find(XMLNS + "RequestId").text
    # a query-protocol error
    bad = dict(form, Period="61")
    st, hdr, data = signed_send(emu, "/", urllib.parse.urlencode(bad).encode(), {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert st == 400 and b"<Code>InvalidParameterValue</Code>" in data, (st, data)


def check_cbor(emu, exp):
    start, end = window()
    req = {"Namespace": NS, "MetricName": "OutputTokenCount",
           "Dimensions": [{"Name": "ModelId", "Value": GUIDE_MODEL}],
           "StartTime": Tag1(int(start.timestamp())), "EndTime": Tag1(float(end.timestamp())),
           "Period": 7200, "Statistics": ["Sum", "Average"]}
    hdrs = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor",
            "Accept": "application/cbor"}
    path = "/service/GraniteServiceVersion20100801/operation/GetMetricStatistics"
    st, hdr, data = signed_send(emu, path, cbor_enc(req), hdrs)
    assert st == 200, (st, data)
    lower = {k.lower(): v for k, v in hdr.items()}
    assert lower.get("smithy-protocol") == "rpc-v2-cbor", hdr
    doc, n = cbor_dec(data)
    assert n == len(data)
    dps = doc["Datapoints"]
    assert len(dps) == 1 and dps[0]["Sum"] == exp["OutputTokenCount"], doc
    assert isinstance(dps[0]["Timestamp"], Tag1), dps[0]
    assert dps[0]["Timestamp"].v == int(start.timestamp())
    # GetMetricData through CBOR too
    req = {"StartTime": Tag1(int(start.timestamp())), "EndTime": Tag1(int(end.timestamp())),
           "MetricDataQueries": [{"Id": "a", "MetricStat": {
               "Metric": {"Namespace": NS, "MetricName": "Invocations",
                          "Dimensions": [{"Name": "ModelId", "Value": GUIDE_MODEL}]},
               "Period": 7200, "Stat": "Sum"}}]}
    st, hdr, data = signed_send(emu, path.replace("GetMetricStatistics", "GetMetricData"),
                                cbor_enc(req), hdrs)
    assert st == 200, (st, data)
    doc, _ = cbor_dec(data)
    r0 = doc["MetricDataResults"][0]
    assert r0["Values"] == [exp["Invocations"]] and isinstance(r0["Timestamps"][0], Tag1), doc
    # malformed CBOR -> an error in CBOR
    st, hdr, data = signed_send(emu, path, b"\xa1\x61", hdrs)
    assert st == 400, (st, data)


def check_budgets(emu):
    b = emu.client("budgets", region="us-east-1")
    acct = emu.account_id
    budget = {"BudgetName": "bedrock-monthly", "BudgetLimit": {"Amount": "50", "Unit": "USD"},
              "TimeUnit": "MONTHLY", "BudgetType": "COST",
              "CostFilters": {"Service": ["Amazon Bedrock"]}}
    notes = [{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
                               "Threshold": 80.0, "ThresholdType": "PERCENTAGE"},
              "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}]}]
    b.create_budget(AccountId=acct, Budget=budget, NotificationsWithSubscribers=notes)
    try:
        b.create_budget(AccountId=acct, Budget=budget)
        raise AssertionError("duplicate accepted")
    except b.exceptions.DuplicateRecordException:
        pass
    got = b.describe_budget(AccountId=acct, BudgetName="bedrock-monthly")["Budget"]
    assert got["BudgetLimit"] == {"Amount": "50", "Unit": "USD"}, got
    assert got["TimeUnit"] == "MONTHLY" and got["CostFilters"] == budget["CostFilters"]
    assert "Start" in got["TimePeriod"]
    allb = b.describe_budgets(AccountId=acct)["Budgets"]
    assert [x["BudgetName"] for x in allb] == ["bedrock-monthly"]
    n = b.describe_notifications_for_budget(AccountId=acct, BudgetName="bedrock-monthly")
    assert n["Notifications"][0]["Threshold"] == 80.0, n
    b.delete_budget(AccountId=acct, BudgetName="bedrock-monthly")
    for fn in (lambda: b.describe_budget(AccountId=acct, BudgetName="bedrock-monthly"),
               lambda: b.delete_budget(AccountId=acct, BudgetName="bedrock-monthly")):
        try:
            fn()
            raise AssertionError("deleted budget still there")
        except b.exceptions.NotFoundException:
            pass
    assert b.describe_budgets(AccountId=acct).get("Budgets", []) == []


def main():
    failed = 0
    with Emulator(region="eu-central-1") as emu:
        try:
            exp = make_traffic(emu)
            print("ok   make_traffic %s" % exp)
        except Exception:  # noqa: BLE001
            print("FAIL make_traffic\n%s" % traceback.format_exc())
            print(emu.stderr_text()[-3000:])
            return 1
        for name, fn in (("boto3", lambda: check_boto3(emu, exp)),
                         ("awscli", lambda: check_awscli(emu, exp)),
                         ("query", lambda: check_query(emu, exp)),
                         ("cbor", lambda: check_cbor(emu, exp)),
                         ("budgets", lambda: check_budgets(emu))):
            try:
                fn()
                print("ok   %s" % name)
            except Exception:  # noqa: BLE001
                failed += 1
                print("FAIL %s\n%s" % (name, traceback.format_exc()))
        rc = emu.stop()
        err = emu.stderr_text()
        if rc != 0 or any(b in err for b in ("AddressSanitizer", "LeakSanitizer",
                                              "runtime error:")):
            failed += 1
            print("FAIL clean_exit rc=%s" % rc)
        if failed:
            print(err[-3000:])
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
