#!/usr/bin/env python3
"""bench/py/whoami_boto3.py - one STS GetCallerIdentity with boto3 (endpoint from
AWS_ENDPOINT_URL), as a short script a user would write."""
import boto3
print(boto3.client("sts").get_caller_identity()["Arn"])
