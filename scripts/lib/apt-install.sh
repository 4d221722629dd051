# Sourced by the setup scripts: installs the Debian packages that are missing, and only those.
#   apt_install_missing TAG [--no-start] PACKAGE...
# --no-start keeps the packages' services from starting during installation (policy-rc.d answers 101).
# The package lists may be missing or stale on a fresh image (or a newly added architecture has none): when an
# install fails, refresh them once and retry. Sets APT_INSTALLED to what it installed.
apt_install_missing() {
  local tag="$1"; shift
  local no_start=false
  if [[ "${1:-}" == --no-start ]]; then no_start=true; shift; fi
  APT_INSTALLED=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      APT_INSTALLED+=("$package")
    fi
  done
  (( ${#APT_INSTALLED[@]} > 0 )) || return 0

  local policy="/usr/sbin/policy-rc.d" own_policy=false
  if [[ "$no_start" == true && ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=true
  fi
  local status=0
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_INSTALLED[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_INSTALLED[@]}" >/dev/null || status=$?
  fi
  if [[ "$own_policy" == true ]]; then rm -f "$policy"; fi
  (( status == 0 )) || return "$status"
  echo "$tag: installed ${APT_INSTALLED[*]}"
}
