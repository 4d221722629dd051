#!/usr/bin/env bash
# Installs libgpiod 1.x (Debian's libgpiod2, libgpiod.so.2): the native library System.Device.Gpio's LibGpiodDriver
# loads, as the .deb's Depends does on a board. Lets the tests exercise the real driver on this machine. Idempotent.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
apt_install_missing setup-gpio libgpiod2
