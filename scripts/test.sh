#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine (with the .NET 10 SDK) it first installs what the
# tests need: the pinned ONNX Runtime library and the npm reference implementations. Idempotent.
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

# The Debian package, built from that binary: contents, install into a throw-away root, systemd-analyze verify and
# security, the binary and `serve` (exec -> READY=1) under the unit's seccomp rules, the Mosquitto drop-in, purge.
image_passed=0; image_failed=0
aot_binary=()
[[ -x "$root/artifacts/aot/appliance" ]] && aot_binary=("$root/artifacts/aot/appliance")
if "$root/scripts/image-check.sh" "${aot_binary[@]}"; then image_passed=1; else image_failed=1; status=1; fi

passed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Passed"' | wc -l)
failed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Failed"' | wc -l)
skipped=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="NotExecuted"' | wc -l)
echo "Summary: $((passed + aot_passed + image_passed)) passed, $((failed + aot_failed + image_failed)) failed, $skipped skipped"
exit $status
