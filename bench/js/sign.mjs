// bench/js/sign.mjs - the AWS JS SDK v3 signer (@smithy/signature-v4) signing a 1 KiB
// InvokeModel request. Prints `jssdk_sign N signatures/s`.
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { createHash, createHmac } from "node:crypto";

// Node's native crypto, as the SDK uses in Node (the pure-JS Sha256 would be slower).
class NodeSha256 {
  constructor(secret) { this.h = secret ? createHmac("sha256", secret) : createHash("sha256"); }
  update(d) { this.h.update(d); }
  async digest() { return new Uint8Array(this.h.digest()); }
}
void Sha256;
const signer = new SignatureV4({
  service: "bedrock", region: "eu-central-1", sha256: NodeSha256,
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
});
const body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"messages":[{"role":"user","content":"' + "x".repeat(900) + '"}]}';
const n = 20000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  await signer.sign({
    method: "POST", protocol: "https:", hostname: "bedrock-runtime.eu-central-1.amazonaws.com",
    path: "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke",
    headers: { host: "bedrock-runtime.eu-central-1.amazonaws.com",
               "content-type": "application/json", accept: "application/json" },
    body,
  });
}
const dt = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`jssdk_sign ${(n / dt).toFixed(0)} signatures/s`);
