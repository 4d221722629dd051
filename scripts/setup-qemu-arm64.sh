#!/usr/bin/env bash
# Installs what running the linux-arm64 binaries under emulation needs on an x64 Debian machine (scripts/arm64-check.sh):
#   qemu-user-static   qemu-aarch64-static, called directly (no binfmt_misc registration needed, so it works in containers)
#   arm64 as a dpkg foreign architecture, and from it the shared libraries the arm64 binaries load, in
#   /lib/aarch64-linux-gnu with the loader at /lib/ld-linux-aarch64.so.1, where the binaries look for them:
#     libc6:arm64       libc, libm, libdl, librt, libpthread and the loader (the appliance and ONNX Runtime)
#     libstdc++6:arm64  libstdc++ and libgcc_s (ONNX Runtime)
#     libssl3:arm64     libssl/libcrypto, which .NET loads at run time (SHA-256 of the model files, TLS)
# Idempotent; apt-get update only when something is missing.
set -euo pipefail

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  echo "setup-qemu-arm64: added arm64 as a dpkg foreign architecture"
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-qemu-arm64 qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64

if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
  echo "setup-qemu-arm64: qemu-aarch64-static not found after installation" >&2
  exit 1
fi
if [[ ! -e /lib/ld-linux-aarch64.so.1 ]]; then
  echo "setup-qemu-arm64: the arm64 loader /lib/ld-linux-aarch64.so.1 is missing after installation" >&2
  exit 1
fi
