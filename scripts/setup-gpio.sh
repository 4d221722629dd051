#!/usr/bin/env bash
# Installs libgpiod 1.x (Debian's libgpiod2, libgpiod.so.2): the native library System.Device.Gpio's LibGpiodDriver
# loads, as the .deb's Depends does on a board. Lets the tests exercise the real driver on this machine. Idempotent.
set -euo pipefail

if ! dpkg-query -W -f='${Status}' libgpiod2 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgpiod2 >/dev/null
fi
