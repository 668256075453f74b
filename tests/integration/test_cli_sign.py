"""tests/integration/test_cli_sign.py - `bedrockctl sign` against three judges:
1. the AWS SigV4 test suite in $BRK_SHARED_DIR/testdata/sigv4 (header and presigned forms,
   canonical request from --verbose), read in place;
2. botocore's SigV4Auth on a Bedrock invoke URL whose model id holds a ':' (%3A on the wire);
3. a real server: curl with our headers against moto_server's STS (GetCallerIdentity), plus a
   wrong secret that the server must reject.
"""
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_testlib import SHARED, MotoServer, check, clean_env, finish, run  # noqa: E402


def parse_request(text):
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    path = rest.rsplit(" ", 1)[0]
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        if line[:1] in (" ", "\t"):
            return None  # folded header lines cannot be given as --header
        name, _, value = line.partition(":")
        headers.append((name, value))
    return method, path, headers, body


def vector_cases():
    root = os.path.join(SHARED, "testdata", "sigv4")
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "context.json")):
            continue
        ctx = json.load(open(os.path.join(d, "context.json")))
        if ctx.get("sign_body") or not ctx.get("normalize", True):
            continue
        if name == "post-sts-header-after":  # token added after signing: not a CLI mode
            continue
        req = parse_request(open(os.path.join(d, "request.txt"), encoding="utf-8").read())
        if req is None:
            continue
        yield name, d, ctx, req


def sign_args(ctx, req, presign=False):
    method, path, headers, body = req
    host = [v for n, v in headers if n.lower() == "host"][0]
    when = datetime.datetime.strptime(ctx["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    args = ["sign", "--method", method, "--service", ctx["service"], "--region", ctx["region"],
            "--date", when.strftime("%Y%m%dT%H%M%SZ"), "--verbose"]
    for n, v in headers:
        if n.lower() not in ("host", "x-amz-date"):
            args += ["--header", "%s:%s" % (n, v)]
    if body:
        args += ["--data", body]
    if presign:
        args += ["--presign", "--expires", str(ctx["expiration_in_seconds"])]
    args.append("https://" + host + path)
    creds = ctx["credentials"]
    env = clean_env(AWS_ACCESS_KEY_ID=creds["access_key_id"],
                    AWS_SECRET_ACCESS_KEY=creds["secret_access_key"],
                    AWS_SESSION_TOKEN=creds.get("token"))
    return args, env


def between(text, start, end):
    a = text.find(start)
    b = text.find(end)
    return text[a + len(start) + 1:b - 1] if a >= 0 and b > a else None


def test_vectors():
    n = 0
    for name, d, ctx, req in vector_cases():
        n += 1
        args, env = sign_args(ctx, req)
        r = run(args, env=env)
        want = [l for l in open(os.path.join(d, "header-signed-request.txt")).read().split("\n")
                if l.startswith("Authorization:")][0].split(":", 1)[1]
        got = [l for l in r.stdout.splitlines() if l.startswith("Authorization: ")]
        check(r.returncode == 0 and got and got[0][len("Authorization: "):] == want,
              "vector %s: Authorization" % name, r.stdout + r.stderr)
        check("X-Amz-Date: 20150830T123600Z" in r.stdout.splitlines(),
              "vector %s: X-Amz-Date line" % name, r.stdout)
        canon = open(os.path.join(d, "header-canonical-request.txt")).read()
        if ctx["credentials"].get("token"):  # stderr masks the token
            canon = canon.replace(ctx["credentials"]["token"], "<session token>")
        got_canon = between(r.stderr, "----- canonical request -----",
                            "----- end canonical request -----")
        check(got_canon == canon, "vector %s: --verbose canonical request" % name, r.stderr)
        sts = open(os.path.join(d, "header-string-to-sign.txt")).read()
        got_sts = between(r.stderr, "----- string to sign -----", "----- end string to sign -----")
        check(got_sts == sts, "vector %s: --verbose string to sign" % name, r.stderr)
        if ctx["credentials"].get("token"):
            check("X-Amz-Security-Token: " + ctx["credentials"]["token"] in r.stdout.splitlines(),
                  "vector %s: token header printed" % name, r.stdout)
        secret = ctx["credentials"]["secret_access_key"]
        check(secret not in r.stdout + r.stderr, "vector %s: secret never printed" % name)
        # presigned form
        args, env = sign_args(ctx, req, presign=True)
        r = run(args, env=env)
        qsig = open(os.path.join(d, "query-signature.txt")).read().strip()
        check(r.returncode == 0 and ("X-Amz-Signature=" + qsig) in r.stdout,
              "vector %s: presigned URL signature" % name, r.stdout + r.stderr)
    check(n >= 20, "ran %d vector cases" % n)


def test_botocore():
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    url = ("https://bedrock-runtime.eu-central-1.amazonaws.com/model/"
           "anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke")
    body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[]}'
    for token in (None, "FQoGZXIvYXdzEXAMPLETOKEN/abc+def="):
        creds = Credentials("AKIDBOTOCORE", "botocore/secret+key", token)
        req = AWSRequest(method="POST", url=url, data=body,
                         headers={"Content-Type": "application/json"})
        when = datetime.datetime(2024, 6, 1, 10, 20, 30)
        import botocore.auth as ba
        real = ba.get_current_datetime
        ba.get_current_datetime = lambda *a, **k: when
        try:
            SigV4Auth(creds, "bedrock", "eu-central-1").add_auth(req)
        finally:
            ba.get_current_datetime = real
        env = clean_env(AWS_ACCESS_KEY_ID=creds.access_key,
                        AWS_SECRET_ACCESS_KEY=creds.secret_key, AWS_SESSION_TOKEN=token)
        r = run(["sign", "--data", body, "--header", "Content-Type: application/json",
                 "--date", "20240601T102030Z", url], env=env)
        lines = dict(l.split(": ", 1) for l in r.stdout.splitlines() if ": " in l)
        label = "botocore (%s token)" % ("with" if token else "no")
        check(r.returncode == 0 and lines.get("Authorization") == req.headers["Authorization"],
              label + ": Authorization equal", "ours %r\nbotocore %r\n%s" % (
                  lines.get("Authorization"), req.headers["Authorization"], r.stderr))
        check(lines.get("X-Amz-Date") == req.headers["X-Amz-Date"], label + ": X-Amz-Date")
        if token:
            check(lines.get("X-Amz-Security-Token") == token, label + ": token header")


