#!/usr/bin/env bash
# Publishes the appliance as a Native AOT binary, fails on any
# trim/AOT warning, and runs `generate` with it on a freshly converted synthetic tiny model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/aot"
work="$root/artifacts/aot-smoke"
rm -rf "$out" "$work"
mkdir -p "$work"

log="$work/publish.log"
if ! dotnet publish "$root/src/Appliance" -r linux-x64 -c Release -p:PublishAot=true \
     -p:TreatWarningsAsErrors=true -o "$out" --nologo >"$log" 2>&1; then
  cat "$log"; echo "aot-smoke: publish failed" >&2; exit 1
fi
if grep -E "warning (IL|CS)[0-9]+" "$log"; then
  echo "aot-smoke: trim/AOT warnings in the publish" >&2; exit 1
fi
echo "aot-smoke: native binary $(stat -c %s "$out/appliance") bytes"

dotnet run --project "$root/src/Quantize" -c Release --no-build -- synth --shape tiny-llama --seed 7 --out "$work/hf" >/dev/null
dotnet run --project "$root/src/Quantize" -c Release --no-build -- convert "$work/hf" "$work/model" >/dev/null
args=(generate --model "$work/model" --token-ids 1,2,3 --max-new-tokens 8 --greedy)
native="$("$out/appliance" "${args[@]}" 2>/dev/null)"
managed="$(dotnet run --project "$root/src/Appliance" -c Release --no-build -- "${args[@]}" 2>/dev/null)"
echo "aot-smoke: native generate -> $native; JIT generate -> $managed"
if [[ -z "$native" || "$native" != "$managed" ]]; then
  echo "aot-smoke: the native binary must print the same greedy ids as the JIT build" >&2; exit 1
fi
