#!/usr/bin/env python3
"""bench/py/sign_botocore.py - botocore SigV4Auth signatures per second for the same request
as bench/bench_sign.c: a 1 KiB Bedrock InvokeModel POST with 4 headers and a JSON body, at a
fixed time, signed over and over (botocore re-derives the signing key on every call; there is
no cache to warm). Prints `botocore_sign N signatures/s ...` like the other peers in
bench/run.sh. Measured, never asserted. Usage: sign_botocore.py [seconds]
"""
import datetime
import sys
import time
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HEAD = b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,' \
       b'"messages":[{"role":"user","content":"'
TAIL = b'"}]}'
BODY = HEAD + b"x" * (1024 - len(HEAD) - len(TAIL)) + TAIL
HOST = "bedrock-runtime.eu-central-1.amazonaws.com"
URL = "https://%s/model/anthropic.claude-3-5-sonnet-20240620-v1%%3A0/invoke" % HOST
HEADERS = {"Host": HOST, "Content-Type": "application/json", "Accept": "application/json",
           "X-Amzn-Bedrock-Trace": "DISABLED"}
FIXED = datetime.datetime(2024, 6, 20, 16, 13, 20)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    assert len(BODY) == 1024
    auth = botocore.auth.SigV4Auth(
        Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "bedrock",
        "eu-central-1")
    n = 0
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
        start, cpu0 = time.monotonic(), time.process_time()
        while time.monotonic() - start < seconds:
            for _ in range(100):
                req = AWSRequest(method="POST", url=URL, data=BODY, headers=dict(HEADERS))
                auth.add_auth(req)
            n += 100
        wall, cpu = time.monotonic() - start, time.process_time() - cpu0
    print("botocore_sign %.0f signatures/s (%.0f per cpu-second; %d signatures in %.2f s, "
          "botocore %s)" % (n / wall, n / cpu, n, wall, botocore.__version__))


if __name__ == "__main__":
    main()
