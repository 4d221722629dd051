#!/usr/bin/env bash
# Installs the Debian tools the telemetry and image checks need. Idempotent and quiet when all are present:
#   prometheus  -> promtool, which validates our Prometheus text exposition
#   systemd     -> systemd-analyze (verify + security --offline) on image/appliance.service
#   dpkg-dev, fakeroot -> building and inspecting the .deb
#   gcc, libc6-dev -> image/check/*.c (the unit's seccomp rules, the notify socket); Native AOT links with them too
# The prometheus service the package ships is kept from starting (policy-rc.d) and left disabled.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-image-tools --no-start prometheus systemd dpkg-dev fakeroot gcc libc6-dev
if (( ${#APT_INSTALLED[@]} > 0 )) && command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi

for tool in promtool systemd-analyze dpkg-deb fakeroot gcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-image-tools: $tool not found after installation" >&2
    exit 1
  fi
done
