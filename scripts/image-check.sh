#!/usr/bin/env bash
# Builds the amd64 and arm64 .debs and checks them the way a board would take them:
#   1. dpkg-deb, both packages: the files, the conffiles, the control fields (Architecture, Depends against the
#      binaries' glibc floor) and the maintainer scripts, and every ELF file's machine;
#   the amd64 package then goes on:
#   2. an install into a throw-away root (dpkg --root, scripts run chrootless with $DPKG_ROOT): the appliance user
#      in the gpio group, its state directory, the enabled unit;
#   3. systemd-analyze verify on the installed unit (binary resolvable in that root) and
#      systemd-analyze security --offline=true on image/appliance.service (exposure must be <= 2.0);
#   4. the installed binary answering a prompt as an unprivileged user under the unit's seccomp rules
#      (MemoryDenyWriteExecute and SystemCallFilter, image/check/unit-sandbox.c), with the repository's ONNX Runtime
#      cache hidden so the packaged library must load;
#   5. the Mosquitto drop-in on a real broker, and `appliance serve` from the root reaching READY=1 against it under
#      the same restrictions (exec-to-READY printed); 6. purge.
#   7. the arm64 package's binary generating the same ids as the amd64 one, with the packaged ONNX Runtime, under
#      qemu-aarch64-static (the install, systemd and seccomp parts stay amd64-only: they test the package's scripts
#      and the unit, which are the same files for both, and seccomp under an emulator would filter qemu's calls).
# usage: scripts/image-check.sh [AMD64-AOT-BINARY] [--arm64 ARM64-AOT-BINARY]
#   (default: image/build.sh publishes each; scripts/test.sh passes artifacts/aot/appliance and artifacts/aot-arm64/appliance)
# APPLIANCE_IMAGE_CONFIG overrides the default config file packaged (image/appliance.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup-image-tools.sh"
"$root/scripts/setup-qemu-arm64.sh"

fail() { echo "image-check: $*" >&2; exit 1; }
amd64_binary="" arm64_binary=""
while (( $# > 0 )); do
  case "$1" in
    --arm64) arm64_binary="${2:?--arm64 needs a binary}"; shift 2 ;;
    -*) fail "unknown option $1 (usage: scripts/image-check.sh [AMD64-AOT-BINARY] [--arm64 ARM64-AOT-BINARY])" ;;
    *) amd64_binary="$1"; shift ;;
  esac
done
work="$root/artifacts/image-check"
rm -rf "$work"
mkdir -p "$work"

# --- build -------------------------------------------------------------------------------------------------
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/Appliance/Appliance.csproj)"
for arch in amd64 arm64; do
  build_args=(--arch "$arch")
  binary_var="${arch}_binary"
  [[ -n "${!binary_var}" ]] && build_args+=(--binary "${!binary_var}")
  [[ -n "${APPLIANCE_IMAGE_CONFIG:-}" ]] && build_args+=(--config "$APPLIANCE_IMAGE_CONFIG")
  "$root/image/build.sh" "${build_args[@]}"
done
deb="$root/image/out/appliance_${version}_amd64.deb"
arm64_deb="$root/image/out/appliance_${version}_arm64.deb"

