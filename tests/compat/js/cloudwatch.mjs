// tests/compat/js/cloudwatch.mjs - the JS SDK v3 CloudWatch client against bedrock-emulator,
// with the protocol the installed SDK sends by default (this SDK: AWS JSON 1.0 with
// x-amzn-query-mode) and with smithy-rpc-v2-cbor forced through the client's `protocol`
// option (AwsSmithyRpcV2CborProtocol). The script first makes InvokeModel calls through the JS
// bedrock-runtime client, then checks GetMetricStatistics, GetMetricData and ListMetrics
// against the token counts those calls reported, and InvalidParameterValue for a bad period.
// Prints one "WIRE <protocol> <method> <path> <headers>" line per CloudWatch request, which
// test_emulator_jssdk.py compares with the emulator's --log-requests lines.
// Invariants: see common.mjs; the emulator is fresh (its only usage is made here).
import assert from "node:assert/strict";
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand,
         ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { HAIKU, anthropicBody, config, expectError, recordWire, run } from "./common.mjs";

const NS = "AWS/Bedrock";
const dims = [{ Name: "ModelId", Value: HAIKU }];
const exp = { Invocations: 0, InputTokenCount: 0, OutputTokenCount: 0 };
const start = new Date(Date.now() - 3600e3);
const end = new Date(Date.now() + 3600e3);

const rt = new BedrockRuntimeClient(config());
for (const text of ["one", "two words", "three words here", "a somewhat longer prompt text"]) {
  const r = await rt.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody(text) }));
  const u = JSON.parse(new TextDecoder().decode(r.body)).usage;
  exp.Invocations++;
  exp.InputTokenCount += u.input_tokens;
  exp.OutputTokenCount += u.output_tokens;
}
console.log("expected " + JSON.stringify(exp));

// The protocol a request used, from its headers; asserts the headers agree with each other.
function protocolOf(w) {
  const ct = w.headers["content-type"];
  if (ct === "application/cbor") {
    assert.equal(w.headers["smithy-protocol"], "rpc-v2-cbor");
    assert.match(w.path, /^\/service\/GraniteServiceVersion20100801\/operation\/[A-Za-z]+$/);
    return "rpc-v2-cbor";
  }
  if (ct === "application/x-amz-json-1.0") {
    assert.match(w.headers["x-amz-target"], /^GraniteServiceVersion20100801\.[A-Za-z]+$/);
    assert.equal(w.path, "/");
    return "json-1.0";
  }
  if (/^application\/x-www-form-urlencoded/.test(ct)) return "query";
  throw new Error("unknown CloudWatch protocol: " + JSON.stringify(w));
}

