#!/usr/bin/env bash
# scripts/deps.sh - make sure the Debian packages the build and tests need are installed.
# As root: installs what is missing (apt-get). Otherwise: prints the exact command and fails.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libssl-dev libcurl4-openssl-dev libjansson-dev
      libexpat1-dev libcbor-dev libevent-dev libsqlite3-dev libcmocka-dev libdeflate-dev
      zlib1g-dev curl openssl nghttp2-server)
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(wrk hyperfine time)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "deps: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
