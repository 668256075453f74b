"""tests/compat/emulator.py - start and stop build/bin/bedrock-emulator for Python tests.

Invariants: the emulator always listens on 127.0.0.1 port 0 (it picks a free port and writes
its URL to a --port-file in a private temp dir); it is stopped by the PID we started, never by
name. Usage:

    from emulator import Emulator
    with Emulator(extra_args=["--region", "eu-central-1"]) as emu:
        sts = emu.client("sts")
        print(sts.get_caller_identity())

The binary is $BRK_EMULATOR, else $BRK_BUILD_DIR/bin/bedrock-emulator, else
<source>/build/bin/bedrock-emulator.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

ROOT_KEY = "AKIAIOSFODNN7EXAMPLE"
ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ACCOUNT = "123456789012"


def emulator_binary():
    path = os.environ.get("BRK_EMULATOR")
    if path:
        return path
    build = os.environ.get("BRK_BUILD_DIR")
    if not build:
        here = os.path.dirname(os.path.abspath(__file__))
        build = os.path.join(here, "..", "..", "build")
    return os.path.join(build, "bin", "bedrock-emulator")


class Emulator:
    """One emulator process. region/account/state are passed through as flags."""

    def __init__(self, extra_args=None, region="eu-central-1", state=None, binary=None,
                 start_timeout=15.0):
        self.region = region
        self.account_id = ACCOUNT
        self.root_key = ROOT_KEY
        self.root_secret = ROOT_SECRET
        self.extra_args = list(extra_args or [])
        self.state = state
        self.binary = binary or emulator_binary()
        self.start_timeout = start_timeout
        self.proc = None
        self.url = None
        self.tmpdir = None
        self.stderr_path = None
        self.returncode = None

    # --- lifecycle ---
    def start(self):
        self.tmpdir = tempfile.mkdtemp(prefix="brk-emu-")
        port_file = os.path.join(self.tmpdir, "port")
        self.stderr_path = os.path.join(self.tmpdir, "stderr.log")
        args = [self.binary, "--listen", "127.0.0.1:0", "--port-file", port_file,
                "--region", self.region]
        if self.state:
            args += ["--state", self.state]
        args += self.extra_args
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("emulator exited early (%d): %s"
                                   % (self.proc.returncode, self.stderr_text()))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    url = f.read().strip()
                if url:
                    self.url = url
                    # the first stdout line is the URL too
                    first = self.proc.stdout.readline().decode().strip()
                    assert first == url, (first, url)
                    return self
            time.sleep(0.02)
        self.stop(signal.SIGKILL)
        raise RuntimeError("emulator did not start: " + self.stderr_text())

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Signal our own PID and wait; returns the exit status (negative = signal)."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.returncode = self.proc.returncode
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()
        self.proc = None
        return self.returncode

    def cleanup(self):
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()
        return False

    # --- clients ---
    def session(self, key=None, secret=None, token=None, region=None):
        import boto3
        return boto3.session.Session(
            aws_access_key_id=key or self.root_key,
            aws_secret_access_key=secret or self.root_secret,
            aws_session_token=token, region_name=region or self.region)

    def client(self, service, key=None, secret=None, token=None, region=None, **kw):
        """A boto3 client pointed at the emulator, no retries (tests assert exact errors)."""
        from botocore.config import Config
        cfg = kw.pop("config", None) or Config(retries={"max_attempts": 1, "mode": "standard"},
                                               connect_timeout=5, read_timeout=30)
        return self.session(key, secret, token, region).client(
            service, endpoint_url=self.url, config=cfg, **kw)

    def env(self, key=None, secret=None, token=None):
        """Environment for awscli / bedrockctl subprocesses using these credentials."""
        e = dict(os.environ)
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            e.pop(k, None)
        e["AWS_ACCESS_KEY_ID"] = key or self.root_key
        e["AWS_SECRET_ACCESS_KEY"] = secret or self.root_secret
        if token:
            e["AWS_SESSION_TOKEN"] = token
        e["AWS_DEFAULT_REGION"] = self.region
        e["AWS_CONFIG_FILE"] = os.devnull
        e["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        e["AWS_EC2_METADATA_DISABLED"] = "true"
        return e