function checks(label, cw, wire, wantProtocol) {
  const lastProtocol = () => {
    const w = wire.at(-1);
    const p = protocolOf(w);
    console.log(`WIRE ${p} ${w.method} ${w.path} ${JSON.stringify(w.headers)}`);
    if (wantProtocol) assert.equal(p, wantProtocol);
    return p;
  };
  return [
    [`${label} GetMetricStatistics`, async () => {
      for (const m of ["Invocations", "InputTokenCount", "OutputTokenCount"]) {
        const r = await cw.send(new GetMetricStatisticsCommand({ Namespace: NS, MetricName: m,
          Dimensions: dims, StartTime: start, EndTime: end, Period: 7200,
          Statistics: ["Sum", "SampleCount", "Maximum"] }));
        assert.equal(r.Label, m);
        assert.equal(r.Datapoints.length, 1, JSON.stringify(r.Datapoints));
        const dp = r.Datapoints[0];
        assert.equal(dp.Sum, exp[m], m);
        assert.equal(dp.SampleCount, exp.Invocations);
        assert.equal(dp.Unit, "Count");
        assert.ok(dp.Timestamp instanceof Date && !isNaN(dp.Timestamp));
        assert.ok(dp.Timestamp >= new Date(start.getTime() - 7200e3) && dp.Timestamp <= end);
      }
      const p = lastProtocol();
      console.log(`  ${label}: CloudWatch protocol sent = ${p}`);
      const none = await cw.send(new GetMetricStatisticsCommand({ Namespace: NS,
        MetricName: "Invocations", Dimensions: [{ Name: "ModelId", Value: "other" }],
        StartTime: start, EndTime: end, Period: 7200, Statistics: ["Sum"] }));
      assert.deepEqual(none.Datapoints, []);
      const lat = await cw.send(new GetMetricStatisticsCommand({ Namespace: NS,
        MetricName: "InvocationLatency", Dimensions: dims, StartTime: start, EndTime: end,
        Period: 7200, Statistics: ["Minimum", "Maximum"], ExtendedStatistics: ["p50"] }));
      const l = lat.Datapoints[0];
      assert.equal(l.Unit, "Milliseconds");
      assert.ok(l.Minimum <= l.ExtendedStatistics.p50 && l.ExtendedStatistics.p50 <= l.Maximum);
    }],
    [`${label} GetMetricData`, async () => {
      const r = await cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end,
        MetricDataQueries: [
          { Id: "inv", MetricStat: { Metric: { Namespace: NS, MetricName: "Invocations",
            Dimensions: dims }, Period: 7200, Stat: "Sum" } },
          { Id: "tin", Label: "input tokens", MetricStat: { Metric: { Namespace: NS,
            MetricName: "InputTokenCount", Dimensions: dims }, Period: 7200, Stat: "Sum" } },
          { Id: "tout", MetricStat: { Metric: { Namespace: NS, MetricName: "OutputTokenCount",
            Dimensions: dims }, Period: 7200, Stat: "Average" } },
          { Id: "hidden", ReturnData: false, MetricStat: { Metric: { Namespace: NS,
            MetricName: "Invocations" }, Period: 60, Stat: "Sum" } },
        ] }));
      const res = Object.fromEntries(r.MetricDataResults.map((x) => [x.Id, x]));
      assert.deepEqual(Object.keys(res).sort(), ["inv", "tin", "tout"]);
      assert.deepEqual(res.inv.Values, [exp.Invocations]);
      assert.equal(res.inv.StatusCode, "Complete");
      assert.equal(res.inv.Timestamps.length, 1);
      assert.ok(res.inv.Timestamps[0] instanceof Date && !isNaN(res.inv.Timestamps[0]));
      assert.deepEqual(res.tin.Values, [exp.InputTokenCount]);
      assert.equal(res.tin.Label, "input tokens");
      assert.deepEqual(res.tout.Values, [exp.OutputTokenCount / exp.Invocations]);
      lastProtocol();
    }],
    [`${label} ListMetrics`, async () => {
      const r = await cw.send(new ListMetricsCommand({ Namespace: NS }));
      const names = new Set(r.Metrics.map((m) => m.MetricName));
      for (const m of ["Invocations", "InputTokenCount", "OutputTokenCount", "InvocationLatency"]) {
        assert.ok(names.has(m), m);
      }
      assert.ok(r.Metrics.every((m) => m.Namespace === NS));
      const one = await cw.send(new ListMetricsCommand({ Namespace: NS,
        MetricName: "OutputTokenCount" }));
      assert.deepEqual(one.Metrics.map((m) => [m.MetricName, m.Dimensions]),
                       [["OutputTokenCount", dims]]);
      const ec2 = await cw.send(new ListMetricsCommand({ Namespace: "AWS/EC2" }));
      assert.deepEqual(ec2.Metrics ?? [], []);
      lastProtocol();
    }],
    [`${label} InvalidParameterValue`, async () => {
      const e = await expectError(() => cw.send(new GetMetricStatisticsCommand({ Namespace: NS,
        MetricName: "Invocations", StartTime: start, EndTime: end, Period: 61,
        Statistics: ["Sum"] })), "InvalidParameterValueException", 400);
      assert.match(e.message, /[Pp]eriod/);
      // awsQueryCompatible: the query error code and type, from x-amzn-query-error.
      assert.equal(e.Code, "InvalidParameterValue");
      assert.equal(e.Type, "Sender");
      lastProtocol();
    }],
  ];
}

const wireDefault = [];
const cwDefault = recordWire(new CloudWatchClient(config()), wireDefault);
const wireCbor = [];
const cwCbor = recordWire(new CloudWatchClient(config({ protocol: AwsSmithyRpcV2CborProtocol })),
                          wireCbor);
await run([...checks("sdk-default", cwDefault, wireDefault, null),
           ...checks("rpc-v2-cbor", cwCbor, wireCbor, "rpc-v2-cbor")]);
