#!/usr/bin/env bash
# Measures the time from exec to READY=1 of `appliance serve`, the way systemd sees a Type=notify start:
# image/check/notify-wait.c plays systemd's NOTIFY_SOCKET, a private Mosquitto on a free loopback port the broker.
# usage: scripts/ready-time.sh [BINARY] [MODEL-DIR] [RUNS] [SERVE-OPTIONS...]
#   defaults: artifacts/aot/appliance, the model of image/appliance.json, 3 runs; e.g. --no-verify skips the SHA-256 check.
# Prints one line per run and the median. A manual measurement, not part of the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/artifacts/aot/appliance}"
model="${2:-}"
runs="${3:-3}"
shift $(( $# < 3 ? $# : 3 ))
[[ -x "$binary" ]] || { echo "ready-time: $binary is not an executable (publish with scripts/aot-smoke.sh)" >&2; exit 1; }

work="$(mktemp -d)"
gcc -O2 -Wall -Wextra -Werror -o "$work/notify-wait" "$root/image/check/notify-wait.c"
port="$("$root/scripts/free-port.sh")"
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$work/mosquitto.conf"
"$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker=$!
trap 'kill "$broker" 2>/dev/null || true; rm -rf "$work"' EXIT

args=(serve --broker "mqtt://127.0.0.1:$port" --device-id ready-time --no-discovery)
[[ -n "$model" ]] && args+=(--model "$model")
args+=("$@")
times=()
for run in $(seq "$runs"); do
  ms="$("$work/notify-wait" 300 "$binary" "${args[@]}" 2>"$work/serve.log")" || { cat "$work/serve.log"; echo "ready-time: run $run failed" >&2; exit 1; }
  echo "run $run: exec -> READY=1 in $ms ms"
  times+=("$ms")
done
median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "median: $median ms (${model:-model from the config}${*:+, $*})"
