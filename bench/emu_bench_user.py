#!/usr/bin/env python3
"""bench/emu_bench_user.py - set up the least-privilege IAM user the emulator load benchmark
signs with, so the measured path includes key lookup and IAM policy evaluation (not the root
shortcut).

Usage: emu_bench_user.py URL OUT_ENV_FILE
Creates user bench-user, the guide's BedrockClaudeInvokeOnly policy (attached) and one access
key on the emulator at URL (root credentials from the environment), and writes
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY lines to OUT_ENV_FILE (mode 0600). Nothing secret
is printed. Invariant: talks only to the given 127.0.0.1 URL.
"""
import json
import os
import sys

import boto3
from botocore.config import Config

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "BedrockInvokeModel",
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
            "Resource": ["arn:aws:bedrock:eu-central-1::foundation-model/"
                         "anthropic.claude-3-5-sonnet-20240620-v1:0"],
        },
        {
            "Sid": "BedrockListModels",
            "Effect": "Allow",
            "Action": ["bedrock:ListFoundationModels", "bedrock:GetFoundationModel"],
            "Resource": "*",
        },
    ],
}


def main():
    url, out = sys.argv[1], sys.argv[2]
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                       config=Config(retries={"max_attempts": 1}))
    iam.create_user(UserName="bench-user")
    arn = iam.create_policy(PolicyName="BedrockClaudeInvokeOnly",
                            PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="bench-user", PolicyArn=arn)
    key = iam.create_access_key(UserName="bench-user")["AccessKey"]
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n"
                % (key["AccessKeyId"], key["SecretAccessKey"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
