// bench/js/whoami.mjs - one STS GetCallerIdentity with the AWS JS SDK v3 (endpoint from
// AWS_ENDPOINT_URL, credentials from the environment).
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
const c = new STSClient({ endpoint: process.env.AWS_ENDPOINT_URL });
console.log((await c.send(new GetCallerIdentityCommand({}))).Arn);
