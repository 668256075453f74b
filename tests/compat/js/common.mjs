// tests/compat/js/common.mjs - shared setup of the JS SDK v3 compat scripts: client config
// pointed at the emulator (BRK_EMU_URL, AWS_REGION, AWS_ACCESS_KEY_ID/SECRET from the
// environment set by tests/compat/test_emulator_jssdk.py), a middleware that records the wire
// protocol headers each request carries, and a tiny case runner.
// Invariants: only 127.0.0.1 endpoints; no retries (errors are asserted exactly); secrets are
// never printed; the process exits non-zero when any case failed.
import { NodeHttpHandler } from "@smithy/node-http-handler";

export const URL_ = process.env.BRK_EMU_URL;
export const REGION = process.env.AWS_REGION || "eu-central-1";
export const ACCOUNT = "123456789012";
export const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

if (!URL_ || !URL_.startsWith("http://127.0.0.1:")) {
  throw new Error("BRK_EMU_URL must be the emulator's http://127.0.0.1:PORT URL");
}

export function credentials(key, secret) {
  return {
    accessKeyId: key || process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: secret || process.env.AWS_SECRET_ACCESS_KEY,
  };
}

// Client options: the emulator URL, explicit credentials, one attempt, HTTP/1.1.
export function config(extra = {}) {
  return {
    endpoint: URL_,
    region: REGION,
    credentials: credentials(),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 }),
    ...extra,
  };
}

// Records method, path and the protocol headers of every request the client sends.
export function recordWire(client, log) {
  client.middlewareStack.add(
    (next) => async (args) => {
      const r = args.request;
      const h = {};
      for (const [k, v] of Object.entries(r.headers || {})) {
        const l = k.toLowerCase();
        if (["content-type", "smithy-protocol", "x-amz-target", "accept",
             "x-amzn-query-mode"].includes(l)) {
          h[l] = v;
        }
      }
      log.push({ method: r.method, path: r.path, headers: h });
      return next(args);
    },
    { step: "build", name: "brkRecordWire" },
  );
  return client;
}

// Runs the cases in order, prints "ok NAME" / "FAIL NAME" and the closing tally.
export async function run(cases) {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of cases) {
    try {
      await fn();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}`);
      console.log(e && e.stack ? e.stack : String(e));
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

// Asserts that fn() rejects with an SDK error of this name and HTTP status.
export async function expectError(fn, name, status) {
  try {
    await fn();
  } catch (e) {
    if (e.name !== name || (status !== undefined && e.$metadata?.httpStatusCode !== status)) {
      throw new Error(`expected ${name}/${status}, got ${e.name}/${e.$metadata?.httpStatusCode}: ${e.message}`);
    }
    return e;
  }
  throw new Error(`expected ${name}, the call succeeded`);
}

export function anthropicBody(text, maxTokens = 50) {
  return JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: maxTokens,
    messages: [{ role: "user", content: text }],
  });
}
