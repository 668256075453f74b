#!/usr/bin/env python3
"""bench/py/sign_botocore.py - botocore SigV4Auth signing a 1 KiB InvokeModel request.
Prints `botocore_sign N signatures/s`."""
import time
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

creds = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
body = ('{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"messages":[{"role":"user",'
        '"content":"' + "x" * 900 + '"}]}').encode()
url = ("https://bedrock-runtime.eu-central-1.amazonaws.com/model/"
       "anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke")
signer = SigV4Auth(creds, "bedrock", "eu-central-1")
n = 20000
t0 = time.perf_counter()
for _ in range(n):
    req = AWSRequest(method="POST", url=url, data=body,
                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    signer.add_auth(req)
dt = time.perf_counter() - t0
print(f"botocore_sign {n / dt:.0f} signatures/s")
