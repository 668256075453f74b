#!/usr/bin/env python3
"""bench/py/moto_admin.py URL - spend moto's first unauthenticated calls (auth mode,
INITIAL_NO_AUTH_ACTION_COUNT=4) creating an admin user, policy and key; print them as
`export` lines for the shell. The key is a throwaway identity of a local moto server."""
import json, sys
import boto3

url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
          aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
iam = boto3.client("iam", **kw)
iam.create_user(UserName="bench-admin")
arn = iam.create_policy(PolicyName="bench-admin", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
iam.attach_user_policy(UserName="bench-admin", PolicyArn=arn)
k = iam.create_access_key(UserName="bench-admin")["AccessKey"]
print(f"export AWS_ACCESS_KEY_ID={k['AccessKeyId']}")
print(f"export AWS_SECRET_ACCESS_KEY={k['SecretAccessKey']}")
