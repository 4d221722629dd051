# Sourced by run.sh, soak.sh and hostile.sh: the synthetic demo model (random weights, NOT a trained model) with a
# 2048-token context — room for the README's prompts and the default max_tokens together. Built once, then reused.
#   demo_model TAG   sets DEMO_MODEL to the model directory (building it first, with progress on stdout, when missing)
demo_model() {
  local tag="$1" root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  DEMO_MODEL="$root/.cache/models/demo-tiny-llama-2048"
  [[ -f "$DEMO_MODEL/manifest.json" ]] && return 0
  echo "$tag: building the synthetic demo model (random weights, NOT a trained model)"
  rm -rf "$root/.cache/models/demo-hf"
  dotnet run --project "$root/src/Quantize" -c Release -- synth --shape tiny-llama --seed 1 --out "$root/.cache/models/demo-hf"
  dotnet run --project "$root/src/Quantize" -c Release -- convert "$root/.cache/models/demo-hf" "$DEMO_MODEL" --context-length 2048
}
