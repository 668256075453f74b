"""tests/integration/test_guide_moto.py - the guide's commands (setup, policy, keys, doctor's
IAM part, budget, usage) against moto_server in IAM auth mode: moto verifies our SigV4 and
evaluates the policies we attach, independently of our emulator.

Checks: setup creates user/policy/attachment/key and stores the key in a .env (other lines kept
byte for byte, 0600) and in a credentials profile; a second run creates nothing; --dry-run
changes nothing; a different document under the same name is refused; the least-privilege key
can call what its policy allows and nothing else; keys list/deactivate/activate/delete; rotation
killed after every step and rerun ends with exactly one active, working key.
"""
import json
import os
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
import cli_testlib as t  # noqa: E402


def env_for(moto, key, secret, **extra):
    return t.clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                       AWS_REGION="eu-central-1", AWS_ENDPOINT_URL=moto.url,
                       BEDROCKCTL_IAM_WAIT="5", **extra)


def read_env(path):
    out = {}
    for line in open(path):
        if "=" in line and not line.startswith("#"):
            k, v = line.rstrip("\n").split("=", 1)
            out[k] = v.strip('"')
    return out


def test_setup(moto, admin_env, cwd):
    envf = os.path.join(cwd, "app.env")
    original = "# my app\nPORT=8080\r\nAWS_REGION=us-west-2\n\nOTHER='x y'\n"
    with open(envf, "w", newline="") as f:
        f.write(original)
    dry = t.run(["setup", "--write-env", envf, "--dry-run"], env=admin_env)
    t.check(dry.returncode == 0 and "aws iam create-user --user-name bedrock-api-user"
            in dry.stdout and "create-access-key" in dry.stdout, "setup --dry-run prints aws "
            "commands", dry.stdout + dry.stderr)
    iam = moto.boto("iam", *admin_keys[:2])
    users = [u["UserName"] for u in iam.list_users()["Users"]]
    t.check("bedrock-api-user" not in users, "--dry-run created nothing", users)
    r = t.run(["setup", "--write-env", envf, "--no-verify"], env=admin_env)
    t.check(r.returncode == 0, "setup --write-env", r.stdout + r.stderr)
    vals = read_env(envf)
    t.check(vals.get("AWS_ACCESS_KEY_ID", "").startswith(("AKIA", "ASIA")), ".env has the key id")
    t.check(vals.get("AWS_SECRET_ACCESS_KEY", "") not in r.stdout + r.stderr,
            "the secret was not printed")
    data = open(envf, newline="").read()
    t.check(data.startswith("# my app\nPORT=8080\r\n") and "\nOTHER='x y'\n" in data,
            ".env other lines kept byte for byte", repr(data))
    t.check(stat.S_IMODE(os.stat(envf).st_mode) == 0o600, ".env mode 0600")
    keys = iam.list_access_keys(UserName="bedrock-api-user")["AccessKeyMetadata"]
    t.check(len(keys) == 1, "one key created", keys)
    att = iam.list_attached_user_policies(UserName="bedrock-api-user")["AttachedPolicies"]
    t.check([a["PolicyName"] for a in att] == ["BedrockClaudeInvokeOnly"], "policy attached", att)
    r2 = t.run(["setup", "--write-env", envf, "--no-verify"], env=admin_env)
    keys2 = iam.list_access_keys(UserName="bedrock-api-user")["AccessKeyMetadata"]
    t.check(r2.returncode == 0 and len(keys2) == 1 and "already" in r2.stdout,
            "second setup run creates nothing", r2.stdout + r2.stderr)
    r3 = t.run(["setup", "--write-env", envf, "--no-verify", "--no-stream"] if False else
               ["setup", "--write-env", envf, "--no-verify", "--model",
                "anthropic.claude-3-haiku-20240307-v1:0"], env=admin_env)
    t.check(r3.returncode == 6 and "different document" in r3.stderr,
            "a different document under the same name is refused", r3.stdout + r3.stderr)
    return vals


