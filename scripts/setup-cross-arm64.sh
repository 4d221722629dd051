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

packages=(clang binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if (( ${#missing[@]} > 0 )); then
  install_packages() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  if ! install_packages; then
    # The package lists may be missing or stale on a fresh image: refresh once, then retry.
    apt-get update -qq
    install_packages
  fi
  echo "setup-cross-arm64: installed ${missing[*]}"
fi

for tool in clang aarch64-linux-gnu-ld.bfd aarch64-linux-gnu-objcopy; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-cross-arm64: $tool not found after installation" >&2
    exit 1
  fi
done
