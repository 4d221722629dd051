#!/usr/bin/env bash
# Installs everything the build, the tests and the appliance need on a fresh Debian machine. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

"$root/scripts/setup-mosquitto.sh"
"$root/scripts/setup-image-tools.sh"
"$root/scripts/setup-cross-arm64.sh"   # clang and Debian's arm64 cross toolchain: Native AOT for linux-arm64
"$root/scripts/setup-qemu-arm64.sh"    # qemu-aarch64-static and arm64 runtime libraries: the emulated arm64 check
"$root/scripts/setup-gpio.sh"         # libgpiod2: the panel's GPIO driver, checked on this machine's real library
"$root/scripts/setup-http-tools.sh"   # curl: the HTTP APIs' streaming framing, checked as a shell sees it

# Reference implementations and real tokenizer files for the differential tests (pinned by the lockfile).
oracles="$root/tests/oracles"
if [[ ! -f "$oracles/node_modules/.package-lock.json" ]] || ! cmp -s "$oracles/package-lock.json" "$oracles/node_modules/.package-lock.json.src" 2>/dev/null; then
  (cd "$oracles" && npm ci --silent --no-audit --no-fund)
  cp "$oracles/package-lock.json" "$oracles/node_modules/.package-lock.json.src"
fi
