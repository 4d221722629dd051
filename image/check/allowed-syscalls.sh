#!/usr/bin/env bash
# Prints allowed-syscalls.h for unit-sandbox.c: the system calls image/appliance.service's SystemCallFilter= lines
# allow (the groups expanded by systemd-analyze itself), as __NR_ constants of this architecture.
set -euo pipefail
unit="${1:?usage: allowed-syscalls.sh UNIT-FILE}"

expand() {
  local line
  while read -r line; do
    case "$line" in
      ""|\#*|"$1") ;;
      @*) expand "$line" ;;
      *) echo "$line" ;;
    esac
  done < <(systemd-analyze syscall-filter "$1")
}

allow=()
deny=()
while IFS= read -r value; do
  if [[ "$value" == "~"* ]]; then
    read -ra words <<<"${value#\~}"; deny+=("${words[@]}")
  else
    read -ra words <<<"$value"; allow+=("${words[@]}")
  fi
done < <(sed -n 's/^SystemCallFilter=//p' "$unit")

names() { local item; for item in "$@"; do if [[ "$item" == @* ]]; then expand "$item"; else echo "$item"; fi; done; }
comm -23 <(names "${allow[@]}" | sort -u) <(names "${deny[@]}" | sort -u) |
  while read -r name; do printf '#ifdef __NR_%s\n__NR_%s,\n#endif\n' "$name" "$name"; done
