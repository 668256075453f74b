// bench/js/invoke.mjs - the guide's "Say hello" InvokeModel with the AWS JS SDK v3.
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
// The SDK's bedrock-runtime client defaults to HTTP/2; bedrock-emulator speaks HTTP/1.1.
const c = new BedrockRuntimeClient({ endpoint: process.env.AWS_ENDPOINT_URL,
                                     requestHandler: new NodeHttpHandler() });
const r = await c.send(new InvokeModelCommand({
  modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
  body: '{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": "Say hello"}]}',
}));
console.log(new TextDecoder().decode(r.body).slice(0, 80));
