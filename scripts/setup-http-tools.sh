#!/usr/bin/env bash
# Installs curl: the HTTP API tests check the SSE and NDJSON framing with it, as a user's shell would see it. Idempotent.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-http-tools curl