def test_least_privilege(moto, vals):
    k, s = vals["AWS_ACCESS_KEY_ID"], vals["AWS_SECRET_ACCESS_KEY"]
    sts = moto.boto("sts", k, s)
    t.check(sts.get_caller_identity()["Arn"].endswith(":user/bedrock-api-user"),
            "the new key works (boto3 GetCallerIdentity)")
    iam = moto.boto("iam", k, s)
    import botocore.exceptions as be
    for what, call in (("iam:ListUsers", lambda: iam.list_users()),
                       ("iam:CreateUser", lambda: iam.create_user(UserName="evil")),
                       ("iam:CreateAccessKey", lambda: iam.create_access_key())):
        try:
            call()
            t.check(False, "least-privilege key denied " + what)
        except be.ClientError as e:
            t.check(e.response["Error"]["Code"] in ("AccessDenied", "AccessDeniedException"),
                    "least-privilege key denied " + what, e.response["Error"])
    r = t.run(["keys", "list"], env=env_for(moto, k, s))
    t.check(r.returncode == 5, "keys list with the app key: access denied (exit 5)",
            r.stdout + r.stderr)


def test_profile(moto, admin_env, cwd):
    creds = os.path.join(cwd, "credentials")
    conf = os.path.join(cwd, "config")
    with open(creds, "w") as f:
        f.write("# keep me\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n")
    env = dict(admin_env, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_CONFIG_FILE=conf)
    r = t.run(["setup", "--user", "app2", "--write-profile", "app2", "--no-verify"], env=env)
    t.check(r.returncode == 0, "setup --write-profile", r.stdout + r.stderr)
    data = open(creds).read()
    t.check(data.startswith("# keep me\n[other]\naws_access_key_id = AKIAOTHER\n") and
            "[app2]" in data, "credentials file: other profiles kept", data)
    t.check(stat.S_IMODE(os.stat(creds).st_mode) == 0o600, "credentials file mode 0600")
    t.check("region = eu-central-1" in open(conf).read(), "config file has the region")


def count_active(iam, user):
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    return keys, [k for k in keys if k["Status"] == "Active"]


def test_rotation(moto, admin_env, cwd):
    iam = moto.boto("iam", *admin_keys[:2])
    steps = ["journal", "create", "store", "verify", "deactivate", "delete"]
    envf = os.path.join(cwd, "rot.env")
    r = t.run(["setup", "--user", "rot", "--write-env", envf, "--no-verify"], env=admin_env)
    t.check(r.returncode == 0, "setup for rotation", r.stdout + r.stderr)
    for step in steps:
        before = read_env(envf)["AWS_ACCESS_KEY_ID"]
        env = dict(admin_env, BEDROCKCTL_TEST_CRASH_AFTER=step)
        r = t.run(["keys", "rotate", "--user", "rot", "--write-env", envf, "--delete-old"],
                  env=env)
        t.check(r.returncode == 99, "rotate killed after " + step, r.stdout + r.stderr)
        r = t.run(["keys", "rotate", "--user", "rot", "--write-env", envf, "--delete-old"],
                  env=admin_env)
        t.check(r.returncode == 0, "rerun finishes the rotation killed after " + step,
                r.stdout + r.stderr)
        keys, active = count_active(iam, "rot")
        vals = read_env(envf)
        t.check(len(keys) == 1 and len(active) == 1 and
                active[0]["AccessKeyId"] == vals["AWS_ACCESS_KEY_ID"] and
                vals["AWS_ACCESS_KEY_ID"] != before,
                "exactly one active key, stored, new (after " + step + ")", keys)
        sts = moto.boto("sts", vals["AWS_ACCESS_KEY_ID"], vals["AWS_SECRET_ACCESS_KEY"])
        t.check(sts.get_caller_identity()["Arn"].endswith(":user/rot"),
                "the stored key works (after " + step + ")")
        t.check(not os.path.exists(envf + ".rotation"), "journal removed (after " + step + ")")


