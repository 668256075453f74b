#!/usr/bin/env bash
# bench/emulator_load.sh - load benchmark of bedrock-emulator, side by side with moto_server.
#
# Prints `name value unit` lines:
#   emu_gci_*      GetCallerIdentity, SigV4-signed by a least-privilege IAM user (key lookup +
#                  signature check on every request), wrk -t2 -c50 --latency
#   moto_gci_*     the same call against moto_server (signed with moto's dummy key)
#   emu_invoke_*   InvokeModel (same user: IAM policy evaluation on every request)
#   stream_*       1,000 concurrent InvokeModelWithResponseStream / ConverseStream streams paced
#                  with --first-token-ms / --tokens-per-second; emulator RSS before/peak/after
# SigV4 lets a signed request be replayed within 5 minutes, so each wrk run sends one fixed
# signed request (headers from `bedrockctl sign`, set by a small inline wrk Lua script). Every
# server listens on 127.0.0.1 and is stopped by the PID we started.
# The machine has 2 cores: wrk (2 threads) and the single-threaded emulator share them.
#
# Env: BRK_BUILD_DIR (default <repo>/build), DURATION (10s), CONNS (50), STREAMS (1000),
#      SKIP_MOTO=1, SKIP_STREAMS=1, EMU_WRAP (e.g. "valgrind --leak-check=full": the
#      emulator then runs under it for a short load and its report goes to $EMU_WRAP_LOG).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BRK_BUILD_DIR:-$ROOT/build}
EMU=$BUILD/bin/bedrock-emulator
CTL=$BUILD/bin/bedrockctl
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
STREAMS=${STREAMS:-1000}
ROOT_KEY=AKIAIOSFODNN7EXAMPLE
ROOT_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
MODEL=anthropic.claude-3-5-sonnet-20240620-v1:0
MODEL_PATH=anthropic.claude-3-5-sonnet-20240620-v1%3A0

TMP=$(mktemp -d /tmp/brk-emuload.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do
        if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            kill -TERM "$p" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

for t in "$EMU" "$CTL"; do
    [ -x "$t" ] || { echo "missing $t (build bedrock-emulator and bedrockctl)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 2; }

cat > "$TMP/req.lua" <<'EOF'
-- One fixed signed request: headers from WRK_HEADERS ("Name: value" lines), body WRK_BODY.
wrk.method = "POST"
for line in io.lines(os.getenv("WRK_HEADERS")) do
  local k, v = line:match("^([^:]+):%s*(.-)%s*$")
  if k then wrk.headers[k] = v end
end
local f = io.open(os.getenv("WRK_BODY"), "rb")
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("NON2XX %d\nSOCKERR %d\n", e.status,
                         e.connect + e.read + e.write + e.timeout))
end
EOF

# start_emu NAME ARGS... : starts an emulator, sets EMU_URL and EMU_PID.
start_emu() {
    local name=$1
    shift
    rm -f "$TMP/$name.port"
    ${EMU_WRAP:-} "$EMU" --listen 127.0.0.1:0 --port-file "$TMP/$name.port" "$@" \
        >"$TMP/$name.out" 2>"$TMP/$name.err" &
    EMU_PID=$!
    PIDS+=("$EMU_PID")
    for _ in $(seq 1 300); do
        [ -s "$TMP/$name.port" ] && break
        kill -0 "$EMU_PID" 2>/dev/null || { cat "$TMP/$name.err" >&2; exit 1; }
        sleep 0.1
    done
    EMU_URL=$(cat "$TMP/$name.port")
}

stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# sign OUT URL SERVICE CONTENT_TYPE BODYFILE : headers for one replayable signed POST.
sign() {
    local out=$1 url=$2 svc=$3 ct=$4 body=$5
    "$CTL" sign --service "$svc" --method POST --header "Content-Type: $ct" \
        --data-file "$body" "$url" >"$out"
    echo "Content-Type: $ct" >>"$out"
}

# to_ms "5.88ms" -> 5.88
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
        printf "%.2f", n }'
}

# run_wrk NAME URL HEADERS BODY : prints NAME_rps / NAME_p50 / NAME_p99 / NAME_errors.
run_wrk() {
    local name=$1 url=$2 hdr=$3 body=$4
    WRK_HEADERS=$hdr WRK_BODY=$body wrk -t2 -c"$CONNS" -d"$DURATION" --latency \
        -s "$TMP/req.lua" "$url" >"$TMP/$name.wrk" 2>&1 || true
    local rps p50 p99 non2xx sockerr
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/$name.wrk")
    p50=$(awk '$1 == "50%" {print $2}' "$TMP/$name.wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$TMP/$name.wrk")
    non2xx=$(awk '/^NON2XX/ {print $2}' "$TMP/$name.wrk")
    sockerr=$(awk '/^SOCKERR/ {print $2}' "$TMP/$name.wrk")
    if [ -z "$rps" ]; then
        echo "wrk failed for $name:" >&2
        cat "$TMP/$name.wrk" >&2
        return 1
    fi
    echo "${name}_rps $rps req/s"
    echo "${name}_p50 $(to_ms "$p50") ms"
    echo "${name}_p99 $(to_ms "$p99") ms"
    echo "${name}_errors $((non2xx + sockerr)) count"
}

