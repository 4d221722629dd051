#!/usr/bin/env bash
# Installs Debian's Mosquitto broker and clients for the MQTT integration tests. Idempotent.
# The system service is left stopped and disabled: each test class starts its own broker on a free
# loopback port with a generated config, so a system broker on 1883 would only get in the way.
set -euo pipefail

packages=(mosquitto mosquitto-clients)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if (( ${#missing[@]} > 0 )); then
  # policy-rc.d exit code 101 tells invoke-rc.d not to start the service during installation.
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
  echo "setup-mosquitto: installed ${missing[*]}"
fi

# Keep the system broker out of the way if systemd manages services here (no-op in containers without it).
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now mosquitto.service >/dev/null 2>&1 || true
fi

for tool in mosquitto mosquitto_passwd; do
  if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x "/usr/sbin/$tool" ]]; then
    echo "setup-mosquitto: $tool not found after installation" >&2
    exit 1
  fi
done
