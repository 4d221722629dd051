#!/usr/bin/env bash
# Prints a loopback TCP port nothing listens on (a random one from 20000-59999, checked with bash's /dev/tcp).
set -euo pipefail
for _ in $(seq 100); do
  port=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "$port"; exit 0
  fi
done
echo "free-port: no free port found in 100 tries" >&2
exit 1
