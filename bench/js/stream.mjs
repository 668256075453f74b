// bench/js/stream.mjs - the JS SDK's event-stream codec on the same pipeline as
// stream_botocore.py: frames -> chunk JSON -> base64 -> Anthropic event JSON -> text.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { readFileSync } from "node:fs";

const data = readFileSync(process.argv[2]);
const codec = new EventStreamCodec(toUtf8, fromUtf8);
let best = 0;
for (let r = 0; r < 3; r++) {
  const t0 = process.hrtime.bigint();
  let nText = 0;
  // The SDK splits the byte stream into whole messages by the prelude's length (its
  // getChunkedStream), then decodes each with the codec: do the same over 16 KiB reads.
  let pending = Buffer.alloc(0);
  for (let off = 0; off < data.length; off += 16384) {
    pending = pending.length ? Buffer.concat([pending, data.subarray(off, off + 16384)])
                             : data.subarray(off, off + 16384);
    while (pending.length >= 4) {
      const total = pending.readUInt32BE(0);
      if (pending.length < total) break;
      const msg = codec.decode(pending.subarray(0, total));
      pending = pending.subarray(total);
      const chunk = JSON.parse(toUtf8(msg.body));
      const ev = JSON.parse(Buffer.from(chunk.bytes, "base64").toString("utf8"));
      if (ev.type === "content_block_delta") nText += ev.delta.text.length;
    }
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  best = Math.max(best, data.length / dt / 1e6);
}
console.log(`jssdk_stream ${best.toFixed(1)} MB/s`);
