#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine (with the .NET 10 SDK) it first installs what the
# tests need (scripts/setup-dependencies.sh: the npm reference implementations, Mosquitto, the packaging tools, the
# arm64 cross toolchain and qemu with arm64 libraries). Idempotent.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# ONNX Runtime (and GenAI, run by the peer tests) keep usage telemetry under ~/.cache unless this is set natively.
export ORT_DISABLE_TELEMETRY=1

"$root/scripts/setup-dependencies.sh" || exit 1

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet build Appliance.sln -c Release --nologo -v quiet || exit 1

status=0
dotnet test Appliance.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=1

# The Native AOT proof: the published binary must build without warnings and generate on a converted model.
aot_passed=0; aot_failed=0
if "$root/scripts/aot-smoke.sh"; then aot_passed=1; else aot_failed=1; status=1; fi

# linux-arm64 for real: the cross-compiled Native AOT binary under qemu-aarch64-static against the x64 one (tokenize,
# greedy ids on fp32 and int4 models, `serve` over MQTT), its publish output and the glibc floor of both.
arm64_passed=0; arm64_failed=0
if "$root/scripts/arm64-check.sh" "$root/artifacts/aot/appliance"; then arm64_passed=1; else arm64_failed=1; status=1; fi

# The Debian packages, built from those binaries: both inspected (contents, control, ELF machines, Depends); the amd64
# one installed into a throw-away root, systemd-analyze verify and security, the binary and `serve` (exec -> READY=1)
# under the unit's seccomp rules, the Mosquitto drop-in, purge; the arm64 one's binary generating under qemu.
image_passed=0; image_failed=0
image_args=()
[[ -x "$root/artifacts/aot/appliance" ]] && image_args+=("$root/artifacts/aot/appliance")
[[ -x "$root/artifacts/aot-arm64/appliance" ]] && image_args+=(--arm64 "$root/artifacts/aot-arm64/appliance")
if "$root/scripts/image-check.sh" "${image_args[@]}"; then image_passed=1; else image_failed=1; status=1; fi

passed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Passed"' | wc -l)
failed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Failed"' | wc -l)
skipped=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="NotExecuted"' | wc -l)
echo "Summary: $((passed + aot_passed + arm64_passed + image_passed)) passed, $((failed + aot_failed + arm64_failed + image_failed)) failed, $skipped skipped"
exit $status
