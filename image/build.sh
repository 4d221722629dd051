#!/usr/bin/env bash
# Builds image/out/appliance_<version>_<arch>.deb: the Native AOT binary, ONNX Runtime for that architecture,
# the default config (a conffile), the hardened systemd unit, sysusers/tmpfiles entries for the appliance user,
# the GPIO udev rule and a loopback Mosquitto drop-in. See the README's "Debian package" section.
#
# usage: image/build.sh [--arch amd64|arm64] [--binary PATH] [--config FILE]
#   --arch    the package's architecture (default amd64); --rid linux-x64|linux-arm64 says the same
#   --binary  an already published AOT binary for that architecture (default: publish one now with
#             `dotnet publish src/Appliance -r RID -c Release -p:PublishAot=true`; arm64 is cross-compiled, see
#             scripts/setup-cross-arm64.sh). ONNX Runtime's libonnxruntime.so is taken from beside the binary (the
#             publish output), else from the NuGet package Microsoft.ML.OnnxRuntime of Directory.Packages.props.
#   --config  the default /etc/appliance/appliance.json (default: image/appliance.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$root/image"

arch="amd64"
binary=""
config="$image/appliance.json"
usage="usage: image/build.sh [--arch amd64|arm64] [--binary PATH] [--config FILE]"
while (( $# > 0 )); do
  case "$1" in
    --arch) arch="${2:?$usage}"; shift 2 ;;
    --rid)
      case "${2:?$usage}" in
        linux-x64) arch=amd64 ;;
        linux-arm64) arch=arm64 ;;
        *) echo "image/build.sh: --rid must be linux-x64 or linux-arm64, got $2" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --binary) binary="${2:?$usage}"; shift 2 ;;
    --config) config="${2:?$usage}"; shift 2 ;;
    *) echo "image/build.sh: unknown argument $1 ($usage)" >&2; exit 2 ;;
  esac
done

case "$arch" in
  amd64) rid=linux-x64; machine="Advanced Micro Devices X86-64" ;;
  arm64) rid=linux-arm64; machine="AArch64" ;;
  *) echo "image/build.sh: --arch must be amd64 or arm64, got $arch" >&2; exit 2 ;;
esac
if [[ ! -f "$config" ]]; then
  echo "image/build.sh: the default config $config is missing" >&2; exit 1
fi

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/src/Appliance/Appliance.csproj")"
ort_version="$(sed -n 's:.*<PackageVersion Include="Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*:\1:p' "$root/Directory.Packages.props")"
[[ -n "$ort_version" ]] || { echo "image/build.sh: Directory.Packages.props pins no Microsoft.ML.OnnxRuntime version" >&2; exit 1; }

work="$root/artifacts/image"
mkdir -p "$work" "$image/out"
if [[ -z "$binary" ]]; then
  [[ "$arch" == amd64 ]] || "$root/scripts/setup-cross-arm64.sh"
  publish="$work/publish-$rid"
  log="$work/publish-$rid.log"
  rm -rf "$publish"
  if ! dotnet publish "$root/src/Appliance" -r "$rid" -c Release -p:PublishAot=true \
       -p:TreatWarningsAsErrors=true -o "$publish" --nologo >"$log" 2>&1; then
    cat "$log"; echo "image/build.sh: Native AOT publish for $rid failed" >&2; exit 1
  fi
  if grep -E "warning (IL|CS)[0-9]+" "$log"; then
    echo "image/build.sh: trim/AOT warnings in the publish" >&2; exit 1
  fi
  binary="$publish/appliance"
fi
[[ -f "$binary" ]] || { echo "image/build.sh: no binary at $binary" >&2; exit 1; }

# ONNX Runtime: the one the publish put beside the binary, else the restored NuGet package's (same file).
ort_package="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.onnxruntime/$ort_version"
ort="$(dirname "$binary")/libonnxruntime.so"
[[ -f "$ort" ]] || ort="$ort_package/runtimes/$rid/native/libonnxruntime.so"
[[ -f "$ort" ]] || { echo "image/build.sh: no libonnxruntime.so beside $binary nor in $ort_package (dotnet restore fetches it)" >&2; exit 1; }
[[ -f "$ort_package/LICENSE" ]] || { echo "image/build.sh: ONNX Runtime's LICENSE is missing from $ort_package (dotnet restore fetches it)" >&2; exit 1; }
for elf in "$binary" "$ort"; do
  if ! readelf -h "$elf" 2>/dev/null | grep -q "Machine:.*$machine"; then
    echo "image/build.sh: $elf is not a $rid ($arch) ELF file" >&2; exit 1
  fi
done

# The staged tree is exactly what dpkg installs.
stage="$work/root-$arch"
rm -rf "$stage"
install -D -m 0755 "$binary" "$stage/usr/lib/appliance/appliance"
install -D -m 0644 "$ort" "$stage/usr/lib/appliance/libonnxruntime.so"
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
  echo "usr/lib/appliance/libonnxruntime.so is ONNX Runtime $ort_version (from the NuGet package Microsoft.ML.OnnxRuntime),"
  echo "Copyright (c) Microsoft Corporation, under this license (the notices of the third-party code it contains are in"
  echo "onnxruntime-ThirdPartyNotices.txt.gz beside this file):"
  echo
  cat "$ort_package/LICENSE"
} >"$stage/usr/share/doc/appliance/copyright"
chmod 0644 "$stage/usr/share/doc/appliance/copyright"
gzip -9n <"$ort_package/ThirdPartyNotices.txt" >"$stage/usr/share/doc/appliance/onnxruntime-ThirdPartyNotices.txt.gz"
chmod 0644 "$stage/usr/share/doc/appliance/onnxruntime-ThirdPartyNotices.txt.gz"

# Depends: the newest glibc symbol version either ELF file needs, the C++ runtime libraries ONNX Runtime links, and
# OpenSSL 3, which .NET loads at run time (not a NEEDED entry) for the SHA-256 of the model files and for TLS.
glibc="$(readelf -V "$binary" "$ort" | grep -o 'Name: GLIBC_[0-9.]*' | sed 's/Name: GLIBC_//' | sort -V | tail -1)"
depends="libc6 (>= $glibc)"
needed="$(readelf -d "$binary" "$ort" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)"
grep -qx 'libstdc++.so.6' <<<"$needed" && depends+=", libstdc++6"
grep -qx 'libgcc_s.so.1' <<<"$needed" && depends+=", libgcc-s1"
grep -qx 'libz.so.1' <<<"$needed" && depends+=", zlib1g"
depends+=", libssl3 | libssl3t64, systemd"
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
echo "image/build.sh: $deb ($(stat -c %s "$deb") bytes; appliance binary $(stat -c %s "$binary") bytes, libonnxruntime.so $(stat -c %s "$ort") bytes)"
