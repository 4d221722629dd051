#!/usr/bin/env bash
# Installs the Debian tools the telemetry and image checks need. Idempotent and quiet when all are present:
#   prometheus  -> promtool, which validates our Prometheus text exposition
#   systemd     -> systemd-analyze (verify + security --offline) on image/appliance.service
#   dpkg-dev, fakeroot -> building and inspecting the .deb
#   gcc, libc6-dev -> image/check/*.c (the unit's seccomp rules, the notify socket); Native AOT links with them too
# The prometheus service the package ships is kept from starting (policy-rc.d) and left disabled.
set -euo pipefail

packages=(prometheus systemd dpkg-dev fakeroot gcc libc6-dev)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if (( ${#missing[@]} > 0 )); then
  # policy-rc.d exit code 101 tells invoke-rc.d not to start services during installation.
  policy="/usr/sbin/policy-rc.d"
  own_policy=false
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=true
  fi
  cleanup() { if [[ "$own_policy" == true ]]; then rm -f "$policy"; fi; }
  trap cleanup EXIT

  install_packages() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  if ! install_packages; then
    # The package lists may be missing or stale on a fresh image: refresh once, then retry.
    apt-get update -qq
    install_packages
  fi
  echo "setup-image-tools: installed ${missing[*]}"
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi

for tool in promtool systemd-analyze dpkg-deb fakeroot gcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-image-tools: $tool not found after installation" >&2
    exit 1
  fi
done
