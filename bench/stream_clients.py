#!/usr/bin/env python3
"""bench/stream_clients.py - open N concurrent event-stream requests (InvokeModelWithResponseStream
or ConverseStream) against bedrock-emulator and measure them and the server's memory.

Each client sends the same SigV4-signed request (replayable within its 5-minute window) over
its own HTTP/1.1 connection, reads the chunked reply to its terminating chunk and walks the
event-stream frames (prelude total length) to count events. A sampler reads VmRSS of the
emulator's PID from /proc every 50 ms. Prints `name value unit` lines (prefix from --prefix):
streams ok/failed, the most streams open at once, RSS before / peak / after (kB) and per
stream, connect / first-byte / whole-stream latencies.

Invariants: connects only to the 127.0.0.1 URL given; bounded (N streams, --timeout seconds);
a failed stream is counted, never retried.
"""
import argparse
import asyncio
import statistics
import struct
import sys
import time
import urllib.parse


def read_rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


class Stats:
    def __init__(self):
        self.open_now = 0
        self.max_open = 0
        self.ok = 0
        self.failed = 0
        self.errors = {}
        self.connect_ms = []
        self.ttfb_ms = []
        self.total_ms = []
        self.events = []


async def read_chunked(reader):
    """Yields body chunks of a chunked reply until the terminating chunk."""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("eof in chunk size")
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readline()
            return
        data = await reader.readexactly(size + 2)
        yield data[:-2]


def count_frames(buf):
    """Complete event-stream messages in buf; returns (count, rest)."""
    n = 0
    while len(buf) >= 12:
        total = struct.unpack(">I", buf[:4])[0]
        if total < 16 or len(buf) < total:
            break
        buf = buf[total:]
        n += 1
    return n, buf


async def one_stream(args, host, port, path, headers, body, stats):
    t0 = time.monotonic()
    writer = None
    try:
        reader, writer = await asyncio.open_connection(host, port)
        t1 = time.monotonic()
        stats.open_now += 1
        stats.max_open = max(stats.max_open, stats.open_now)
        lines = ["POST %s HTTP/1.1" % path]
        lines += ["%s: %s" % (k, v) for k, v in headers]
        lines += ["Content-Length: %d" % len(body), "Connection: close", "", ""]
        writer.write("\r\n".join(lines).encode() + body)
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            raise ConnectionError("status %r" % status.strip())
        chunked = False
        while True:
            h = await reader.readline()
            if h in (b"\r\n", b""):
                break
            if h.lower().startswith(b"transfer-encoding:") and b"chunked" in h.lower():
                chunked = True
        if not chunked:
            raise ConnectionError("reply not chunked")
        first = None
        frames = 0
        pending = b""
        async for data in read_chunked(reader):
            if first is None:
                first = time.monotonic()
            pending += data
            n, pending = count_frames(pending)
            frames += n
        t2 = time.monotonic()
        if frames == 0 or pending:
            raise ConnectionError("incomplete event stream")
        stats.ok += 1
        stats.connect_ms.append((t1 - t0) * 1000)
        stats.ttfb_ms.append(((first or t2) - t0) * 1000)
        stats.total_ms.append((t2 - t0) * 1000)
        stats.events.append(frames)
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
        stats.failed += 1
        key = type(e).__name__ + ": " + str(e)[:60]
        stats.errors[key] = stats.errors.get(key, 0) + 1
    finally:
        if writer is not None:
            stats.open_now -= 1
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass


async def sampler(pid, stats, box, stop):
    while not stop.is_set():
        rss = read_rss_kb(pid)
        box["peak"] = max(box["peak"], rss)
        if stats.open_now >= box["target"]:
            box["at_full"] = max(box["at_full"], rss)
        try:
            await asyncio.wait_for(stop.wait(), 0.05)
        except asyncio.TimeoutError:
            pass


async def main_async(args):
    u = urllib.parse.urlsplit(args.url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("stream_clients: loopback URLs only")
    headers = []
    with open(args.headers) as f:
        for line in f:
            if ":" in line:
                k, v = line.split(":", 1)
                headers.append((k.strip(), v.strip()))
    headers.append(("Host", u.netloc))
    with open(args.body, "rb") as f:
        body = f.read()
    stats = Stats()
    box = {"peak": 0, "at_full": 0, "target": args.streams}
    before = read_rss_kb(args.pid)
    stop = asyncio.Event()
    samp = asyncio.create_task(sampler(args.pid, stats, box, stop))
    t0 = time.monotonic()
    tasks = [asyncio.create_task(one_stream(args, u.hostname, u.port, u.path, headers, body,
                                            stats)) for _ in range(args.streams)]
    done, pending = await asyncio.wait(tasks, timeout=args.timeout)
    for t in pending:
        t.cancel()
    stats.failed += len(pending)
    wall = time.monotonic() - t0
    stop.set()
    await samp
    await asyncio.sleep(1.0)
    after = read_rss_kb(args.pid)
    p = args.prefix
    n = max(1, args.streams)
    out = [
        ("%s_streams_ok" % p, stats.ok, "count"),
        ("%s_streams_failed" % p, stats.failed, "count"),
        ("%s_max_open" % p, stats.max_open, "connections"),
        ("%s_wall" % p, "%.2f" % wall, "s"),
        ("%s_rss_before" % p, before, "kB"),
        ("%s_rss_peak" % p, box["peak"], "kB"),
        ("%s_rss_all_open" % p, box["at_full"], "kB"),
        ("%s_rss_after" % p, after, "kB"),
        ("%s_rss_per_stream" % p, "%.1f" % ((box["peak"] - before) / n), "kB"),
        ("%s_connect_p99" % p, "%.1f" % pct(stats.connect_ms, 99), "ms"),
        ("%s_first_byte_p50" % p, "%.1f" % pct(stats.ttfb_ms, 50), "ms"),
        ("%s_first_byte_p99" % p, "%.1f" % pct(stats.ttfb_ms, 99), "ms"),
        ("%s_duration_p50" % p, "%.1f" % pct(stats.total_ms, 50), "ms"),
        ("%s_duration_p99" % p, "%.1f" % pct(stats.total_ms, 99), "ms"),
        ("%s_events_per_stream" % p,
         "%.1f" % (statistics.mean(stats.events) if stats.events else 0), "count"),
    ]
    for name, value, unit in out:
        print(name, value, unit)
    for k, v in sorted(stats.errors.items()):
        print("stream error x%d: %s" % (v, k), file=sys.stderr)
    return 0 if stats.failed == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--headers", required=True, help="file of signed 'Name: value' lines")
    ap.add_argument("--body", required=True)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--pid", type=int, required=True, help="emulator PID (for VmRSS)")
    ap.add_argument("--prefix", default="stream")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
