#!/usr/bin/env bash
# Installs what cross-compiling the appliance to linux-arm64 with Native AOT needs on an x64 Debian 12 machine,
# so that `dotnet publish src/Appliance -r linux-arm64 -c Release -p:PublishAot=true` works as it is
# (build/CrossArm64.props picks clang and the cross objcopy). Idempotent; apt-get update only when something is missing.
#   clang                       the linker driver (ILCompiler passes it the aarch64-linux-gnu target; gcc refuses that)
#   binutils-aarch64-linux-gnu  aarch64-linux-gnu-ld.bfd (ILCompiler's default linker flavour) and -objcopy (symbol split)
#   libc6-dev-arm64-cross       arm64 glibc: crt1.o, libc/libm/libdl/librt/libpthread to link against
#   libgcc-12-dev-arm64-cross   arm64 crtbeginS.o and libgcc, where clang finds the cross GCC installation
# The .NET side (the arm64 ILCompiler and runtime packs, ONNX Runtime's arm64 library) comes with `dotnet restore`.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-cross-arm64 clang binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross

for tool in clang aarch64-linux-gnu-ld.bfd aarch64-linux-gnu-objcopy; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-cross-arm64: $tool not found after installation" >&2
    exit 1
  fi
done
