"""tests/integration/test_guide_emulator.py - the guide end to end against bedrock-emulator
(real SigV4 verification and IAM policy enforcement, Bedrock included): setup with Bedrock
verification, doctor with the stored key, a model outside the policy denied, a token minted by
`bedrockctl token` accepted as a bearer key, budget create/list/delete, keys rotate/revoke/audit.
Skips (77) when the emulator is not built.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "compat"))
import cli_testlib as t  # noqa: E402

OTHER = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = ('{"anthropic_version":"bedrock-2023-05-31","max_tokens":20,"messages":[{"role":"user",'
        '"content":"hi"}]}')


def check_audit(emu, admin):
    """keys audit names each kind of finding: two active keys, keys on the account root (the emulator's root key is one, as GetAccountSummary says), broad policies."""
    iam = emu.client("iam")
    iam.create_user(UserName="audit-two")
    iam.create_access_key(UserName="audit-two")
    iam.create_access_key(UserName="audit-two")
    iam.create_user(UserName="audit-admin")
    iam.attach_user_policy(UserName="audit-admin",
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    summary = iam.get_account_summary()["SummaryMap"]
    t.check(summary["AccountAccessKeysPresent"] == 1 and summary["Users"] >= 2,
            "GetAccountSummary (boto3)", str(summary))
    r = t.run(["keys", "audit"], env=admin)
    out = r.stdout + r.stderr
    t.check(r.returncode == 1, "keys audit exits 1 on findings", out)
    # (a key created today is not yet "never used": that finding needs a day of age)
    for needle, what in (("two active keys", "two active keys"), ("root", "root-account keys"),
                         ("AdministratorAccess", "admin policy")):
        t.check(needle in out, "keys audit flags " + what, out)


def check_gitignore(admin):
    """setup --write-env into a git work tree: the .env is added to .gitignore (the guide's
    "Never commit credentials"), the user is told, other lines of the .env are kept, mode 0600."""
    import stat
    import subprocess
    import tempfile
    repo = tempfile.mkdtemp(prefix="brk-git-")
    subprocess.run(["git", "init", "-q", repo], check=True)
    with open(os.path.join(repo, ".gitignore"), "w") as f:
        f.write("build/\n")
    env_path = os.path.join(repo, ".env")
    with open(env_path, "w") as f:
        f.write("# app settings\nPORT=8080\n")
    r = t.run(["setup", "--user", "gitignore-user", "--write-env", env_path, "--no-verify"],
              env=admin)
    t.check(r.returncode == 0 and ".gitignore" in (r.stdout + r.stderr),
            "setup tells the user it added the .env to .gitignore", r.stdout + r.stderr)
    with open(os.path.join(repo, ".gitignore")) as f:
        gi = f.read()
    t.check(gi.startswith("build/\n") and "/.env" in gi, ".gitignore kept and extended", gi)
    ignored = subprocess.run(["git", "-C", repo, "check-ignore", "-q", ".env"]).returncode == 0
    t.check(ignored, "git now ignores the .env", gi)
    with open(env_path) as f:
        text = f.read()
    t.check(text.startswith("# app settings\nPORT=8080\n") and "AWS_ACCESS_KEY_ID=" in text,
            "other .env lines kept, key added", "")
    t.check(stat.S_IMODE(os.stat(env_path).st_mode) == 0o600, ".env has mode 0600", "")
    r = t.run(["setup", "--user", "gitignore-user", "--write-env", env_path, "--no-verify"],
              env=admin)
    with open(os.path.join(repo, ".gitignore")) as f:
        t.check(f.read().count("/.env") == 1, "a rerun does not add the line twice", "")
    import shutil
    shutil.rmtree(repo, ignore_errors=True)


def main():
    from emulator import Emulator, emulator_binary
    if not os.path.exists(emulator_binary()):
        print("no bedrock-emulator: skipped")
        sys.exit(77)
    emu = Emulator().start()
    try:
        admin = t.clean_env(AWS_ACCESS_KEY_ID=emu.root_key, AWS_SECRET_ACCESS_KEY=emu.root_secret,
                            AWS_REGION=emu.region, AWS_ENDPOINT_URL=emu.url,
                            BEDROCKCTL_IAM_WAIT="5")
        app = {k: v for k, v in admin.items() if not k.startswith("AWS_ACCESS_KEY_ID")
               and k != "AWS_SECRET_ACCESS_KEY"}
        r = t.run(["setup", "--write-env", "app.env"], env=admin)
        t.check(r.returncode == 0 and "streaming works" in r.stdout,
                "setup with verification and doctor", r.stdout + r.stderr)
        r = t.run(["--env-file", "app.env", "doctor"], env=app)
        t.check(r.returncode == 0 and "all required checks passed" in r.stdout,
                "doctor with the stored key", r.stdout + r.stderr)
        r = t.run(["--env-file", "app.env", "invoke", "--model", OTHER, "--body", BODY], env=app)
        t.check(r.returncode == 5 and "hint:" in r.stderr,
                "a model outside the policy is denied with a hint", r.stdout + r.stderr)
        r = t.run(["--env-file", "app.env", "doctor", "--model", OTHER], env=app)
        t.check(r.returncode == 1 and "\u2717" in r.stdout, "doctor fails for a model outside "
                "the policy", r.stdout + r.stderr)
        r = t.run(["token", "--expires", "15m"], env=admin)
        tok = r.stdout.strip()
        t.check(r.returncode == 0 and tok.startswith("bedrock-api-key-"), "token minted",
                r.stderr)
        bearer = {k: v for k, v in app.items()}
        bearer["AWS_BEARER_TOKEN_BEDROCK"] = tok
        r = t.run(["invoke", "--model", OTHER, "--body", BODY], env=bearer)
        t.check(r.returncode == 0, "the emulator accepts the minted token", r.stdout + r.stderr)
        r = t.run(["budget", "create", "--limit", "20", "--email", "ops@example.com"], env=admin)
        t.check(r.returncode == 0, "budget create", r.stdout + r.stderr)
        r = t.run(["budget", "list", "--output", "json"], env=admin)
        t.check(r.returncode == 0 and "bedrock-monthly" in r.stdout, "budget list", r.stdout)
        r = t.run(["budget", "delete", "bedrock-monthly"], env=admin)
        t.check(r.returncode == 0, "budget delete", r.stdout + r.stderr)
        r = t.run(["keys", "rotate", "--user", "bedrock-api-user", "--write-env", "app.env",
                   "--delete-old"], env=admin)
        t.check(r.returncode == 0 and "Rotation complete" in r.stdout, "keys rotate",
                r.stdout + r.stderr)
        r = t.run(["--env-file", "app.env", "doctor"], env=app)
        t.check(r.returncode == 0, "doctor after rotation", r.stdout + r.stderr)
        r = t.run(["keys", "list", "--user", "bedrock-api-user", "--output", "json"], env=admin)
        import json
        keys = json.loads(r.stdout) if r.returncode == 0 else []
        t.check(len(keys) == 1, "one key after rotation", r.stdout + r.stderr)
        if keys:
            r = t.run(["keys", "revoke", keys[0]["AccessKeyId"], "--replace", "--write-env",
                       "app.env"], env=admin)
            t.check(r.returncode == 0 and "Update every application" in r.stdout,
                    "keys revoke --replace", r.stdout + r.stderr)
            r = t.run(["--env-file", "app.env", "doctor"], env=app)
            t.check(r.returncode == 0, "doctor with the replacement key", r.stdout + r.stderr)
        r = t.run(["keys", "audit"], env=admin)
        t.check(r.returncode in (0, 1), "keys audit runs", r.stdout + r.stderr)
        check_gitignore(admin)
        check_audit(emu, admin)
    finally:
        emu.stop()
        emu.cleanup()
    t.finish()


if __name__ == "__main__":
    main()