def test_botocore_presign():
    from botocore.auth import SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import botocore.auth as ba
    import datetime as dt
    url = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
    creds = Credentials("AKIDBOTOCORE", "botocore/secret+key", None)
    req = AWSRequest(method="GET", url=url)
    real = ba.get_current_datetime
    ba.get_current_datetime = lambda *a, **k: dt.datetime(2024, 6, 1, 10, 20, 30)
    try:
        SigV4QueryAuth(creds, "sts", "us-east-1", expires=600).add_auth(req)
    finally:
        ba.get_current_datetime = real
    theirs = [p.split("=", 1)[1] for p in req.url.split("?", 1)[1].split("&")
              if p.startswith("X-Amz-Signature=")]
    env = clean_env(AWS_ACCESS_KEY_ID=creds.access_key, AWS_SECRET_ACCESS_KEY=creds.secret_key)
    r = run(["sign", "--presign", "--expires", "600", "--date", "20240601T102030Z", url],
            env=env)
    check(r.returncode == 0 and theirs and ("X-Amz-Signature=" + theirs[0]) in r.stdout,
          "botocore SigV4QueryAuth: presigned signature equal", r.stdout + r.stderr + req.url)
    check(r.stdout.startswith(url + "&X-Amz-Algorithm=AWS4-HMAC-SHA256") or
          r.stdout.startswith("https://sts.us-east-1.amazonaws.com/?"),
          "presigned URL keeps the request's query", r.stdout)


def test_usage_errors():
    env = clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="s")
    r = run(["sign", "http://127.0.0.1:9/"], env=env)
    check(r.returncode == 2 and "--service" in r.stderr, "unknown host needs --service (exit 2)",
          r.stderr)
    r = run(["sign", "--date", "yesterday", "--service", "sts", "--region", "us-east-1",
             "http://127.0.0.1:9/"], env=env)
    check(r.returncode == 2 and "--date" in r.stderr, "bad --date is a usage error", r.stderr)
    r = run(["sign", "--header", "NoColonHere", "--service", "s", "--region", "r",
             "http://h/"], env=env)
    check(r.returncode == 2, "header without ':' is a usage error", r.stderr)
    r = run(["sign"], env=env)
    check(r.returncode == 2, "missing URL is a usage error", r.stderr)
    r = run(["sign", "--service", "sts", "--region", "us-east-1", "http://127.0.0.1:9/"],
            env=clean_env())
    check(r.returncode == 3, "no credentials: exit 3", r.stderr)


def curl_with(headers, url, body):
    args = ["curl", "-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", url,
            "-H", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
            "--data-binary", body]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run(args, capture_output=True, text=True, timeout=30).stdout
    text, _, code = out.rpartition("\n")
    return int(code or 0), text


def test_curl_moto():
    with MotoServer() as moto:
        key, secret, arn = moto.make_admin("brk-sign")
        url = moto.url + "/"
        body = "Action=GetCallerIdentity&Version=2011-06-15"
        env = clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
        r = run(["sign", "--service", "sts", "--region", "us-east-1", "--header",
                 "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                 "--data", body, url], env=env)
        check(r.returncode == 0, "sign for moto STS", r.stderr)
        code, text = curl_with(r.stdout.splitlines(), url, body)
        check(code == 200 and arn in text, "curl + our headers: moto STS accepts (200, our ARN)",
              "%d %s" % (code, text))
        bad = clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret + "x")
        r = run(["sign", "--service", "sts", "--region", "us-east-1", "--header",
                 "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                 "--data", body, url], env=bad)
        code, text = curl_with(r.stdout.splitlines(), url, body)
        check(code == 403 and "SignatureDoesNotMatch" in text,
              "wrong secret: moto rejects with SignatureDoesNotMatch", "%d %s" % (code, text))


if __name__ == "__main__":
    test_usage_errors()
    test_vectors()
    test_botocore()
    test_botocore_presign()
    test_curl_moto()
    finish()
