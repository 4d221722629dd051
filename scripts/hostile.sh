#!/usr/bin/env bash
# Careless and hostile clients against the real service (manual, outside CI), on the SYNTHETIC demo model (random
# weights, real engine) behind a private Mosquitto:
#   ./scripts/hostile.sh bad-input [--count 2000]              malformed requests over MQTT 5 and 3.1.1: one error each?
#   ./scripts/hostile.sh flood [--flood 20000] [--quiet 200]   one client floods, another asks: the quiet one's latency
# Add --model DIR after the scenario to use another model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup-mosquitto.sh"

scenario="${1:?usage: scripts/hostile.sh bad-input|flood [options]}"
shift
if [[ "${1:-}" == "--model" ]]; then
  model="$2"
  shift 2
else
  source "$root/scripts/lib/demo-model.sh"
  demo_model hostile
  model="$DEMO_MODEL"
fi

echo "hostile: building the appliance and the tool"
dotnet build tests/Hostile -c Release --nologo -v quiet >/dev/null
tool_dll="$(dotnet msbuild tests/Hostile -getProperty:TargetPath -p:Configuration=Release)"

exec dotnet "$tool_dll" "$scenario" --model "$model" "$@"