rss_kb() {
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true AWS_REGION=eu-central-1 AWS_DEFAULT_REGION=eu-central-1
unset AWS_PROFILE AWS_SESSION_TOKEN || true

printf '%s' 'Action=GetCallerIdentity&Version=2011-06-15' >"$TMP/gci.body"
printf '%s' '{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}' >"$TMP/invoke.body"
FORM='application/x-www-form-urlencoded; charset=utf-8'

# --- request/response load against the emulator ---
start_emu load
LOAD_PID=$EMU_PID
AWS_ACCESS_KEY_ID=$ROOT_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET \
    python3 "$HERE/emu_bench_user.py" "$EMU_URL" "$TMP/user.env"
set -a
# shellcheck disable=SC1091
. "$TMP/user.env"
set +a
echo "emu_rss_start $(rss_kb "$LOAD_PID") kB"
sign "$TMP/gci.h" "$EMU_URL/" sts "$FORM" "$TMP/gci.body"
sign "$TMP/invoke.h" "$EMU_URL/model/$MODEL_PATH/invoke" bedrock application/json \
    "$TMP/invoke.body"
# sanity: both signed requests answer 200 before we measure
for pair in "gci.h:/" "invoke.h:/model/$MODEL_PATH/invoke"; do
    h=${pair%%:*}
    path=${pair#*:}
    b=${h%.h}.body
    code=$(curl -s -o "$TMP/check.out" -w '%{http_code}' -H @"$TMP/$h" \
        --data-binary @"$TMP/$b" "$EMU_URL$path")
    [ "$code" = 200 ] || { echo "signed $h got $code: $(cat "$TMP/check.out")" >&2; exit 1; }
done
run_wrk emu_gci "$EMU_URL/" "$TMP/gci.h" "$TMP/gci.body"
run_wrk emu_invoke "$EMU_URL/model/$MODEL_PATH/invoke" "$TMP/invoke.h" "$TMP/invoke.body"
echo "emu_rss_after_load $(rss_kb "$LOAD_PID") kB"
stop_pid "$LOAD_PID"

# --- moto_server, same call ---
if [ "${SKIP_MOTO:-0}" != 1 ]; then
    MOTO=$(pyenv which moto_server 2>/dev/null || command -v moto_server || true)
    if [ -n "$MOTO" ]; then
        MPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
        "$MOTO" -H 127.0.0.1 -p "$MPORT" >"$TMP/moto.log" 2>&1 &
        MOTO_PID=$!
        PIDS+=("$MOTO_PID")
        for _ in $(seq 1 150); do
            curl -s -o /dev/null "http://127.0.0.1:$MPORT/" && break
            sleep 0.1
        done
        AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
            sign "$TMP/moto.h" "http://127.0.0.1:$MPORT/" sts "$FORM" "$TMP/gci.body"
        run_wrk moto_gci "http://127.0.0.1:$MPORT/" "$TMP/moto.h" "$TMP/gci.body"
        stop_pid "$MOTO_PID"
    else
        echo "moto_server not found; skipping the moto comparison" >&2
    fi
fi

# --- streaming concurrency ---
if [ "${SKIP_STREAMS:-0}" != 1 ]; then
    for op in invoke-with-response-stream converse-stream; do
        start_emu "stream-$op" --first-token-ms "${FIRST_TOKEN_MS:-1500}" \
            --tokens-per-second "${TOKENS_PER_SECOND:-4}"
        SPID=$EMU_PID
        AWS_ACCESS_KEY_ID=$ROOT_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET \
            python3 "$HERE/emu_bench_user.py" "$EMU_URL" "$TMP/suser.env"
        if [ "$op" = converse-stream ]; then
            printf '%s' '{"messages":[{"role":"user","content":[{"text":"Say hello"}]}],"inferenceConfig":{"maxTokens":64}}' >"$TMP/s.body"
            prefix=stream_converse
        else
            cp "$TMP/invoke.body" "$TMP/s.body"
            prefix=stream_invoke
        fi
        (
            set -a
            # shellcheck disable=SC1091
            . "$TMP/suser.env"
            set +a
            sign "$TMP/s.h" "$EMU_URL/model/$MODEL_PATH/$op" bedrock application/json \
                "$TMP/s.body"
        )
        python3 "$HERE/stream_clients.py" --url "$EMU_URL/model/$MODEL_PATH/$op" \
            --headers "$TMP/s.h" --body "$TMP/s.body" --streams "$STREAMS" --pid "$SPID" \
            --prefix "$prefix"
        stop_pid "$SPID"
    done
fi
