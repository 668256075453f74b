// tests/compat/js/control.mjs - the JS SDK v3 (STS query, IAM query, Bedrock rest-json) against
// bedrock-emulator: GetCallerIdentity, CreateUser/ListUsers/CreateAccessKey (and the new key
// signing its own calls), ListFoundationModels/GetFoundationModel, and the exact errors.
// Invariants: see common.mjs; the emulator is fresh (no users before this script).
import assert from "node:assert/strict";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { IAMClient, CreateUserCommand, ListUsersCommand, CreateAccessKeyCommand,
         DeleteUserCommand } from "@aws-sdk/client-iam";
import { BedrockClient, ListFoundationModelsCommand,
         GetFoundationModelCommand } from "@aws-sdk/client-bedrock";
import { ACCOUNT, HAIKU, REGION, config, credentials, expectError, recordWire,
         run } from "./common.mjs";

const wire = [];
const sts = recordWire(new STSClient(config()), wire);
const iam = recordWire(new IAMClient(config()), wire);
const bedrock = recordWire(new BedrockClient(config()), wire);
let userKey = null;

await run([
  ["sts GetCallerIdentity", async () => {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(r.Account, ACCOUNT);
    assert.equal(r.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(r.$metadata.httpStatusCode, 200);
    const w = wire.at(-1);
    console.log(`  sts wire: ${w.method} ${w.path} content-type=${w.headers["content-type"]}`);
    assert.match(w.headers["content-type"], /^application\/x-www-form-urlencoded/);
  }],
  ["iam CreateUser + ListUsers", async () => {
    const c = await iam.send(new CreateUserCommand({ UserName: "js-sdk-user", Path: "/apps/" }));
    assert.equal(c.User.UserName, "js-sdk-user");
    assert.equal(c.User.Arn, `arn:aws:iam::${ACCOUNT}:user/apps/js-sdk-user`);
    assert.match(c.User.UserId, /^AIDA[A-Z0-9]{17}$/);
    assert.ok(c.User.CreateDate instanceof Date);
    const l = await iam.send(new ListUsersCommand({}));
    assert.deepEqual(l.Users.map((u) => u.UserName), ["js-sdk-user"]);
    assert.equal(l.Users[0].UserId, c.User.UserId);
    assert.equal(l.IsTruncated, false);
    const p = await iam.send(new ListUsersCommand({ PathPrefix: "/other/" }));
    assert.deepEqual(p.Users, []);
  }],
  ["iam errors", async () => {
    const e = await expectError(() => iam.send(new CreateUserCommand({ UserName: "js-sdk-user" })),
                                "EntityAlreadyExistsException", 409);
    assert.match(e.message, /js-sdk-user/);
    await expectError(() => iam.send(new DeleteUserCommand({ UserName: "nobody" })),
                      "NoSuchEntityException", 404);
  }],
  ["iam access key signs for the new user", async () => {
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: "js-sdk-user" }));
    assert.match(k.AccessKey.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(k.AccessKey.Status, "Active");
    userKey = k.AccessKey;
    const s = new STSClient(config({ credentials: credentials(userKey.AccessKeyId,
                                                               userKey.SecretAccessKey) }));
    const r = await s.send(new GetCallerIdentityCommand({}));
    assert.equal(r.Arn, `arn:aws:iam::${ACCOUNT}:user/apps/js-sdk-user`);
    assert.equal(r.UserId, (await iam.send(new ListUsersCommand({}))).Users[0].UserId);
    // No policy attached: Bedrock says AccessDeniedException.
    const b = new BedrockClient(config({ credentials: credentials(userKey.AccessKeyId,
                                                                  userKey.SecretAccessKey) }));
    const e = await expectError(() => b.send(new ListFoundationModelsCommand({})),
                                "AccessDeniedException", 403);
    assert.match(e.message, /is not authorized to perform: bedrock:ListFoundationModels/);
  }],
  ["wrong secret is refused", async () => {
    const s = new STSClient(config({ credentials: credentials(userKey.AccessKeyId,
                                                               "x".repeat(40)) }));
    await expectError(() => s.send(new GetCallerIdentityCommand({})),
                      "SignatureDoesNotMatch", 403);
    const u = new STSClient(config({ credentials: credentials("AKIAZZZZZZZZZZZZZZZZ",
                                                               "x".repeat(40)) }));
    await expectError(() => u.send(new GetCallerIdentityCommand({})),
                      "InvalidClientTokenId", 403);
  }],
  ["bedrock ListFoundationModels", async () => {
    const r = await bedrock.send(new ListFoundationModelsCommand({}));
    const ids = r.modelSummaries.map((m) => m.modelId);
    assert.ok(ids.includes(HAIKU), ids.join(","));
    const h = r.modelSummaries.find((m) => m.modelId === HAIKU);
    assert.equal(h.modelArn, `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`);
    assert.equal(h.providerName, "Anthropic");
    assert.equal(h.responseStreamingSupported, true);
    assert.ok(h.inferenceTypesSupported.includes("ON_DEMAND"));
    const f = await bedrock.send(new ListFoundationModelsCommand({ byProvider: "Amazon" }));
    assert.ok(f.modelSummaries.length > 0);
    assert.ok(f.modelSummaries.every((m) => m.providerName === "Amazon"));
    const w = wire.at(-1);
    console.log(`  bedrock wire: ${w.method} ${w.path}`);
    assert.equal(w.method, "GET");
    assert.equal(w.path, "/foundation-models");
    const g = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: HAIKU }));
    assert.equal(g.modelDetails.modelName, "Claude 3 Haiku");
    await expectError(() => bedrock.send(new GetFoundationModelCommand({
      modelIdentifier: "anthropic.no-such-model-v1:0" })), "ResourceNotFoundException", 404);
  }],
]);
