"""tests/integration/test_cli_whoami.py - `bedrockctl whoami` against moto_server in IAM auth
mode (real SigV4 checking): a good key (account/ARN equal boto3's and `aws sts
get-caller-identity`'s), a wrong secret (exit 4, hint about the secret/clock), an unknown key
(exit 4, hint about the key id), a GetSessionToken session, --profile from temporary
AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, --env-file, region precedence and the output
formats.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_testlib import MotoServer, check, clean_env, finish, run  # noqa: E402


def whoami(env, *extra):
    return run(["whoami", "--output", "json"] + list(extra), env=env)


def as_json(r):
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {}


def main():
    with MotoServer() as moto:
        key, secret, arn = moto.make_admin("brk-whoami")
        sts = moto.boto("sts", key=key, secret=secret)
        ident = sts.get_caller_identity()
        base = dict(AWS_ENDPOINT_URL=moto.url)

        env = clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                        AWS_REGION="eu-central-1", **base)
        r = whoami(env)
        v = as_json(r)
        check(r.returncode == 0, "good key: exit 0", r.stderr)
        check(v.get("Account") == ident["Account"] and v.get("Arn") == ident["Arn"] ==
              arn and v.get("UserId") == ident["UserId"], "good key: identity equals boto3's",
              r.stdout)
        check(v.get("Region") == "eu-central-1" and "AWS_REGION" in v.get("RegionSource", ""),
              "region and its source shown", r.stdout)
        check(v.get("CredentialSource", "").startswith("env"), "credential source shown",
              v.get("CredentialSource"))
        eps = v.get("Endpoints", {})
        check(all(eps.get(s, {}).get("Url") == moto.url for s in
                  ("sts", "bedrock", "bedrock-runtime")), "endpoints for sts/bedrock/runtime",
              eps)
        check(secret not in r.stdout + r.stderr, "good key: secret not printed")

        # aws sts get-caller-identity says the same
        aws = subprocess.run(["aws", "sts", "get-caller-identity", "--output", "json",
                              "--endpoint-url", moto.url],
                             env=dict(env, AWS_DEFAULT_REGION="eu-central-1"), capture_output=True,
                             text=True, timeout=60)
        theirs = json.loads(aws.stdout) if aws.returncode == 0 else {}
        check(theirs and all(theirs[k] == v.get(k) for k in ("UserId", "Account", "Arn")),
              "aws sts get-caller-identity output equals ours", aws.stdout + aws.stderr)

        # text and table
        r = run(["whoami", "--output", "text"], env=env)
        check(r.returncode == 0 and arn in r.stdout and "\t" in r.stdout, "text output",
              r.stdout)
        r = run(["whoami", "--output", "table", "--no-color"], env=env)
        check(r.returncode == 0 and arn in r.stdout and "+--" in r.stdout and "\033[" not in
              r.stdout, "table output, no colours", r.stdout)

        # region precedence: --region > AWS_REGION > AWS_DEFAULT_REGION
        r = whoami(env, "--region", "ap-south-1")
        check(as_json(r).get("Region") == "ap-south-1" and
              "--region" in as_json(r).get("RegionSource", ""), "--region wins", r.stdout)
        e2 = dict(env)
        del e2["AWS_REGION"]
        e2["AWS_DEFAULT_REGION"] = "us-west-2"
        r = whoami(e2)
        check(as_json(r).get("Region") == "us-west-2" and
              "AWS_DEFAULT_REGION" in as_json(r).get("RegionSource", ""),
              "AWS_DEFAULT_REGION used when AWS_REGION unset", r.stdout)

        # wrong secret
        bad = clean_env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret[:-1] + "Q",
                        AWS_REGION="us-east-1", **base)
        r = run(["whoami"], env=bad)
        check(r.returncode == 4, "wrong secret: exit 4", r.stderr)
        check(r.stderr.startswith("bedrockctl: error: ") and "SignatureDoesNotMatch" in r.stderr
              and "HTTP 403" in r.stderr, "wrong secret: one error line with code and status",
              r.stderr)
        hint = [l for l in r.stderr.splitlines() if l.startswith("hint: ")]
        check(hint and "secret" in hint[0] and "clock" in hint[0],
              "wrong secret: hint mentions secret and clock", r.stderr)

        # unknown key id
        unk = clean_env(AWS_ACCESS_KEY_ID="AKIAUNKNOWNKEY000000", AWS_SECRET_ACCESS_KEY=secret,
                        AWS_REGION="us-east-1", **base)
        r = run(["whoami"], env=unk)
        hint = [l for l in r.stderr.splitlines() if l.startswith("hint: ")]
        check(r.returncode == 4 and "InvalidClientTokenId" in r.stderr,
              "unknown key: exit 4, InvalidClientTokenId", r.stderr)
        check(hint and "key id" in hint[0], "unknown key: hint mentions the key id", r.stderr)

        # session token from GetSessionToken
        tok = sts.get_session_token()["Credentials"]
        senv = clean_env(AWS_ACCESS_KEY_ID=tok["AccessKeyId"],
                         AWS_SECRET_ACCESS_KEY=tok["SecretAccessKey"],
                         AWS_SESSION_TOKEN=tok["SessionToken"], AWS_REGION="us-east-1", **base)
        r = whoami(senv, "--debug")
        # moto accepts GetSessionToken credentials only in some versions: judge by boto3
        try:
            theirs = moto.boto("sts", key=tok["AccessKeyId"], secret=tok["SecretAccessKey"],
                               token=tok["SessionToken"]).get_caller_identity()
            check(r.returncode == 0 and as_json(r).get("Arn") == theirs["Arn"],
                  "session credentials: identity equals boto3's", r.stdout + r.stderr)
        except Exception as e:  # noqa: BLE001 - botocore ClientError
            code = getattr(e, "response", {}).get("Error", {}).get("Code", "?")
            check(r.returncode == 4 and code in r.stderr,
                  "session credentials: same answer as boto3 (%s), exit 4" % code, r.stderr)
        check("X-Amz-Security-Token" in r.stderr, "session token header sent (--debug)",
              r.stderr[-2000:])
        check(tok["SessionToken"] not in r.stdout + r.stderr, "session token not printed")

        # --profile from temporary files
        d = tempfile.mkdtemp(prefix="brk-whoami-")
        cfg = os.path.join(d, "config")
        crd = os.path.join(d, "credentials")
        with open(cfg, "w") as f:
            f.write("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-3\n"
                    "endpoint_url = %s\n" % moto.url)
        with open(crd, "w") as f:
            f.write("[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                    % (key, secret))
        penv = clean_env(AWS_CONFIG_FILE=cfg, AWS_SHARED_CREDENTIALS_FILE=crd)
        r = whoami(penv, "--profile", "dev")
        v = as_json(r)
        check(r.returncode == 0 and v.get("Arn") == arn, "--profile dev from files: identity",
              r.stdout + r.stderr)
        check(v.get("Profile") == "dev" and "--profile" in v.get("ProfileSource", ""),
              "--profile dev: profile and source shown", r.stdout)
        check(v.get("Region") == "eu-west-3" and "dev" in v.get("RegionSource", ""),
              "--profile dev: region from the profile", r.stdout)
        penv2 = dict(penv, AWS_PROFILE="dev")
        r = whoami(penv2)
        check(as_json(r).get("Profile") == "dev" and
              "AWS_PROFILE" in as_json(r).get("ProfileSource", ""), "AWS_PROFILE shown as source",
              r.stdout + r.stderr)
        r = whoami(penv, "--profile", "nosuch")
        check(r.returncode != 0 and "nosuch" in r.stderr, "unknown profile is an error",
              r.stderr)

        # --env-file
        envf = os.path.join(d, "keys.env")
        with open(envf, "w") as f:
            f.write("# test keys\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=\"%s\"\n"
                    "AWS_REGION=sa-east-1\n" % (key, secret))
        eenv = clean_env(AWS_ENDPOINT_URL=moto.url)
        r = whoami(eenv, "--env-file", envf)
        v = as_json(r)
        check(r.returncode == 0 and v.get("Arn") == arn, "--env-file: identity",
              r.stdout + r.stderr)
        check(v.get("Region") == "sa-east-1" and "keys.env" in v.get("RegionSource", "") + " "
              + v.get("CredentialSource", ""), "--env-file: region/credential source name file",
              r.stdout)

        # no credentials at all
        r = run(["whoami"], env=clean_env(AWS_REGION="us-east-1", **base))
        check(r.returncode == 3, "no credentials: exit 3", r.stderr)
    finish()


if __name__ == "__main__":
    main()
