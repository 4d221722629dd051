#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine (with the .NET 10 SDK) it first installs what the
# tests need: the pinned ONNX Runtime library and the npm reference implementations. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup-dependencies.sh"

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet build Appliance.sln -c Release --nologo -v quiet
dotnet test Appliance.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@"
