#!/usr/bin/env bash
# bench/run.sh - every benchmark, side by side with the peers installed here, in one run.
# Measured, never asserted. Prints a summary; raw hyperfine JSON goes to bench/results/.
#   end to end:  bedrockctl whoami vs aws sts get-caller-identity, boto3, JS SDK, curl --aws-sigv4
#                (against moto_server in auth mode); bedrockctl invoke vs aws bedrock-runtime
#                invoke-model, boto3, JS SDK (against bedrock-emulator); peak RSS of each
#   library:     SigV4 signatures/s (C vs botocore vs JS SDK); event-stream decode GB/s;
#                the whole streaming pipeline MB/s (C vs botocore vs JS SDK)
#   server:      wrk against bedrock-emulator vs moto_server (signed GetCallerIdentity)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
BIN=$B/bin
RES=bench/results
mkdir -p "$RES"
RUNS=${RUNS:-30}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

[ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund >/dev/null 2>&1) || true
MOTO=$(pyenv which moto_server 2>/dev/null || command -v moto_server)
AWS=$(pyenv which aws 2>/dev/null || command -v aws)
PY=$(pyenv which python3 2>/dev/null || command -v python3)
free_port() { "$PY" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# peak RSS (KiB -> MiB) of one run, measured by GNU time (a fork of a tiny process, unlike a
# Python parent whose own image would be counted)
peak_rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }
line() { printf '%-44s %s\n' "$1" "$2" | tee -a "$RES/summary.txt"; }
: > "$RES/summary.txt"
echo "== bench $(date -u +%FT%TZ) on $(nproc) cores: $(uname -srm)" | tee -a "$RES/summary.txt"

# ---- moto_server (auth mode) for STS ----
mport=$(free_port)
INITIAL_NO_AUTH_ACTION_COUNT=4 "$MOTO" -H 127.0.0.1 -p "$mport" >/dev/null 2>&1 & pids+=($!)
wait_port "$mport"
eval "$("$PY" bench/py/moto_admin.py "http://127.0.0.1:$mport")"
MOTO_KEY=$AWS_ACCESS_KEY_ID MOTO_SECRET=$AWS_SECRET_ACCESS_KEY
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
MURL="http://127.0.0.1:$mport"

echo "-- whoami end to end (moto_server, STS GetCallerIdentity)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$RES/whoami.json" \
  -n bedrockctl "$BIN/bedrockctl --endpoint-url $MURL whoami --output json" \
  -n curl "curl -s --aws-sigv4 aws:amz:us-east-1:sts --user $AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY -d Action=GetCallerIdentity&Version=2011-06-15 $MURL/" \
  -n aws-cli "$AWS --endpoint-url $MURL sts get-caller-identity" \
  -n boto3 "env AWS_ENDPOINT_URL=$MURL $PY bench/py/whoami_boto3.py" \
  -n js-sdk "env AWS_ENDPOINT_URL=$MURL node bench/js/whoami.mjs" >/dev/null
"$PY" - "$RES/whoami.json" <<'PYEOF' | tee -a "$RES/summary.txt"
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
base = r["bedrockctl"]
for k, v in r.items():
    print(f"whoami {k:<12} {v*1000:8.1f} ms   ({v/base:6.1f}x bedrockctl)")
