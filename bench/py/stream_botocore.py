#!/usr/bin/env python3
"""bench/py/stream_botocore.py - the full streaming pipeline in botocore: EventStreamBuffer
frames -> chunk JSON -> base64 -> Anthropic event JSON -> text. Prints `botocore_stream MB/s`.
Usage: stream_botocore.py STREAM_FILE"""
import base64, json, sys, time
from botocore.eventstream import EventStreamBuffer

data = open(sys.argv[1], "rb").read()
best = 0.0
for _ in range(3):
    t0 = time.perf_counter()
    buf = EventStreamBuffer()
    n_text = 0
    for off in range(0, len(data), 16384):
        buf.add_data(data[off:off + 16384])
        for msg in buf:
            ev = json.loads(base64.b64decode(json.loads(msg.payload)["bytes"]))
            if ev["type"] == "content_block_delta":
                n_text += len(ev["delta"]["text"])
    dt = time.perf_counter() - t0
    best = max(best, len(data) / dt / 1e6)
print(f"botocore_stream {best:.1f} MB/s")