def test_keys_admin(moto, admin_env):
    iam = moto.boto("iam", *admin_keys[:2])
    r = t.run(["keys", "list", "--user", "rot", "--output", "json"], env=admin_env)
    t.check(r.returncode == 0, "keys list", r.stdout + r.stderr)
    rows = json.loads(r.stdout) if r.returncode == 0 else []
    kid = rows[0]["AccessKeyId"] if rows else "AKIAXXXXXXXXXXXXXXXX"
    r = t.run(["keys", "deactivate", kid, "--user", "rot"], env=admin_env)
    st = iam.list_access_keys(UserName="rot")["AccessKeyMetadata"][0]["Status"]
    t.check(r.returncode == 0 and st == "Inactive", "keys deactivate", r.stdout + r.stderr)
    r = t.run(["keys", "activate", kid, "--user", "rot"], env=admin_env)
    st = iam.list_access_keys(UserName="rot")["AccessKeyMetadata"][0]["Status"]
    t.check(r.returncode == 0 and st == "Active", "keys activate", r.stdout + r.stderr)
    r = t.run(["keys", "delete", admin_keys[0], "--user", "brk-admin"], env=admin_env)
    t.check(r.returncode == 2 and "--force" in r.stderr,
            "keys delete refuses the key it runs with", r.stdout + r.stderr)
    r = t.run(["keys", "audit"], env=admin_env)
    t.check(r.returncode == 1 and "brk-admin" in r.stdout, "keys audit flags the admin's "
            "over-broad policy", r.stdout + r.stderr)
    r = t.run(["policy", "check", "--user", "bedrock-api-user"], env=admin_env)
    t.check(r.returncode == 0, "policy check --user on the least-privilege user",
            r.stdout + r.stderr)


def test_token(moto, admin_env):
    """The token is what AWS's aws-bedrock-token-generator makes: same signature as botocore's
    SigV4QueryAuth for the same time, host, service and region."""
    import base64
    import datetime
    import unittest.mock
    import urllib.parse
    from botocore.auth import SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    r = t.run(["token", "--expires", "1h"], env=admin_env)
    tok = r.stdout.strip()
    t.check(r.returncode == 0 and tok.startswith("bedrock-api-key-") and "\n" not in tok,
            "token prints one bedrock-api-key- line", r.stdout + r.stderr)
    url = base64.b64decode(tok[16:]).decode()
    t.check(url.startswith("bedrock.amazonaws.com/?Action=CallWithBearerToken&") and
            url.endswith("&Version=1"), "token wraps the presigned CallWithBearerToken URL", url)
    q = dict(urllib.parse.parse_qsl(url.split("?", 1)[1]))
    when = datetime.datetime.strptime(q["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    req = AWSRequest(method="GET", url="https://bedrock.amazonaws.com/",
                     headers={"host": "bedrock.amazonaws.com"},
                     params={"Action": "CallWithBearerToken"})
    auth = SigV4QueryAuth(Credentials(admin_keys[0], admin_keys[1]), "bedrock", "eu-central-1",
                          expires=3600)
    with unittest.mock.patch("botocore.auth.datetime") as d:
        d.datetime.utcnow.return_value = when
        d.datetime.now.return_value = when.replace(tzinfo=datetime.timezone.utc)
        auth.add_auth(req)
    ref = dict(urllib.parse.parse_qsl(req.url.split("?", 1)[1]))
    t.check(ref.get("X-Amz-Signature") == q.get("X-Amz-Signature") and
            q.get("X-Amz-Expires") == "3600", "token signature equals botocore's", (ref, q))
    t.check(admin_keys[1] not in r.stdout + r.stderr, "token: no secret printed")


admin_keys = None

if __name__ == "__main__":
    with t.MotoServer() as moto:
        admin_keys = moto.make_admin()
        admin_env = env_for(moto, admin_keys[0], admin_keys[1])
        cwd = t.private_cwd()
        vals = test_setup(moto, admin_env, cwd)
        if vals.get("AWS_SECRET_ACCESS_KEY"):
            test_least_privilege(moto, vals)
        test_profile(moto, admin_env, cwd)
        test_rotation(moto, admin_env, cwd)
        test_keys_admin(moto, admin_env)
        test_token(moto, admin_env)
    t.finish()
