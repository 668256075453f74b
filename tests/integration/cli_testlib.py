"""tests/integration/cli_testlib.py - shared helpers for the bedrockctl tests (test_cli_*.py,
tests/compat/test_secret_canary.py): run the binary in a clean environment, start moto_server in
auth mode on 127.0.0.1, create an admin IAM user with the free unauthenticated calls.

Invariants: every server listens on 127.0.0.1 on a port picked free; it is stopped by the PID we
started (never by name); the environment of each bedrockctl run contains no AWS_* variable we
did not put there, no ~/.aws file (AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE = /dev/null unless
given) and runs in a private temp cwd so no ./.env is picked up.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("BRK_SOURCE_DIR", os.path.normpath(os.path.join(HERE, "..", "..")))
BUILD = os.environ.get("BRK_BUILD_DIR", os.path.join(SOURCE, "build"))
SHARED = os.environ.get("BRK_SHARED_DIR", os.path.join(SOURCE, "..", "shared"))
BIN = os.environ.get("BEDROCKCTL", os.path.join(BUILD, "bin", "bedrockctl"))

failures = []


def check(cond, what, detail=""):
    """Record a failed expectation (the test continues so one run shows every failure)."""
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what + ("\n     " + str(detail).replace("\n", "\n     ") if detail else ""))
        failures.append(what)
    return cond


def finish():
    if failures:
        print("%d failure(s): %s" % (len(failures), ", ".join(failures)))
        sys.exit(1)
    print("all passed")
    sys.exit(0)


_cwd = None


def private_cwd():
    global _cwd
    if _cwd is None:
        _cwd = tempfile.mkdtemp(prefix="brk-cli-")
    return _cwd


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("BEDROCK_MODEL_ID", "NO_COLOR")}
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    # the test build uses ASan; libcurl/OpenSSL globals are freed at exit, so leaks are ours
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run(args, env=None, input=None, timeout=60, cwd=None):
    """Run bedrockctl; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([BIN] + list(args), env=env if env is not None else clean_env(),
                          input=input, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd or private_cwd())


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def moto_server_path():
    p = os.environ.get("MOTO_SERVER")
    if p:
        return p
    try:
        out = subprocess.run(["pyenv", "which", "moto_server"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return shutil.which("moto_server") or "moto_server"


class MotoServer:
    """moto_server in IAM auth mode; the first `free_calls` requests need no auth."""

    def __init__(self, free_calls=4):
        self.free_calls = free_calls
        self.proc = None
        self.url = None
        self.log = None

    def __enter__(self):
        for _ in range(5):
            port = free_port()
            env = dict(os.environ)
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(self.free_calls)
            self.log = tempfile.TemporaryFile()
            self.proc = subprocess.Popen([moto_server_path(), "-H", "127.0.0.1", "-p", str(port)],
                                         env=env, stdout=self.log, stderr=self.log,
                                         stdin=subprocess.DEVNULL)
            self.url = "http://127.0.0.1:%d" % port
            if self._wait():
                return self
            self._stop()
        raise RuntimeError("moto_server did not start")

    def _wait(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                # moto's own dashboard API: does not count as an AWS action
                urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=1).read()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def _stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __exit__(self, *exc):
        self._stop()
        return False

    def boto(self, service, key="AKIAIOSFODNN7EXAMPLE", secret="x", token=None,
             region="us-east-1"):
        import boto3
        from botocore.config import Config
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token,
                            config=Config(retries={"max_attempts": 1}))

    def make_admin(self, name="brk-admin"):
        """Spends the 4 free calls: user, policy, attachment, access key. Returns (key, secret,
        arn)."""
        iam = self.boto("iam")
        user = iam.create_user(UserName=name)["User"]
        pol = iam.create_policy(PolicyName=name + "-all", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",'
            '"Resource":"*"}]}'))["Policy"]
        iam.attach_user_policy(UserName=name, PolicyArn=pol["Arn"])
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"], user["Arn"]
