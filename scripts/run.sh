#!/usr/bin/env bash
# Starts the appliance on its embedded defaults. Until the MQTT service lands, that means: make sure the
# ONNX Runtime library and a model are present, then answer one prompt (APPLIANCE_PROMPT) through the chat template.
# With no model configured (APPLIANCE_MODEL unset) it builds a SYNTHETIC demo model: random weights,
# not a trained model — it answers with meaningless tokens until a real model is installed (README).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup-dependencies.sh"

model="${APPLIANCE_MODEL:-}"
if [[ -z "$model" ]]; then
  model="$root/.cache/models/demo-tiny-llama"
  if [[ ! -f "$model/manifest.json" ]]; then
    echo "run: no model configured; building the synthetic demo model (random weights, NOT a trained model)"
    dotnet run --project src/Quantize -c Release -- synth --shape tiny-llama --seed 1 --out "$root/.cache/models/demo-hf"
    dotnet run --project src/Quantize -c Release -- convert "$root/.cache/models/demo-hf" "$model"
  fi
  echo "run: using the synthetic demo model at $model: its output is meaningless. To install a real one:"
  echo "       dotnet run --project src/Quantize -c Release -- convert /path/to/hf-model /path/to/out"
  echo "       APPLIANCE_MODEL=/path/to/out ./scripts/run.sh"
fi
exec dotnet run --project src/Appliance -c Release -f net10.0 -- generate --model "$model" \
  --prompt "${APPLIANCE_PROMPT:-What is the capital of France?}" --max-new-tokens 32 --temperature 0.7 --seed 1
