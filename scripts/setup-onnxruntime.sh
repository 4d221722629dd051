#!/usr/bin/env bash
# Installs the pinned ONNX Runtime native library (linux x64 and arm64) into the repo cache.
# Source: the npm package onnxruntime-node, whose tarball ships libonnxruntime.so.1 for both
# architectures. Idempotent, and offline once the cache is filled.
set -euo pipefail

ORT_VERSION="1.30.0"
ORT_TARBALL_SHA256="6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/onnxruntime/$ORT_VERSION"
stamp="$cache/.complete"

if [[ -f "$stamp" ]]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "setup-onnxruntime: npm not found; installing Debian's nodejs and npm" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null)
tarball="$work/onnxruntime-node-$ORT_VERSION.tgz"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [[ "$actual" != "$ORT_TARBALL_SHA256" ]]; then
  echo "setup-onnxruntime: SHA-256 mismatch for onnxruntime-node@$ORT_VERSION" >&2
  echo "  expected $ORT_TARBALL_SHA256" >&2
  echo "  actual   $actual" >&2
  exit 1
fi

for arch in x64 arm64; do
  member="package/bin/napi-v6/linux/$arch/libonnxruntime.so.1"
  tar -xzf "$tarball" -C "$work" "$member"
  mkdir -p "$cache/linux-$arch"
  install -m 0644 "$work/$member" "$cache/linux-$arch/libonnxruntime.so.1"
done
tar -xzf "$tarball" -C "$work" package/LICENSE 2>/dev/null && install -m 0644 "$work/package/LICENSE" "$cache/LICENSE" || true
touch "$stamp"
echo "setup-onnxruntime: ONNX Runtime $ORT_VERSION cached in $cache"
