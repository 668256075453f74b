#!/usr/bin/env python3
"""bench/py/make_stream.py - write a synthetic InvokeModelWithResponseStream body (real
event-stream framing, Anthropic Messages events inside `chunk` frames, `p` padding) of about
SIZE MiB to PATH, so every peer decodes the very same bytes.  Usage: make_stream.py PATH [SIZE_MIB]
"""
import base64, json, struct, sys, zlib

def header(name, value):
    n = name.encode(); v = value.encode()
    return bytes([len(n)]) + n + b"\x07" + struct.pack(">H", len(v)) + v

def frame(payload):
    hdrs = header(":event-type", "chunk") + header(":content-type", "application/json") + \
        header(":message-type", "event")
    total = 16 + len(hdrs) + len(payload)
    prelude = struct.pack(">II", total, len(hdrs))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + hdrs + payload
    return body + struct.pack(">I", zlib.crc32(body))

PAD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

def chunk(event, i):
    b = base64.b64encode(json.dumps(event, separators=(",", ":")).encode()).decode()
    return frame(json.dumps({"bytes": b, "p": PAD[: 1 + i % 40]}, separators=(",", ":")).encode())

def main():
    path = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    words = "the quick brown fox jumps over the lazy dog and keeps running far away".split()
    out = bytearray()
    out += chunk({"type": "message_start", "message": {"id": "msg_bench", "type": "message",
                  "role": "assistant", "model": "claude-3-5-sonnet-20240620", "content": [],
                  "stop_reason": None, "usage": {"input_tokens": 12, "output_tokens": 1}}}, 0)
    out += chunk({"type": "content_block_start", "index": 0,
                  "content_block": {"type": "text", "text": ""}}, 1)
    i = 0
    while len(out) < size * 1024 * 1024:
        text = " ".join(words[(i + k) % len(words)] for k in range(1 + i % 6)) + " "
        out += chunk({"type": "content_block_delta", "index": 0,
                      "delta": {"type": "text_delta", "text": text}}, i)
        i += 1
    out += chunk({"type": "content_block_stop", "index": 0}, 2)
    out += chunk({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                  "usage": {"output_tokens": i}}, 3)
    out += chunk({"type": "message_stop", "amazon-bedrock-invocationMetrics": {
        "inputTokenCount": 12, "outputTokenCount": i, "invocationLatency": 1000,
        "firstByteLatency": 100}}, 4)
    with open(path, "wb") as f:
        f.write(out)
    print(f"{path}: {len(out)} bytes, {i} deltas")

if __name__ == "__main__":
    main()
