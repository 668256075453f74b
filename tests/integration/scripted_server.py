"""tests/integration/scripted_server.py - a tiny HTTP/1.1 server on 127.0.0.1 that answers
requests from a script, for the call layer's retry/auth/stream tests (test_call.c).

The script file (JSON list of responses) is re-read on every request; when its content changes
the position and the request log restart. Each response: {"status": 200, "headers": {...},
"body": "text" | "body_b64": "...", "drop_after": N (send N body bytes of a longer declared
body, then close), "delay_ms": N}. After the last entry the last one repeats. Every request is
appended to the log file as one JSON line {method, path, headers, body}.
Usage: scripted_server.py --port-file F --script S --log L   (port 0: the OS picks)
"""
import base64
import http.server
import json
import os
import sys
import time

ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
STATE = {"text": None, "pos": 0}


def next_response():
    try:
        with open(ARGS["--script"]) as f:
            text = f.read()
    except OSError:
        text = "[]"
    if text != STATE["text"]:
        STATE["text"], STATE["pos"] = text, 0
        open(ARGS["--log"], "w").close()
    script = json.loads(text or "[]") or [{"status": 500, "body": "no script"}]
    r = script[min(STATE["pos"], len(script) - 1)]
    STATE["pos"] += 1
    return r


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        r = next_response()
        with open(ARGS["--log"], "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                                "headers": {k.lower(): v for k, v in self.headers.items()},
                                "body": body.decode("utf-8", "replace")}) + "\n")
        if r.get("delay_ms"):
            time.sleep(r["delay_ms"] / 1000.0)
        data = base64.b64decode(r["body_b64"]) if "body_b64" in r else r.get("body", "").encode()
        self.send_response(r.get("status", 200))
        for k, v in r.get("headers", {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if "drop_after" in r:
            self.wfile.write(data[:r["drop_after"]])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


def main():
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    tmp = ARGS["--port-file"] + ".tmp"
    with open(tmp, "w") as f:
        f.write("http://127.0.0.1:%d\n" % srv.server_address[1])
    os.rename(tmp, ARGS["--port-file"])
    srv.serve_forever()


if __name__ == "__main__":
    main()
