#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine (with the .NET 10 SDK) it first installs what the
# tests need: the pinned ONNX Runtime library and the npm reference implementations. Idempotent.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup-dependencies.sh" || exit 1

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet build Appliance.sln -c Release --nologo -v quiet || exit 1

status=0
dotnet test Appliance.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=1

# The Native AOT proof: the published binary must build without warnings and generate on a converted model.
aot_passed=0; aot_failed=0
if "$root/scripts/aot-smoke.sh"; then aot_passed=1; else aot_failed=1; status=1; fi

passed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Passed"' | wc -l)
failed=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="Failed"' | wc -l)
skipped=$(cat "$results"/*.trx 2>/dev/null | grep -o 'outcome="NotExecuted"' | wc -l)
echo "Summary: $((passed + aot_passed)) passed, $((failed + aot_failed)) failed, $skipped skipped"
exit $status
