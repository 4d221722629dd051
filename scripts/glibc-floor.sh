#!/usr/bin/env bash
# Prints the oldest glibc each ELF file runs on: the newest GLIBC_x.y symbol version it references
# (objdump -T, the dynamic symbol table; works on x86-64 and AArch64 files alike), then the newest over all of them.
# usage: scripts/glibc-floor.sh FILE...   prints, e.g.:
#   artifacts/aot-arm64/appliance                    AArch64  needs glibc >= 2.34
#   artifacts/aot-arm64/libonnxruntime.so            AArch64  needs glibc >= 2.28
#   glibc floor: 2.34
set -euo pipefail
(( $# > 0 )) || { echo "usage: scripts/glibc-floor.sh FILE..." >&2; exit 2; }
floor=""
for file in "$@"; do
  [[ -f "$file" ]] || { echo "glibc-floor: $file does not exist" >&2; exit 1; }
  machine="$(readelf -h "$file" | sed -n 's/^ *Machine: *//p')"
  case "$machine" in
    "Advanced Micro Devices X86-64") machine=x86-64 ;;
  esac
  symbols="$(objdump -T "$file")" || { echo "glibc-floor: objdump -T $file failed" >&2; exit 1; }
  version="$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$symbols" | sed 's/^GLIBC_//' | sort -uV | tail -1)"
  [[ -n "$version" ]] || { echo "glibc-floor: $file references no GLIBC_ symbol version" >&2; exit 1; }
  printf '  %-48s %-8s needs glibc >= %s\n' "${file#"$PWD"/}" "$machine" "$version"
  floor="$(printf '%s\n%s\n' "$floor" "$version" | sed '/^$/d' | sort -V | tail -1)"
done
echo "glibc floor: $floor"
