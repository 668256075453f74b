"""tests/integration/test_cli_framework.py - the bedrockctl framework without any server:
--help on every command and subcommand (and `help CMD`), usage errors with suggestions and
exit 2, global flags before and after the command, --output validation, version, colours off
when not a tty / with NO_COLOR, exit status table in --help.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_testlib import check, clean_env, finish, run  # noqa: E402

COMMANDS = {"whoami": [], "sign": [], "models": ["list", "get", "profiles"], "invoke": [],
            "chat": [], "version": []}


def listed_commands():
    r = run(["--help"])
    block = r.stdout.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return [l.split()[0] for l in block.splitlines() if l.strip()]


def main():
    r = run(["--help"])
    check(r.returncode == 0 and "Global options" in r.stdout and "Exit status" in r.stdout and
          "3 no credentials" in r.stdout, "top-level --help with exit codes", r.stdout)
    names = listed_commands()
    check(all(c in names for c in COMMANDS), "--help lists every command", names)
    for cmd in names:
        if cmd == "help":
            continue
        subs = COMMANDS.get(cmd, [])
        for argv in ([cmd, "--help"], ["help", cmd], ["--debug", cmd, "-h"]):
            r = run(argv)
            check(r.returncode == 0 and r.stdout.startswith("usage: bedrockctl") and
                  "Exit status" in r.stdout and r.stderr == "",
                  "help: %s" % " ".join(argv), r.stdout[:300] + r.stderr)
        for sub in subs:
            for argv in ([cmd, sub, "--help"], ["help", cmd, sub], ["--help", cmd, sub]):
                r = run(argv)
                check(r.returncode == 0 and ("%s %s" % (cmd, sub)) in r.stdout.splitlines()[0],
                      "help: %s" % " ".join(argv), r.stdout[:300] + r.stderr)

    usage_cases = [
        (["whoamy"], "did you mean 'whoami'"),
        (["models", "lsit"], "did you mean 'list'"),
        (["whoami", "--regoin", "x"], "did you mean '--region'"),
        (["--outptu", "json", "whoami"], "did you mean '--output'"),
        (["invoke", "--modle", "x"], "did you mean '--model'"),
        (["whoami", "extra"], "unexpected argument 'extra'"),
        (["models", "get"], "missing argument"),
        (["whoami", "--output", "yaml"], "json, text or table"),
        (["chat", "--max-tokens", "many", "x"], "expects an integer"),
        (["sign", "--region"], "needs a value"),
        ([], "usage: bedrockctl"),
        (["models"], "Subcommands"),
        (["help", "nosuch"], "no help for 'nosuch'"),
    ]
    for argv, want in usage_cases:
        r = run(argv)
        check(r.returncode == 2 and want in r.stderr and r.stdout == "",
              "usage error exit 2: %r" % argv, "rc=%d\n%s" % (r.returncode, r.stderr))
        if argv and argv[0] != "help":
            check(r.stderr.count("\n") <= 3 or not argv or argv == ["models"],
                  "usage error is short: %r" % argv, r.stderr)

    r = run(["version"])
    check(r.returncode == 0 and re.match(r"bedrockctl \d+\.\d+\.\d+ \(libbedrock \S+, libcurl "
                                         r"\S+, OpenSSL", r.stdout), "version line", r.stdout)
    r2 = run(["--version"])
    check(r2.stdout == r.stdout, "--version equals version", r2.stdout)
    r = run(["--output", "json", "version"])
    check(r.returncode == 0 and '"libcurl"' in r.stdout, "version --output json", r.stdout)
    r = run(["version", "--output", "table"])
    check("| libbedrock" in r.stdout and "\033[" not in r.stdout,
          "global flag after the command; no colours when not a tty", r.stdout)
    # errors: colour never on a pipe, even when forced off/on by env
    r = run(["whoami", "--bogus"], env=clean_env(NO_COLOR="1"))
    check("\033[" not in r.stderr and r.stderr.startswith("bedrockctl: error: "),
          "error line format, no colour", r.stderr)
    # missing credentials: exit 3 with a hint
    r = run(["whoami", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"])
    check(r.returncode == 3 and "hint: " in r.stderr, "no credentials: exit 3 + hint", r.stderr)
    # network failure: exit 8
    r = run(["whoami", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9",
             "--max-attempts", "1", "--connect-timeout", "2"],
            env=clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="x"))
    check(r.returncode == 8, "connection refused: exit 8", r.stderr)
    r = run(["whoami", "--max-attempts", "0"],
            env=clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="x"))
    check(r.returncode == 2, "--max-attempts 0: exit 2", r.stderr)
    finish()


if __name__ == "__main__":
    main()
