// tests/compat/js/runtime.mjs - the JS SDK v3 bedrock-runtime client (rest-json with
// event-stream replies) against bedrock-emulator over HTTP/1.1 (NodeHttpHandler: the client's
// default handler speaks HTTP/2, the emulator HTTP/1.1): InvokeModel,
// InvokeModelWithResponseStream, Converse, ConverseStream, an exception frame in the stream,
// and the model-access / validation errors. Prints a JSON line "USAGE {...}" with the token
// counts the runtime reported, which test_emulator_jssdk.py compares with CloudWatch.
// Invariants: see common.mjs; expected texts and token counts follow the emulator's documented
// deterministic model (reply = "Hello! You said: <text> (simulated reply from <name>)", one word
// per token, input tokens = ceil(prompt bytes / 4)).
import assert from "node:assert/strict";
import { BedrockRuntimeClient, InvokeModelCommand, InvokeModelWithResponseStreamCommand,
         ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { HAIKU, anthropicBody, config, expectError, recordWire, run } from "./common.mjs";

const wire = [];
const rt = recordWire(new BedrockRuntimeClient(config()), wire);
const usage = { Invocations: 0, InputTokenCount: 0, OutputTokenCount: 0 };
const dec = new TextDecoder();

function expectedReply(text, maxTokens) {
  const words = `Hello! You said: ${text} (simulated reply from Claude 3 Haiku)`.split(" ");
  return { text: words.slice(0, maxTokens).join(" "), tokens: Math.min(words.length, maxTokens) };
}
const inTokens = (s) => Math.max(1, Math.ceil(Buffer.byteLength(s) / 4));
function count(i, o) {
  usage.Invocations++;
  usage.InputTokenCount += i;
  usage.OutputTokenCount += o;
}

// A client whose requests carry the emulator's fault-injection header.
function faultClient(fault) {
  const c = new BedrockRuntimeClient(config());
  c.middlewareStack.add((next) => async (args) => {
    args.request.headers["x-emulator-fault"] = fault;
    return next(args);
  }, { step: "build", name: "brkFault" });
  return c;
}

await run([
  ["InvokeModel", async () => {
    const text = "hello from the JS SDK";
    const r = await rt.send(new InvokeModelCommand({
      modelId: HAIKU, contentType: "application/json", accept: "application/json",
      body: anthropicBody(text, 100) }));
    assert.equal(r.contentType, "application/json");
    const out = JSON.parse(dec.decode(r.body));
    const want = expectedReply(text, 100);
    assert.equal(out.content[0].text, want.text);
    assert.equal(out.usage.input_tokens, inTokens(text));
    assert.equal(out.usage.output_tokens, want.tokens);
    assert.equal(out.stop_reason, "end_turn");
    count(out.usage.input_tokens, out.usage.output_tokens);
    const w = wire.at(-1);
    console.log(`  runtime wire: ${w.method} ${w.path} content-type=${w.headers["content-type"]}`);
    assert.equal(w.path, `/model/${encodeURIComponent(HAIKU)}/invoke`);
  }],
  ["InvokeModel max_tokens cut", async () => {
    const r = await rt.send(new InvokeModelCommand({ modelId: HAIKU,
      body: anthropicBody("cut me short please", 3) }));
    const out = JSON.parse(dec.decode(r.body));
    assert.equal(out.content[0].text, "Hello! You said:");
    assert.equal(out.stop_reason, "max_tokens");
    count(out.usage.input_tokens, out.usage.output_tokens);
  }],
  ["InvokeModelWithResponseStream", async () => {
    const text = "stream this please";
    const r = await rt.send(new InvokeModelWithResponseStreamCommand({
      modelId: HAIKU, contentType: "application/json", body: anthropicBody(text, 100) }));
    const types = [];
    let got = "";
    let metrics = null;
    for await (const ev of r.body) {
      assert.ok(ev.chunk, JSON.stringify(Object.keys(ev)));
      const e = JSON.parse(dec.decode(ev.chunk.bytes));
      types.push(e.type);
      if (e.type === "content_block_delta") got += e.delta.text;
      if (e["amazon-bedrock-invocationMetrics"]) metrics = e["amazon-bedrock-invocationMetrics"];
    }
    const want = expectedReply(text, 100);
    assert.equal(got, want.text);
    assert.equal(types[0], "message_start");
    assert.equal(types.at(-1), "message_stop");
    assert.ok(types.filter((t) => t === "content_block_delta").length === want.tokens);
    assert.equal(metrics.inputTokenCount, inTokens(text));
    assert.equal(metrics.outputTokenCount, want.tokens);
    count(metrics.inputTokenCount, metrics.outputTokenCount);
  }],
  ["Converse", async () => {
    const r = await rt.send(new ConverseCommand({ modelId: HAIKU,
      messages: [{ role: "user", content: [{ text: "converse now" }] }],
      inferenceConfig: { maxTokens: 100 } }));
    assert.equal(r.output.message.role, "assistant");
    assert.equal(r.output.message.content[0].text, expectedReply("converse now", 100).text);
    assert.equal(r.stopReason, "end_turn");
    assert.equal(r.usage.inputTokens, inTokens("converse now"));
    assert.equal(r.usage.totalTokens, r.usage.inputTokens + r.usage.outputTokens);
    count(r.usage.inputTokens, r.usage.outputTokens);
  }],
  ["ConverseStream", async () => {
    const text = "converse as a stream";
    const r = await rt.send(new ConverseStreamCommand({ modelId: HAIKU,
      messages: [{ role: "user", content: [{ text }] }], inferenceConfig: { maxTokens: 100 } }));
    const kinds = [];
    let got = "";
    let meta = null;
    let stop = null;
    for await (const ev of r.stream) {
      const k = Object.keys(ev).filter((x) => ev[x] !== undefined)[0];
      kinds.push(k);
      if (ev.contentBlockDelta) got += ev.contentBlockDelta.delta.text;
      if (ev.messageStop) stop = ev.messageStop.stopReason;
      if (ev.metadata) meta = ev.metadata;
    }
    assert.equal(kinds[0], "messageStart");
    assert.equal(kinds.at(-1), "metadata");
    assert.equal(got, expectedReply(text, 100).text);
    assert.equal(stop, "end_turn");
    assert.equal(meta.usage.inputTokens, inTokens(text));
    assert.equal(meta.usage.outputTokens, expectedReply(text, 100).tokens);
    assert.ok(meta.metrics.latencyMs >= 0);
    count(meta.usage.inputTokens, meta.usage.outputTokens);
  }],
  ["exception frame inside ConverseStream", async () => {
    const c = faultClient("stream-exception=throttlingException@3");
    const r = await c.send(new ConverseStreamCommand({ modelId: HAIKU,
      messages: [{ role: "user", content: [{ text: "x" }] }] }));
    let n = 0;
    const e = await expectError(async () => {
      for await (const ev of r.stream) {
        assert.ok(ev);
        n++;
      }
    }, "ThrottlingException");
    assert.equal(n, 3);
    assert.ok(e.message.length > 0);
  }],
  ["errors", async () => {
    await expectError(() => rt.send(new InvokeModelCommand({ modelId: HAIKU,
      body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 5 }) })),
    "ValidationException", 400);
    const v = await expectError(() => rt.send(new InvokeModelCommand({
      modelId: "anthropic.nope-v1:0", body: anthropicBody("x") })), "ValidationException", 400);
    assert.equal(v.message, "The provided model identifier is invalid.");
    const d = await expectError(() => rt.send(new InvokeModelCommand({
      modelId: "anthropic.claude-3-sonnet-20240229-v1:0", body: anthropicBody("x") })),
    "AccessDeniedException", 403);
    assert.equal(d.message, "You don't have access to the model with the specified model ID.");
    await expectError(() => faultClient("throttle").send(new InvokeModelCommand({
      modelId: HAIKU, body: anthropicBody("x") })), "ThrottlingException", 429);
  }],
  ["documented limitation: the default HTTP/2 handler", async () => {
    // Without requestHandler the client speaks HTTP/2 (prior knowledge over http://); the
    // emulator is HTTP/1.1 only, so the call fails at once with a protocol error.
    const { requestHandler, ...rest } = config();
    assert.ok(requestHandler);
    const c = new BedrockRuntimeClient(rest);
    const e = await expectError(() => c.send(new InvokeModelCommand({ modelId: HAIKU,
      body: anthropicBody("x") })), "Error");
    assert.equal(e.code, "ERR_HTTP2_ERROR");
    c.destroy();
  }],
]);
console.log("USAGE " + JSON.stringify(usage));
