#!/usr/bin/env bash
# Installs Debian's Mosquitto broker and clients for the MQTT integration tests. Idempotent.
# The system service is left stopped and disabled: each test class starts its own broker on a free
# loopback port with a generated config, so a system broker on 1883 would only get in the way.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-mosquitto --no-start mosquitto mosquitto-clients

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
