#!/usr/bin/env python3
"""bench/py/invoke_boto3.py - the guide's "Test with a simple request" with boto3."""
import boto3
client = boto3.client("bedrock-runtime")
r = client.invoke_model(
    modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
    body='{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, '
         '"messages": [{"role": "user", "content": "Say hello"}]}')
print(r["body"].read().decode()[:80])
