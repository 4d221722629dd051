#!/usr/bin/env bash
# The soak test (manual, outside CI): 10,000 requests through a real Mosquitto from several MQTT 5 clients to the real
# `appliance serve` running the SYNTHETIC tiny demo model (random weights, real engine: every request prefills its
# prompt and decodes --max-tokens tokens through ONNX Runtime). The broker is killed and restarted once halfway.
# Prints: requests sent, answered (by outcome), lost, duplicated, p50/p99 latency, broker-restart recovery time.
# Arguments go to the soak tool (tests/Soak): --requests N --clients N --max-tokens N --request-timeout-seconds N,
# and --model DIR to soak another model (default: the demo model run.sh builds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup-mosquitto.sh"

source "$root/scripts/lib/demo-model.sh"
demo_model soak
model="$DEMO_MODEL"

echo "soak: building the appliance and the soak tool"
dotnet build tests/Soak -c Release --nologo -v quiet >/dev/null
soak_dll="$(dotnet msbuild tests/Soak -getProperty:TargetPath -p:Configuration=Release)"

exec dotnet "$soak_dll" --model "$model" "$@"
