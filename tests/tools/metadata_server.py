#!/usr/bin/env python3
"""tests/tools/metadata_server.py - a local stand-in for the EC2 instance metadata service
(IMDSv2 only) and the ECS/EKS container credentials endpoint, for the credential chain tests.

Listens on 127.0.0.1, port 0 (the OS picks); prints "PORT <n>" on stdout once ready.
  PUT /latest/api/token            needs X-aws-ec2-metadata-token-ttl-seconds; returns a token
  GET /latest/meta-data/iam/security-credentials/[role]
                                   needs X-aws-ec2-metadata-token equal to an issued token (401)
  GET /ecs/creds                   needs Authorization equal to --auth (403 otherwise)
  GET /stats                       JSON counters, for tests to assert what was asked
Stdlib only. Runs until killed.
"""
import argparse
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = "bedrock-test-role"
EXPIRATION = "2031-05-06T07:08:09Z"


class State:
    def __init__(self, auth):
        self.auth = auth
        self.tokens = set()
        self.counts = {}
        self.lock = threading.Lock()

    def count(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # keep test output quiet
            pass

        def send(self, status, body, ctype="text/plain"):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self):
            state.count("PUT " + self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if self.path != "/latest/api/token":
                return self.send(404, "not found")
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            if ttl is None or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
                return self.send(400, "missing or bad ttl")
            token = secrets.token_urlsafe(24)
            with state.lock:
                state.tokens.add(token)
            self.send(200, token)

        def imds(self):
            token = self.headers.get("X-aws-ec2-metadata-token")
            with state.lock:
                ok = token in state.tokens
            if not ok:
                state.count("refused")
                return self.send(401, "")
            base = "/latest/meta-data/iam/security-credentials/"
            if self.path == base:
                return self.send(200, ROLE)
            if self.path == base + ROLE:
                doc = {"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z",
                       "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDSEXAMPLE00001",
                       "SecretAccessKey": "imds-secret", "Token": "imds-session-token",
                       "Expiration": EXPIRATION}
                return self.send(200, json.dumps(doc), "application/json")
            return self.send(404, "not found")

        def do_GET(self):
            state.count("GET " + self.path)
            if self.path.startswith("/latest/"):
                return self.imds()
            if self.path == "/ecs/creds":
                if self.headers.get("Authorization") != state.auth:
                    return self.send(403, '{"message":"bad token"}', "application/json")
                doc = {"AccessKeyId": "ASIACONTAINER0000001", "SecretAccessKey": "ecs-secret",
                       "Token": "ecs-session-token", "Expiration": EXPIRATION,
                       "AccountId": "123456789012"}
                return self.send(200, json.dumps(doc), "application/json")
            if self.path == "/stats":
                with state.lock:
                    return self.send(200, json.dumps(state.counts), "application/json")
            return self.send(404, "not found")

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--auth", default="container-auth-token")
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(State(args.auth)))
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
