#!/usr/bin/env bash
# Builds image/out/appliance_<version>_<arch>.deb: the Native AOT binary, ONNX Runtime for that architecture,
# the default config (a conffile), the hardened systemd unit, sysusers/tmpfiles entries for the appliance user,
# the GPIO udev rule and a loopback Mosquitto drop-in. See the README's "Debian package" section.
#
# usage: image/build.sh [--rid linux-x64|linux-arm64] [--binary PATH] [--config FILE]
#   --binary  an already published AOT binary for that RID (default: publish one now, net9.0 Native AOT)
#   --config  the default /etc/appliance/appliance.json (default: image/appliance.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$root/image"

rid="linux-x64"
binary=""
config="$image/appliance.json"
while (( $# > 0 )); do
  case "$1" in
    --rid) rid="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    *) echo "image/build.sh: unknown argument $1 (usage: image/build.sh [--rid RID] [--binary PATH] [--config FILE])" >&2; exit 2 ;;
  esac
done

case "$rid" in
  linux-x64) arch=amd64; machine="Advanced Micro Devices X86-64" ;;
  linux-arm64) arch=arm64; machine="AArch64" ;;
  *) echo "image/build.sh: --rid must be linux-x64 or linux-arm64, got $rid" >&2; exit 2 ;;
esac
if [[ ! -f "$config" ]]; then
  echo "image/build.sh: the default config $config is missing" >&2; exit 1
fi

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/src/Appliance/Appliance.csproj")"
ort_version="$(sed -n 's/^ORT_VERSION="\(.*\)"$/\1/p' "$root/scripts/setup-onnxruntime.sh")"
"$root/scripts/setup-onnxruntime.sh"
ort="$root/.cache/onnxruntime/$ort_version/$rid/libonnxruntime.so.1"

work="$root/artifacts/image"
mkdir -p "$work" "$image/out"
if [[ -z "$binary" ]]; then
  publish="$work/publish-$rid"
  log="$work/publish-$rid.log"
  rm -rf "$publish"
  if ! dotnet publish "$root/src/Appliance" -f net9.0 -r "$rid" -c Release -p:PublishAot=true \
       -p:TreatWarningsAsErrors=true -o "$publish" --nologo >"$log" 2>&1; then
    cat "$log"; echo "image/build.sh: Native AOT publish for $rid failed" >&2; exit 1
  fi
  if grep -E "warning (IL|CS)[0-9]+" "$log"; then
    echo "image/build.sh: trim/AOT warnings in the publish" >&2; exit 1
  fi
  binary="$publish/appliance"
fi
for elf in "$binary" "$ort"; do
  if ! readelf -h "$elf" 2>/dev/null | grep -q "Machine:.*$machine"; then
    echo "image/build.sh: $elf is not a $rid ELF file" >&2; exit 1
  fi
done

# The staged tree is exactly what dpkg installs.
stage="$work/root-$arch"
rm -rf "$stage"
install -D -m 0755 "$binary" "$stage/usr/lib/appliance/appliance"
install -D -m 0644 "$ort" "$stage/usr/lib/appliance/libonnxruntime.so.1"
mkdir -p "$stage/usr/bin"
ln -s ../lib/appliance/appliance "$stage/usr/bin/appliance"
install -D -m 0644 "$config" "$stage/etc/appliance/appliance.json"
install -D -m 0644 "$image/mosquitto-appliance.conf" "$stage/etc/mosquitto/conf.d/appliance.conf"
install -D -m 0644 "$image/appliance.service" "$stage/usr/lib/systemd/system/appliance.service"
install -D -m 0644 "$image/sysusers.conf" "$stage/usr/lib/sysusers.d/appliance.conf"
install -D -m 0644 "$image/tmpfiles.conf" "$stage/usr/lib/tmpfiles.d/appliance.conf"
install -D -m 0644 "$image/60-appliance-gpio.rules" "$stage/usr/lib/udev/rules.d/60-appliance-gpio.rules"
install -D -m 0644 "$root/README.md" "$stage/usr/share/doc/appliance/README.md"
{
  echo "appliance $version: the Edge LLM Appliance service."
  echo
  echo "usr/lib/appliance/libonnxruntime.so.1 is ONNX Runtime $ort_version (from the npm package onnxruntime-node),"
  echo "Copyright (c) Microsoft Corporation, under this license:"
  echo
  cat "$root/.cache/onnxruntime/$ort_version/LICENSE" 2>/dev/null || echo "MIT License"
} >"$stage/usr/share/doc/appliance/copyright"
chmod 0644 "$stage/usr/share/doc/appliance/copyright"

# Depends: the newest glibc symbol version either ELF file needs, and the C++ runtime libraries ONNX Runtime links.
glibc="$(readelf -V "$binary" "$ort" | grep -o 'Name: GLIBC_[0-9.]*' | sed 's/Name: GLIBC_//' | sort -V | tail -1)"
depends="libc6 (>= $glibc)"
needed="$(readelf -d "$binary" "$ort" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)"
grep -qx 'libstdc++.so.6' <<<"$needed" && depends+=", libstdc++6"
grep -qx 'libgcc_s.so.1' <<<"$needed" && depends+=", libgcc-s1"
grep -qx 'libz.so.1' <<<"$needed" && depends+=", zlib1g"
depends+=", systemd"
# The panel's GPIO driver (System.Device.Gpio's LibGpiodDriver) loads libgpiod.so.2 at run time, so no NEEDED entry shows it.
depends+=", libgpiod2"

mkdir -p "$stage/DEBIAN"
installed_size="$(du -sk --apparent-size "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@DEPENDS@/$depends/" \
  "$image/debian/control.in" >"$stage/DEBIAN/control"
printf '/etc/appliance/appliance.json\n/etc/mosquitto/conf.d/appliance.conf\n' >"$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$image/debian/$script" "$stage/DEBIAN/$script"
done

deb="$image/out/appliance_${version}_${arch}.deb"
# Same inputs, same bytes: file times come from the last commit. xz -1: 15 s instead of 65 s for 10% more bytes.
SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)" \
  dpkg-deb --root-owner-group -Zxz -z1 --build "$stage" "$deb" >/dev/null
echo "image/build.sh: $deb ($(stat -c %s "$deb") bytes; appliance binary $(stat -c %s "$binary") bytes, libonnxruntime.so.1 $(stat -c %s "$ort") bytes)"