PYEOF
for c in "bedrockctl:$BIN/bedrockctl --endpoint-url $MURL whoami" "aws-cli:$AWS --endpoint-url $MURL sts get-caller-identity" \
         "boto3:$PY bench/py/whoami_boto3.py" "curl:curl -s --aws-sigv4 aws:amz:us-east-1:sts --user $AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY -d Action=GetCallerIdentity&Version=2011-06-15 $MURL/"; do
  name=${c%%:*}; cmd=${c#*:}
  # shellcheck disable=SC2086
  line "peak RSS whoami $name" "$(AWS_ENDPOINT_URL=$MURL peak_rss $cmd) MiB"
done

# ---- bedrock-emulator for the runtime ----
if [ -x "$BIN/bedrock-emulator" ]; then
  "$BIN/bedrock-emulator" --listen 127.0.0.1:0 --port-file "$tmp/emu.url" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/emu.url" ] && break; sleep 0.05; done
  EURL=$(head -1 "$tmp/emu.url")
  export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  export AWS_REGION=eu-central-1 AWS_DEFAULT_REGION=eu-central-1 NODE_NO_WARNINGS=1
  body='{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": "Say hello"}]}'
  echo "-- invoke end to end (bedrock-emulator, InvokeModel)"
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$RES/invoke.json" \
    -n bedrockctl "$BIN/bedrockctl --endpoint-url $EURL invoke --model anthropic.claude-3-5-sonnet-20240620-v1:0 --body '$body' $tmp/out1.json" \
    -n aws-cli "$AWS --endpoint-url $EURL bedrock-runtime invoke-model --model-id anthropic.claude-3-5-sonnet-20240620-v1:0 --body '$body' $tmp/out2.json" \
    -n boto3 "env AWS_ENDPOINT_URL=$EURL $PY bench/py/invoke_boto3.py" \
    -n js-sdk "env AWS_ENDPOINT_URL=$EURL node bench/js/invoke.mjs" >/dev/null
  "$PY" - "$RES/invoke.json" <<'PYEOF' | tee -a "$RES/summary.txt"
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
base = r["bedrockctl"]
for k, v in r.items():
    print(f"invoke {k:<12} {v*1000:8.1f} ms   ({v/base:6.1f}x bedrockctl)")
PYEOF
  line "peak RSS invoke bedrockctl" "$(peak_rss "$BIN/bedrockctl" --endpoint-url "$EURL" invoke --model anthropic.claude-3-5-sonnet-20240620-v1:0 --body "$body" "$tmp/o.json") MiB"
  line "peak RSS invoke aws-cli" "$(peak_rss "$AWS" --endpoint-url "$EURL" bedrock-runtime invoke-model --model-id anthropic.claude-3-5-sonnet-20240620-v1:0 --body "$body" "$tmp/o2.json") MiB"

  echo "-- servers under load (wrk, 2 threads, 50 connections, 10 s, same signed GetCallerIdentity)"
  for target in emulator moto; do
    if [ $target = emulator ]; then
      url=$EURL; key=AKIAIOSFODNN7EXAMPLE; sec=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; reg=eu-central-1
    else
      url=$MURL; key=$MOTO_KEY; sec=$MOTO_SECRET; reg=us-east-1
    fi
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$sec "$BIN/bedrockctl" sign --method POST --service sts --region $reg \
      --header 'Content-Type: application/x-www-form-urlencoded' --data 'Action=GetCallerIdentity&Version=2011-06-15' "$url/" > "$tmp/h.txt"
    "$PY" - "$tmp/h.txt" > "$tmp/wrk.lua" <<'PYEOF'
import sys
hdrs = [l.rstrip("\n").split(": ", 1) for l in open(sys.argv[1]) if ": " in l]
print('wrk.method = "POST"')
print('wrk.body = "Action=GetCallerIdentity&Version=2011-06-15"')
print('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
for k, v in hdrs:
    print(f'wrk.headers["{k}"] = "{v}"')
PYEOF
    wrk -t2 -c50 -d10s --latency -s "$tmp/wrk.lua" "$url/" > "$RES/wrk-$target.txt" 2>&1 || true
    line "wrk $target req/s" "$(awk '/Requests\/sec/ {print $2}' "$RES/wrk-$target.txt")"
    line "wrk $target p99" "$(awk '/ 99%/ {print $2}' "$RES/wrk-$target.txt")"
    line "wrk $target non-2xx" "$(awk '/Non-2xx/ {print $4}' "$RES/wrk-$target.txt")"
  done
fi

echo "-- library"
for b in bench_sign bench_eventstream bench_stream_pipeline; do
  for d in "$BIN" "$B/bench"; do
    if [ -x "$d/$b" ]; then "$d/$b" | tee -a "$RES/summary.txt"; break; fi
  done
done
"$PY" bench/py/sign_botocore.py | tee -a "$RES/summary.txt"
node bench/js/sign.mjs | tee -a "$RES/summary.txt"
"$PY" bench/py/make_stream.py "$tmp/stream.bin" 32 >/dev/null
"$PY" bench/py/stream_botocore.py "$tmp/stream.bin" | tee -a "$RES/summary.txt"
node bench/js/stream.mjs "$tmp/stream.bin" | tee -a "$RES/summary.txt"
echo "summary: $RES/summary.txt"