# --- 1. inspect (both architectures) -------------------------------------------------------------------------
# inspect DEB ARCH MACHINE: the files, conffiles, maintainer scripts and control fields, and the ELF files' machine.
inspect() {
  local deb="$1" arch="$2" machine="$3" contents expected script depends glibc tree elf
  contents="$(dpkg-deb --contents "$deb" | awk '{ line = $1 " " $2 " " $6; if ($7 == "->") line = line " -> " $8; print line }')"
  for expected in \
    "-rwxr-xr-x root/root ./usr/lib/appliance/appliance" \
    "-rw-r--r-- root/root ./usr/lib/appliance/libonnxruntime.so" \
    "lrwxrwxrwx root/root ./usr/bin/appliance -> ../lib/appliance/appliance" \
    "-rw-r--r-- root/root ./etc/appliance/appliance.json" \
    "-rw-r--r-- root/root ./etc/mosquitto/conf.d/appliance.conf" \
    "-rw-r--r-- root/root ./usr/lib/systemd/system/appliance.service" \
    "-rw-r--r-- root/root ./usr/lib/sysusers.d/appliance.conf" \
    "-rw-r--r-- root/root ./usr/lib/tmpfiles.d/appliance.conf" \
    "-rw-r--r-- root/root ./usr/lib/udev/rules.d/60-appliance-gpio.rules" \
    "-rw-r--r-- root/root ./usr/share/doc/appliance/copyright"; do
    grep -qxF -- "$expected" <<<"$contents" || fail "the $arch package lacks: $expected"
  done
  [[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" == $'/etc/appliance/appliance.json\n/etc/mosquitto/conf.d/appliance.conf' ]] \
    || fail "$arch: conffiles must be exactly /etc/appliance/appliance.json and /etc/mosquitto/conf.d/appliance.conf"
  for script in postinst prerm postrm; do
    dpkg-deb --ctrl-tarfile "$deb" | tar -tv "./$script" | grep -q '^-rwxr-xr-x' || fail "$arch: maintainer script $script missing or not executable"
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO "./$script" | sh -n || fail "$arch: maintainer script $script does not parse"
  done
  [[ "$(dpkg-deb --field "$deb" Architecture)" == "$arch" ]] || fail "Architecture of $deb is not $arch"
  [[ "$(dpkg-deb --field "$deb" Recommends)" == mosquitto ]] || fail "$arch: Recommends is not mosquitto"
  # Every ELF file in the package is for the package's architecture; Depends names the glibc they need.
  tree="$work/contents-$arch"
  rm -rf "$tree" && mkdir -p "$tree" && dpkg-deb -x "$deb" "$tree"
  while IFS= read -r -d '' elf; do
    readelf -h "$elf" 2>/dev/null | grep -q "Machine: *$machine\$" || fail "$arch: ${elf#"$tree"} is not a $machine ELF file"
  done < <(find "$tree" -type f -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' sh {} \; -print0)
  glibc="$("$root/scripts/glibc-floor.sh" "$tree/usr/lib/appliance/appliance" "$tree/usr/lib/appliance/libonnxruntime.so" | sed -n 's/^glibc floor: //p')"
  depends="$(dpkg-deb --field "$deb" Depends)"
  [[ "$depends" == "libc6 (>= $glibc), libstdc++6, libgcc-s1, libssl3 | libssl3t64, systemd, libgpiod2" ]] \
    || fail "$arch: Depends is '$depends', expected libc6 (>= $glibc) (the binaries' glibc floor), libstdc++6, libgcc-s1 (ONNX Runtime), libssl3 | libssl3t64 (.NET's crypto), systemd, libgpiod2 (the panel's GPIO driver)"
  echo "image-check: $arch package: files, conffiles, control and maintainer scripts as expected;" \
    "$(find "$tree" -type f -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' sh {} \; -print | wc -l) ELF files, all $machine; Depends: $depends"
}
inspect "$deb" amd64 "Advanced Micro Devices X86-64"
inspect "$arm64_deb" arm64 AArch64

# --- 2. install into a throw-away root -------------------------------------------------------------------------
target="$work/root"
mkdir -p "$target/var/lib/dpkg/info" "$target/var/lib/dpkg/updates" "$target/etc" "$target/usr/lib/systemd"
touch "$target/var/lib/dpkg/status" "$target/var/lib/dpkg/available"
# A root that looks like a Debian system: its users and groups, and systemd's own units for `verify`.
cp /etc/passwd /etc/group /etc/shadow /etc/gshadow "$target/etc/"
cp -a /usr/lib/systemd/system "$target/usr/lib/systemd/"
dpkg_root() { dpkg --root="$target" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
dpkg_root --install "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg --root --install failed"; }

grep -q '^appliance:x:[0-9]*:[0-9]*:Edge LLM appliance:/var/lib/appliance:/usr/sbin/nologin$' "$target/etc/passwd" || fail "no appliance user"
grep -Eq '^gpio:x:[0-9]+:(.*,)?appliance(,.*)?$' "$target/etc/group" || fail "appliance is not in the gpio group"
uid="$(sed -n 's/^appliance:x:\([0-9]*\):.*/\1/p' "$target/etc/passwd")"
[[ "$(stat -c '%a %u' "$target/var/lib/appliance")" == "750 $uid" ]] || fail "/var/lib/appliance is not 0750 appliance"
[[ "$(stat -c '%a %u' "$target/var/lib/appliance/models")" == "755 $uid" ]] || fail "/var/lib/appliance/models is not 0755 appliance"
[[ -L "$target/etc/systemd/system/multi-user.target.wants/appliance.service" ]] || fail "the unit is not enabled"
cmp -s "$target/etc/appliance/appliance.json" "${APPLIANCE_IMAGE_CONFIG:-$root/image/appliance.json}" || fail "the installed config differs"
echo "image-check: installed into a throw-away root: appliance user (uid $uid) in gpio, /var/lib/appliance/models, unit enabled"

# --- 3. systemd-analyze ----------------------------------------------------------------------------------------
verify="$(systemd-analyze verify --root="$target" appliance.service 2>&1)" || fail "systemd-analyze verify failed: $verify"
[[ -z "$verify" ]] || fail "systemd-analyze verify complained: $verify"
security="$(systemd-analyze security --offline=true "$root/image/appliance.service" 2>&1)" || true
score="$(sed -n 's/.*Overall exposure level for appliance.service: \([0-9.]*\).*/\1/p' <<<"$security")"
[[ -n "$score" ]] || { echo "$security"; fail "systemd-analyze security printed no exposure level"; }
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { echo "$security"; fail "exposure $score is above 2.0"; }
echo "image-check: systemd-analyze verify passed; security --offline exposure level $score (goal <= 2.0)"

# --- 4. the installed binary under the unit's seccomp rules, unprivileged ---------------------------------------
"$root/image/check/allowed-syscalls.sh" "$root/image/appliance.service" >"$work/allowed-syscalls.h"
gcc -O2 -Wall -Wextra -Werror -I"$work" -o "$work/unit-sandbox" "$root/image/check/unit-sandbox.c"
model="${APPLIANCE_TEST_MODEL:-$root/artifacts/aot-smoke/model}"
if [[ ! -f "$model/manifest.json" ]]; then
  model="$work/model"
  dotnet run --project "$root/src/Quantize" -c Release -- synth --shape tiny-llama --seed 7 --out "$work/hf" >"$work/model.log" 2>&1
  dotnet run --project "$root/src/Quantize" -c Release -- convert "$work/hf" "$model" >>"$work/model.log" 2>&1
fi
chmod -R a+rX "$model" "$target/usr"
# The repository's ONNX Runtime cache is hidden (a private mount namespace), so the library must come from the package.
mkdir -p "$root/.cache"
sandboxed=(unshare --mount sh -c 'mount -t tmpfs none "$0/.cache" && exec "$@"' "$root"
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$work/unit-sandbox")
answer="$(cd / && env -u APPLIANCE_ORT_LIBRARY "${sandboxed[@]}" "$target/usr/bin/appliance" generate --model "$model" \
  --token-ids 1,2,3 --max-new-tokens 8 --greedy 2>"$work/sandboxed.err")" || { cat "$work/sandboxed.err"; fail "the installed binary failed under MemoryDenyWriteExecute + SystemCallFilter"; }
[[ "$answer" =~ ^[0-9]+(,[0-9]+){7}$ ]] || fail "unexpected answer under the sandbox: $answer"
echo "image-check: installed binary generated [$answer] with the packaged ONNX Runtime, as nobody, under MemoryDenyWriteExecute + SystemCallFilter (seccomp, EPERM)"

# --- 5. the Mosquitto drop-in on a real broker, and the installed service starting against it ------------------
port="$("$root/scripts/free-port.sh")"
sed "s/^listener 1883 localhost$/listener $port localhost/" "$target/etc/mosquitto/conf.d/appliance.conf" >"$work/mosquitto.conf"
grep -q "^listener $port localhost$" "$work/mosquitto.conf" || fail "the Mosquitto drop-in has no 'listener 1883 localhost'"
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
"$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker=$!
trap 'kill "$broker" 2>/dev/null || true' EXIT
published=false
for _ in $(seq 50); do
  if mosquitto_pub -h localhost -p "$port" -t appliance/check -m ok -q 1 2>/dev/null; then published=true; break; fi
  sleep 0.1
done
[[ "$published" == true ]] || { cat "$work/mosquitto.log"; fail "an anonymous client could not publish through the drop-in's listener"; }
echo "image-check: Mosquitto with the drop-in accepts an anonymous local publish"

# `appliance serve` as the unit runs it: unprivileged, under its seccomp rules, the packaged ONNX Runtime; systemd's
# notify socket played by notify-wait, which measures exec -> READY=1 and then stops the service with SIGTERM.
gcc -O2 -Wall -Wextra -Werror -o "$work/notify-wait" "$root/image/check/notify-wait.c"
ready_ms="$(cd / && env -u APPLIANCE_ORT_LIBRARY "$work/notify-wait" 60 "${sandboxed[@]}" "$target/usr/bin/appliance" serve \
  --broker "mqtt://localhost:$port" --model "$model" --device-id image-check --no-discovery 2>"$work/serve.log")" \
  || { cat "$work/serve.log"; fail "the installed service did not reach READY=1 and stop cleanly under the unit's restrictions"; }
kill "$broker"; wait "$broker" 2>/dev/null || true
trap - EXIT
echo "image-check: installed 'appliance serve' reached READY=1 in $ready_ms ms under the unit's restrictions and stopped cleanly on SIGTERM"

# --- 6. purge --------------------------------------------------------------------------------------------------
dpkg_root --purge appliance >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --root --purge failed"; }
for gone in usr/lib/appliance/appliance usr/bin/appliance etc/appliance/appliance.json etc/mosquitto/conf.d/appliance.conf \
            var/lib/appliance etc/systemd/system/multi-user.target.wants/appliance.service; do
  [[ ! -e "$target/$gone" && ! -L "$target/$gone" ]] || fail "$gone is left after purge"
done
echo "image-check: purge removed the files, conffiles, state and unit link"

# --- 7. the arm64 package's binary, emulated -------------------------------------------------------------------
arm64_answer="$(cd / && env -u APPLIANCE_ORT_LIBRARY unshare --mount sh -c 'mount -t tmpfs none "$0/.cache" && exec "$@"' "$root" \
  qemu-aarch64-static -cpu cortex-a76 "$work/contents-arm64/usr/bin/appliance" generate --model "$model" \
  --token-ids 1,2,3 --max-new-tokens 8 --greedy 2>"$work/arm64.err")" || { cat "$work/arm64.err"; fail "the arm64 package's binary failed under qemu"; }
[[ "$arm64_answer" == "$answer" ]] || fail "the arm64 package's binary generated [$arm64_answer], the amd64 one [$answer]"
echo "image-check: the arm64 package's binary generated [$arm64_answer] with its packaged ONNX Runtime under qemu-aarch64-static, as the amd64 one did"
echo "image-check: passed ($deb, $(stat -c %s "$deb") bytes; $arm64_deb, $(stat -c %s "$arm64_deb") bytes)"
