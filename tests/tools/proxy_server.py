#!/usr/bin/env python3
"""tests/tools/proxy_server.py - a small HTTP forward proxy (standard library only) for the
proxy tests (tests/integration/test_proxy.py).

    python3 proxy_server.py LOGFILE [--deny-connect]

Listens on 127.0.0.1 port 0 and prints the port on the first stdout line. Supports
  - CONNECT host:port   (https through the proxy): answers 200 and relays bytes both ways;
  - absolute-URI requests (GET/POST/... http://host:port/path) for plain http: forwards the
    request in origin form to host:port with the client's headers (Host unchanged, hop-by-hop
    Proxy-* headers dropped, Connection: close) and relays the answer until the origin closes.
Each handled request appends one line to LOGFILE: "<request line>\\t<Host header>" (flushed at
once, so the test can read it while the proxy runs). --deny-connect answers every CONNECT with
403 (a proxy that refuses tunnels).

Invariants: only ever connects to 127.0.0.1/localhost (anything else gets 403, so a
misdirected test can never reach the network); stopped by the PID that started it (SIGTERM);
logs no header other than Host (signed requests carry credentials in Authorization).
"""
import http.server
import select
import socket
import socketserver
import sys
import threading
import urllib.parse

ALLOWED_HOSTS = ("127.0.0.1", "localhost")
HOP_BY_HOP = ("proxy-connection", "proxy-authorization", "connection", "keep-alive")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    log_path = None
    deny_connect = False
    log_lock = threading.Lock()


def relay(a, b):
    """Copy bytes both ways between sockets a and b until either side closes."""
    socks = [a, b]
    while True:
        readable, _, broken = select.select(socks, [], socks, 60)
        if broken or not readable:
            return
        for s in readable:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            other = b if s is a else a
            try:
                other.sendall(data)
            except OSError:
                return


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the test reads LOGFILE instead
        del fmt, args

    def record(self):
        line = "%s\t%s\n" % (self.requestline, self.headers.get("Host", ""))
        with self.server.log_lock, open(self.server.log_path, "a") as f:
            f.write(line)
            f.flush()

    def refuse(self, code, why):
        body = (why + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_CONNECT(self):
        self.record()
        host, _, port = self.path.rpartition(":")
        if self.server.deny_connect or host not in ALLOWED_HOSTS or not port.isdigit():
            self.refuse(403, "tunnel refused by test proxy")
            return
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError as e:
            self.refuse(502, "cannot reach %s: %s" % (self.path, e))
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        upstream.settimeout(None)
        self.connection.settimeout(None)
        try:
            relay(self.connection, upstream)
        finally:
            upstream.close()
            self.close_connection = True

    def forward(self):
        self.record()
        u = urllib.parse.urlsplit(self.path)
        if u.scheme != "http" or u.hostname not in ALLOWED_HOSTS:
            self.refuse(403, "only absolute http://127.0.0.1 URIs are forwarded")
            return
        target = (u.path or "/") + ("?" + u.query if u.query else "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        lines = ["%s %s HTTP/1.1" % (self.command, target)]
        for name, value in self.headers.items():
            if name.lower() not in HOP_BY_HOP:
                lines.append("%s: %s" % (name, value))
        lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            upstream = socket.create_connection((u.hostname, u.port or 80), timeout=10)
        except OSError as e:
            self.refuse(502, "cannot reach %s: %s" % (u.netloc, e))
            return
        try:
            upstream.sendall(head + body)
            upstream.settimeout(60)
            while True:  # the origin closes after its answer (Connection: close)
                data = upstream.recv(65536)
                if not data:
                    break
                self.wfile.write(data)
                self.wfile.flush()
        except OSError:
            pass
        finally:
            upstream.close()
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = forward


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: proxy_server.py LOGFILE [--deny-connect]\n")
        return 2
    Server.log_path = argv[1]
    Server.deny_connect = "--deny-connect" in argv[2:]
    open(Server.log_path, "a").close()
    srv = Server(("127.0.0.1", 0), Handler)
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
