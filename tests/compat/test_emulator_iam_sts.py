"""tests/compat/test_emulator_iam_sts.py - boto3 and the awscli against bedrock-emulator's IAM
and STS: every IAM operation we offer, GetCallerIdentity, each authentication failure with its
exact AWS code, IAM limits, least privilege, --state persistence, and SIGTERM exit 0.

Runs the real binary ($BRK_BUILD_DIR/bin/bedrock-emulator) on 127.0.0.1 port 0.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator  # noqa: E402

import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

LEAST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "iam:ListUsers"], "Resource": "*"}]})


def code(exc):
    return exc.response["Error"]["Code"]


class EmulatorIamSts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator().start()
        cls.iam = cls.emu.client("iam")
        cls.sts = cls.emu.client("sts")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.emu.cleanup()

    def err(self, fn, *a, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*a, **kw)
        return cm.exception

    def new_user(self, name, policy=None):
        self.iam.create_user(UserName=name)
        if policy:
            self.iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        k = self.iam.create_access_key(UserName=name)["AccessKey"]
        return k["AccessKeyId"], k["SecretAccessKey"]

    # --- STS ---
    def test_get_caller_identity_root(self):
        r = self.sts.get_caller_identity()
        self.assertEqual(r["Account"], "123456789012")
        self.assertEqual(r["Arn"], "arn:aws:iam::123456789012:root")
        self.assertEqual(r["UserId"], "123456789012")

    def test_get_caller_identity_raw_xml(self):
        r = self.sts.get_caller_identity()
        self.assertIn("x-amzn-requestid", r["ResponseMetadata"]["HTTPHeaders"])

    def test_session_token(self):
        key, secret = self.new_user("sess")
        sts = self.emu.client("sts", key=key, secret=secret)
        c = sts.get_session_token(DurationSeconds=900)["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        s2 = self.emu.client("sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                             token=c["SessionToken"])
        self.assertEqual(s2.get_caller_identity()["Arn"],
                         "arn:aws:iam::123456789012:user/sess")
        bad = self.emu.client("sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                              token="wrong")
        self.assertEqual(code(self.err(bad.get_caller_identity)), "InvalidClientTokenId")
        # a session token sent with a long-term key (a user's, or the root's) is refused
        for k, s in ((key, secret), (self.emu.root_key, self.emu.root_secret)):
            lt = self.emu.client("sts", key=k, secret=s, token=c["SessionToken"])
            self.assertEqual(code(self.err(lt.get_caller_identity)), "InvalidClientTokenId")
        # a clock 15+ minutes ahead is refused (ExpiredToken itself needs a 15-minute wait)
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=960)
        e = self._with_clock(later, s2.get_caller_identity)
        self.assertEqual(code(e), "SignatureDoesNotMatch")
        self.assertTrue(e.response["Error"]["Message"].startswith("Signature not yet current"))

    # --- users ---
    def test_users_lifecycle(self):
        u = self.iam.create_user(UserName="alice", Path="/team/")["User"]
        self.assertEqual(u["Arn"], "arn:aws:iam::123456789012:user/team/alice")
        self.assertTrue(u["UserId"].startswith("AIDA"))
        self.assertEqual(code(self.err(self.iam.create_user, UserName="alice")),
                         "EntityAlreadyExists")
        self.assertEqual(self.iam.get_user(UserName="alice")["User"]["UserId"], u["UserId"])
        names = [x["UserName"] for x in self.iam.list_users()["Users"]]
        self.assertIn("alice", names)
        e = self.err(self.iam.get_user, UserName="nobody")
        self.assertEqual(code(e), "NoSuchEntity")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertEqual(e.response["Error"]["Message"],
                         "The user with name nobody cannot be found.")
        self.iam.delete_user(UserName="alice")
        self.assertEqual(code(self.err(self.iam.delete_user, UserName="alice")), "NoSuchEntity")

    def test_get_user_caller(self):
        key, secret = self.new_user("me")
        iam = self.emu.client("iam", key=key, secret=secret)
        # without a policy even GetUser on oneself is denied
        self.assertEqual(code(self.err(iam.get_user)), "AccessDenied")
        self.iam.put_user_policy(UserName="me", PolicyName="self", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetUser",
                                                     "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
        self.iam.put_user_policy(UserName="me", PolicyName="self", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*",
                                                     "Resource": "arn:aws:iam::123456789012:user/me"}]}))
        self.assertEqual(iam.get_user()["User"]["UserName"], "me")

    def test_delete_conflict(self):
        key, _ = self.new_user("conflicted")
        e = self.err(self.iam.delete_user, UserName="conflicted")
        self.assertEqual(code(e), "DeleteConflict")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.iam.delete_access_key(UserName="conflicted", AccessKeyId=key)
        self.iam.attach_user_policy(UserName="conflicted",
                                    PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.assertEqual(code(self.err(self.iam.delete_user, UserName="conflicted")),
                         "DeleteConflict")
        self.iam.detach_user_policy(UserName="conflicted",
                                    PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.iam.delete_user(UserName="conflicted")

    # --- policies ---
    def test_managed_policies(self):
        doc = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}]}
        p = self.iam.create_policy(PolicyName="invoke", PolicyDocument=json.dumps(doc),
                                   Description="d")["Policy"]
        arn = p["Arn"]
        self.assertEqual(arn, "arn:aws:iam::123456789012:policy/invoke")
        self.assertEqual(p["DefaultVersionId"], "v1")
        self.assertEqual(code(self.err(self.iam.create_policy, PolicyName="invoke",
                                       PolicyDocument=json.dumps(doc))), "EntityAlreadyExists")
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"], "invoke")
        v = self.iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
        self.assertEqual(v["Document"], doc)  # botocore URL-decodes and parses it
        self.assertTrue(v["IsDefaultVersion"])
        local = [x["Arn"] for x in self.iam.list_policies(Scope="Local")["Policies"]]
        self.assertIn(arn, local)
        aws = [x["PolicyName"] for x in self.iam.list_policies(Scope="AWS")["Policies"]]
        self.assertIn("AdministratorAccess", aws)
        self.assertIn("AmazonBedrockFullAccess", aws)
        self.assertNotIn("invoke", aws)
        self.iam.create_user(UserName="pu")
        self.iam.attach_user_policy(UserName="pu", PolicyArn=arn)
        att = self.iam.list_attached_user_policies(UserName="pu")["AttachedPolicies"]
        self.assertEqual(att, [{"PolicyName": "invoke", "PolicyArn": arn}])
        only = [x["Arn"] for x in self.iam.list_policies(OnlyAttached=True)["Policies"]]
        self.assertIn(arn, only)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 1)
        self.assertEqual(code(self.err(self.iam.delete_policy, PolicyArn=arn)), "DeleteConflict")
        self.iam.detach_user_policy(UserName="pu", PolicyArn=arn)
        self.assertEqual(code(self.err(self.iam.detach_user_policy, UserName="pu",
                                       PolicyArn=arn)), "NoSuchEntity")
        self.iam.delete_policy(PolicyArn=arn)
        self.assertEqual(code(self.err(self.iam.get_policy, PolicyArn=arn)), "NoSuchEntity")
        self.assertEqual(code(self.err(self.iam.attach_user_policy, UserName="pu",
                                       PolicyArn=arn)), "NoSuchEntity")

    def test_malformed_policy(self):
        for doc, msg in [("{not json", "Syntax errors in policy."),
                         (json.dumps({"Version": "2012-10-17", "Statement": [
                             {"Effect": "Allow", "Resource": "*"}]}),
                          "Policy statement must contain actions."),
                         (json.dumps({"Version": "2012-10-17", "Statement": [
                             {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                              "Principal": "*"}]}),
                          "Policy document should not specify a principal.")]:
            e = self.err(self.iam.create_policy, PolicyName="bad", PolicyDocument=doc)
            self.assertEqual(code(e), "MalformedPolicyDocument")
            self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
            self.assertEqual(e.response["Error"]["Message"], msg)

    def test_inline_policies(self):
        self.iam.create_user(UserName="inl")
        self.iam.put_user_policy(UserName="inl", PolicyName="a", PolicyDocument=LEAST)
        self.assertEqual(self.iam.list_user_policies(UserName="inl")["PolicyNames"], ["a"])
        got = self.iam.get_user_policy(UserName="inl", PolicyName="a")
        self.assertEqual(got["PolicyDocument"], json.loads(LEAST))
        self.assertEqual(code(self.err(self.iam.get_user_policy, UserName="inl",
                                       PolicyName="zz")), "NoSuchEntity")
        self.assertEqual(code(self.err(self.iam.delete_user, UserName="inl")), "DeleteConflict")
        self.iam.delete_user_policy(UserName="inl", PolicyName="a")
        self.assertEqual(self.iam.list_user_policies(UserName="inl")["PolicyNames"], [])
        self.iam.delete_user(UserName="inl")

    # --- access keys ---
    def test_access_keys(self):
        self.iam.create_user(UserName="keys")
        k1 = self.iam.create_access_key(UserName="keys")["AccessKey"]
        self.assertRegex(k1["AccessKeyId"], r"^AKIA[A-Z2-7]{16}$")
        self.assertEqual(len(k1["SecretAccessKey"]), 40)
        self.iam.create_access_key(UserName="keys")
        e = self.err(self.iam.create_access_key, UserName="keys")
        self.assertEqual(code(e), "LimitExceeded")
        self.assertEqual(e.response["Error"]["Message"],
                         "Cannot exceed quota for AccessKeysPerUser: 2")
        md = self.iam.list_access_keys(UserName="keys")["AccessKeyMetadata"]
        self.assertEqual(len(md), 2)
        lu = self.iam.get_access_key_last_used(AccessKeyId=k1["AccessKeyId"])
        self.assertEqual(lu["AccessKeyLastUsed"]["ServiceName"], "N/A")
        self.iam.put_user_policy(UserName="keys", PolicyName="p", PolicyDocument=LEAST)
        self.emu.client("sts", key=k1["AccessKeyId"],
                        secret=k1["SecretAccessKey"]).get_caller_identity()
        lu = self.iam.get_access_key_last_used(AccessKeyId=k1["AccessKeyId"])
        self.assertEqual(lu["AccessKeyLastUsed"]["ServiceName"], "sts")
        self.assertEqual(lu["AccessKeyLastUsed"]["Region"], "eu-central-1")
        self.assertIn("LastUsedDate", lu["AccessKeyLastUsed"])

    def test_auth_failures(self):
        key, secret = self.new_user("authf", LEAST)
        sts = self.emu.client("sts", key=key, secret=secret)
        sts.get_caller_identity()
        # unknown key
        e = self.err(self.emu.client("sts", key="AKIAZZZZZZZZZZZZZZZZ", secret=secret)
                     .get_caller_identity)
        self.assertEqual(code(e), "InvalidClientTokenId")
        self.assertEqual(e.response["Error"]["Message"],
                         "The security token included in the request is invalid.")
        # wrong secret
        e = self.err(self.emu.client("sts", key=key, secret="x" * 40).get_caller_identity)
        self.assertEqual(code(e), "SignatureDoesNotMatch")
        self.assertIn("The Canonical String for this request should have been",
                      e.response["Error"]["Message"])
        self.assertNotIn(secret, e.response["Error"]["Message"])
        # deactivated, then deleted
        self.iam.update_access_key(UserName="authf", AccessKeyId=key, Status="Inactive")
        self.assertEqual(code(self.err(sts.get_caller_identity)), "InvalidClientTokenId")
        self.iam.update_access_key(UserName="authf", AccessKeyId=key, Status="Active")
        sts.get_caller_identity()
        self.iam.delete_access_key(UserName="authf", AccessKeyId=key)
        self.assertEqual(code(self.err(sts.get_caller_identity)), "InvalidClientTokenId")
        self.assertEqual(code(self.err(self.iam.delete_access_key, UserName="authf",
                                       AccessKeyId=key)), "NoSuchEntity")

    def _with_clock(self, when, fn):
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            with self.assertRaises(ClientError) as cm:
                fn()
        return cm.exception

    def test_clock_skew(self):
        skewed = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
        e = self._with_clock(skewed, self.iam.list_users)
        self.assertEqual(code(e), "SignatureDoesNotMatch")
        self.assertRegex(e.response["Error"]["Message"],
                         r"^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z")

    def _presign(self, expires, when=None):
        creds = botocore.credentials.Credentials(self.emu.root_key, self.emu.root_secret)
        req = botocore.awsrequest.AWSRequest(
            method="GET", url=self.emu.url + "/?Action=GetCallerIdentity&Version=2011-06-15")
        signer = botocore.auth.SigV4QueryAuth(creds, "sts", "eu-central-1", expires=expires)
        if when is not None:
            with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                signer.add_auth(req)
        else:
            signer.add_auth(req)
        return req.url

    def test_presigned(self):
        url = self._presign(60)
        with urllib.request.urlopen(url, timeout=10) as r:
            self.assertIn(b"<Arn>arn:aws:iam::123456789012:root</Arn>", r.read())
        old = datetime.datetime.utcnow() - datetime.timedelta(seconds=120)
        url = self._presign(60, old)
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(url, timeout=10)
        self.assertEqual(cm.exception.code, 403)
        body = cm.exception.read().decode()
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", body)
        self.assertIn("Signature expired", body)

    def test_missing_auth(self):
        req = urllib.request.Request(self.emu.url + "/", data=b"Action=GetCallerIdentity",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 403)
        self.assertIn("<Code>MissingAuthenticationToken</Code>", cm.exception.read().decode())

    def test_least_privilege(self):
        key, secret = self.new_user("lp", LEAST)
        iam = self.emu.client("iam", key=key, secret=secret)
        iam.list_users()
        self.emu.client("sts", key=key, secret=secret).get_caller_identity()
        e = self.err(iam.create_user, UserName="x")
        self.assertEqual(code(e), "AccessDenied")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(e.response["Error"]["Message"],
                         "User: arn:aws:iam::123456789012:user/lp is not authorized to perform: "
                         "iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because "
                         "no identity-based policy allows the iam:CreateUser action")
        self.iam.put_user_policy(UserName="lp", PolicyName="deny", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:List*",
                                                     "Resource": "*"}]}))
        e = self.err(iam.list_users)
        self.assertTrue(e.response["Error"]["Message"].endswith(
            "with an explicit deny in an identity-based policy"))

    def test_service_specific_credentials(self):
        self.iam.create_user(UserName="apikey")
        c = self.iam.create_service_specific_credential(
            UserName="apikey", ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredential"]
        self.assertTrue(c["ServiceCredentialSecret"].startswith("ABSK"))
        self.assertTrue(c["ServiceUserName"].startswith("BedrockAPIKey-"))
        lst = self.iam.list_service_specific_credentials(UserName="apikey")
        ids = [x["ServiceSpecificCredentialId"] for x in lst["ServiceSpecificCredentials"]]
        self.assertEqual(ids, [c["ServiceSpecificCredentialId"]])
        self.iam.delete_service_specific_credential(
            UserName="apikey", ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"])
        self.assertEqual(self.iam.list_service_specific_credentials(
            UserName="apikey")["ServiceSpecificCredentials"], [])

    def _short_token(self, key, secret, expires=60, when=None):
        r = botocore.awsrequest.AWSRequest(
            method="GET", url="https://bedrock.amazonaws.com/",
            headers={"host": "bedrock.amazonaws.com"}, params={"Action": "CallWithBearerToken"})
        signer = botocore.auth.SigV4QueryAuth(botocore.credentials.Credentials(key, secret),
                                              "bedrock", "eu-central-1", expires=expires)
        if when is not None:
            with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                signer.add_auth(r)
        else:
            signer.add_auth(r)
        url = r.url.replace("https://", "") + "&Version=1"
        import base64
        return "bedrock-api-key-" + base64.b64encode(url.encode()).decode()

    def _bearer_call(self, token):
        req = urllib.request.Request(self.emu.url + "/foundation-models",
                                     headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, {}
        except urllib.error.HTTPError as e:
            return e.code, {"type": e.headers.get("x-amzn-ErrorType"),
                            "message": json.loads(e.read())["message"]}

    def test_bearer_tokens(self):
        ok = self._short_token(self.emu.root_key, self.emu.root_secret)
        self.assertEqual(self._bearer_call(ok)[0], 200)
        st, err = self._bearer_call(self._short_token(self.emu.root_key, "x" * 40))
        self.assertEqual((st, err["type"]), (403, "InvalidSignatureException"))
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=300)
        st, err = self._bearer_call(self._short_token(self.emu.root_key, self.emu.root_secret,
                                                      60, old))
        self.assertEqual(st, 403)
        self.assertTrue(err["message"].startswith("Signature expired"))
        self.iam.create_user(UserName="bearer")
        c = self.iam.create_service_specific_credential(
            UserName="bearer", ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredential"]
        st, err = self._bearer_call(c["ServiceCredentialSecret"])
        self.assertEqual((st, err["type"]), (403, "AccessDeniedException"))
        self.assertIn("bedrock:CallWithBearerToken", err["message"])
        self.iam.attach_user_policy(UserName="bearer",
                                    PolicyArn="arn:aws:iam::aws:policy/AmazonBedrockFullAccess")
        self.assertEqual(self._bearer_call(c["ServiceCredentialSecret"])[0], 200)
        st, err = self._bearer_call("ABSK" + "QUJD")
        self.assertEqual((st, err["type"]), (403, "UnrecognizedClientException"))

    def test_unknown_action(self):
        creds = botocore.credentials.Credentials(self.emu.root_key, self.emu.root_secret)
        req = botocore.awsrequest.AWSRequest(
            method="POST", url=self.emu.url + "/", data="Action=NoSuchThing&Version=2010-05-08",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        botocore.auth.SigV4Auth(creds, "iam", "us-east-1").add_auth(req)
        prepared = req.prepare()
        r = urllib.request.Request(prepared.url, data=prepared.body.encode(),
                                   headers=dict(prepared.headers), method="POST")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(r, timeout=10)
        self.assertEqual(cm.exception.code, 400)
        self.assertIn("<Code>InvalidAction</Code>", cm.exception.read().decode())

    def test_awscli(self):
        key, secret = self.new_user("cli", LEAST)
        cmd = [sys.executable, "-m", "awscli", "--endpoint-url", self.emu.url]
        out = subprocess.run(cmd + ["sts", "get-caller-identity", "--output", "json"],
                             env=self.emu.env(key, secret), capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["Arn"], "arn:aws:iam::123456789012:user/cli")
        out = subprocess.run(cmd + ["iam", "create-user", "--user-name", "x"],
                             env=self.emu.env(key, secret), capture_output=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(b"AccessDenied", out.stderr)


class ExpiredSession(unittest.TestCase):
    """An expired session token gets each protocol's expiry error (IAM/STS: ExpiredToken,
    Bedrock: ExpiredTokenException), from boto3 and from bedrockctl (exit 4, hint). The
    emulator is started with --min-session-seconds so that a session can expire in a test."""

    def test_expired_session_token(self):
        import subprocess
        import time
        from botocore.config import Config
        emu = Emulator(extra_args=["--min-session-seconds", "1"]).start()
        try:
            key, secret = None, None
            iam = emu.client("iam")
            iam.create_user(UserName="expiring")
            k = iam.create_access_key(UserName="expiring")["AccessKey"]
            key, secret = k["AccessKeyId"], k["SecretAccessKey"]
            # botocore enforces AWS's 900-second minimum itself: skip its client-side check
            sts = emu.client("sts", key=key, secret=secret,
                             config=Config(parameter_validation=False,
                                           retries={"total_max_attempts": 1}))
            c = sts.get_session_token(DurationSeconds=1)["Credentials"]
            s2 = emu.client("sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                            token=c["SessionToken"])
            time.sleep(2.1)
            self.assertEqual(code(self.err(s2.get_caller_identity)), "ExpiredToken")
            rt = emu.client("bedrock-runtime", key=c["AccessKeyId"],
                            secret=c["SecretAccessKey"], token=c["SessionToken"])
            e = self.err(rt.invoke_model, modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
                         body=b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,'
                              b'"messages":[{"role":"user","content":"hi"}]}')
            self.assertEqual(code(e), "ExpiredTokenException")
            ctl = os.path.join(os.environ.get("BRK_BUILD_DIR", "build"), "bin", "bedrockctl")
            if os.path.exists(ctl):
                env = emu.env(key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                              token=c["SessionToken"])
                r = subprocess.run([ctl, "--endpoint-url", emu.url, "whoami"], env=env,
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 4, r.stderr)
                self.assertIn("expired", r.stderr.lower())
                self.assertNotIn(c["SessionToken"], r.stdout + r.stderr)
        finally:
            emu.stop()
            emu.cleanup()

    def err(self, fn, *a, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*a, **kw)
        return cm.exception


class EmulatorLifecycle(unittest.TestCase):
    def test_state_persists_and_sigterm(self):
        d = tempfile.mkdtemp(prefix="brk-emu-state-")
        try:
            state = os.path.join(d, "state.db")
            emu = Emulator(state=state).start()
            iam = emu.client("iam")
            iam.create_user(UserName="persist")
            iam.put_user_policy(UserName="persist", PolicyName="p", PolicyDocument=LEAST)
            k = iam.create_access_key(UserName="persist")["AccessKey"]
            self.assertEqual(emu.stop(signal.SIGTERM), 0)
            emu.cleanup()
            emu = Emulator(state=state).start()
            try:
                sts = emu.client("sts", key=k["AccessKeyId"], secret=k["SecretAccessKey"])
                self.assertEqual(sts.get_caller_identity()["Arn"],
                                 "arn:aws:iam::123456789012:user/persist")
            finally:
                self.assertEqual(emu.stop(signal.SIGKILL), -signal.SIGKILL)
                emu.cleanup()
            # kill -9 lost nothing acknowledged
            emu = Emulator(state=state).start()
            try:
                names = [u["UserName"] for u in emu.client("iam").list_users()["Users"]]
                self.assertIn("persist", names)
            finally:
                self.assertEqual(emu.stop(signal.SIGINT), 0)
                emu.cleanup()
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_body_limit(self):
        with Emulator(extra_args=["--max-body-bytes", "1000"]) as emu:
            e = None
            try:
                emu.client("iam").create_policy(PolicyName="big", PolicyDocument="x" * 2000)
            except ClientError as exc:
                e = exc
            self.assertIsNotNone(e)
            self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 413)
            self.assertIn("1000", e.response["Error"]["Message"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
