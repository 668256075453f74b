#!/usr/bin/env python3
"""tests/tools/stubserver.py - a scriptable HTTP/1.1 server for the HTTP layer's tests.

Listens on 127.0.0.1 port 0 and prints the port as the first stdout line. Keep-alive is on
(HTTP/1.1, every response has a Content-Length or is chunked). Exits by itself after
--max-seconds (default 300) so a crashed test never leaves it running.

What a request gets is a "step", taken from:
  * the script (--script FILE, JSON {"sequences": {"name": [step, ...]}}) when the request
    carries "X-Stub-Seq: name": the n-th request naming a sequence gets its n-th step
    (the last step repeats);
  * otherwise request headers: X-Stub-Status, X-Stub-Body, X-Stub-Delay-Ms, X-Stub-Chunks,
    X-Stub-Chunk-Delay-Ms, X-Stub-Stall-After, X-Stub-Stall-Ms, X-Stub-Drop,
    X-Stub-Echo, X-Stub-Close and X-Stub-Set-<Name>: <value> (sent back as <Name>: <value>).
Step fields: status, headers {name: value}, body (text), delay_ms (before the headers),
chunks (send the body chunked in this many pieces) with chunk_delay_ms between pieces,
stall_after (bytes sent before a pause) and stall_ms, drop ("headers": close without any
response, "body": close after half the body), echo (body = JSON description of the request),
close (send Connection: close).
GET /_stats returns {"connections": N, "requests": N}.
With --tls-cert/--tls-key it speaks HTTPS (HTTP/1.1 only, no ALPN h2).
"""
import argparse
import base64
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"connections": 0, "requests": 0, "seq_pos": {}}
SCRIPT = {"sequences": {}}


def next_step_from_script(name):
    steps = SCRIPT.get("sequences", {}).get(name)
    if not steps:
        return None
    with LOCK:
        pos = STATE["seq_pos"].get(name, 0)
        STATE["seq_pos"][name] = pos + 1
    return dict(steps[min(pos, len(steps) - 1)])


def int_header(headers, name, default=0):
    value = headers.get(name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def step_from_headers(headers):
    step = {
        "status": int_header(headers, "X-Stub-Status", 200),
        "body": headers.get("X-Stub-Body", ""),
        "delay_ms": int_header(headers, "X-Stub-Delay-Ms"),
        "chunks": int_header(headers, "X-Stub-Chunks"),
        "chunk_delay_ms": int_header(headers, "X-Stub-Chunk-Delay-Ms"),
        "stall_after": int_header(headers, "X-Stub-Stall-After", -1),
        "stall_ms": int_header(headers, "X-Stub-Stall-Ms"),
        "drop": headers.get("X-Stub-Drop", ""),
        "echo": headers.get("X-Stub-Echo") == "1",
        "close": headers.get("X-Stub-Close") == "1",
        "headers": {},
    }
    for name, value in headers.items():
        if name.lower().startswith("x-stub-set-"):
            step["headers"][name[len("x-stub-set-"):]] = value
    return step


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stubserver/1"

    def setup(self):
        super().setup()
        with LOCK:
            STATE["connections"] += 1
            self.conn_id = STATE["connections"]

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def handle_any(self):
        body_in = self.read_body()
        with LOCK:
            STATE["requests"] += 1
        if self.command == "GET" and self.path == "/_stats":
            stats = {"connections": STATE["connections"], "requests": STATE["requests"]}
            self.respond({"status": 200, "body": json.dumps(stats),
                          "headers": {"Content-Type": "application/json"}}, body_in)
            return
        seq = self.headers.get("X-Stub-Seq")
        step = next_step_from_script(seq) if seq else None
        if step is None:
            step = step_from_headers(self.headers)
        self.respond(step, body_in)

    def echo_body(self, body_in):
        return json.dumps({
            "method": self.command,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_b64": base64.b64encode(body_in).decode(),
            "connection": self.conn_id,
            "connections": STATE["connections"],
        })

    def respond(self, step, body_in):
        if step.get("delay_ms"):
            time.sleep(step["delay_ms"] / 1000.0)
        if step.get("drop") == "headers":
            self.close_now()
            return
        body = self.echo_body(body_in) if step.get("echo") else step.get("body", "")
        data = body.encode() if isinstance(body, str) else bytes(body)
        self.send_response(int(step.get("status", 200)))
        for name, value in step.get("headers", {}).items():
            self.send_header(name, str(value))
        if step.get("close"):
            self.send_header("Connection", "close")
            self.close_connection = True
        chunks = int(step.get("chunks") or 0)
        if chunks > 0:
            self.send_chunked(data, chunks, step.get("chunk_delay_ms", 0))
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        self.send_plain(data, step)

    def send_plain(self, data, step):
        if step.get("drop") == "body":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_now()
            return
        stall_after = int(step.get("stall_after", -1))
        if 0 <= stall_after < len(data):
            self.wfile.write(data[:stall_after])
            self.wfile.flush()
            time.sleep(step.get("stall_ms", 0) / 1000.0)
            data = data[stall_after:]
        self.wfile.write(data)
        self.wfile.flush()

    def send_chunked(self, data, chunks, delay_ms):
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        size = max(1, -(-len(data) // chunks))
        for i in range(0, len(data), size):
            piece = data[i:i + size]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            if delay_ms:
                time.sleep(delay_ms / 1000.0)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def close_now(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", help="JSON file with named response sequences")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    args = parser.parse_args()
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            SCRIPT.update(json.load(f))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        ctx.set_alpn_protocols(["http/1.1"])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
