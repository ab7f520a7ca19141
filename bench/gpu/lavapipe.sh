#!/usr/bin/env bash
# A software Vulkan device that onnxruntime-node's WebGPU provider (Dawn) accepts, for CPU-only hosts:
#   bash bench/gpu/lavapipe.sh            (root; prints the ICD file to point VK_ICD_FILENAMES at)
# Debian 12's Mesa 22.3 lavapipe is refused by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing required":
# it lacks shaderSampledImage/StorageImageArrayDynamicIndexing); Mesa 25 (bookworm-backports) has them.
# The system Mesa stays as it is: the backports .deb is unpacked under $DEST with private apt lists, and
# an ICD json naming its libvulkan_lvp.so by absolute path is written next to it. The system packages
# libvulkan1 (the loader) and mesa-vulkan-drivers (for lavapipe's shared-library dependencies) are installed.
# tests/embedders/webgpu.test.ts finds $DEST/lvp_icd.json by itself; anything else needs
#   export VK_ICD_FILENAMES=$DEST/lvp_icd.json
set -euo pipefail
DEST="${MTEB_TS_LAVAPIPE:-/opt/mteb-ts/lavapipe}"
SUITE="${LAVAPIPE_SUITE:-bookworm-backports}"
export DEBIAN_FRONTEND=noninteractive
if [ -s "$DEST/lvp_icd.json" ] && [ -e "$(sed -n 's/.*"library_path": *"\([^"]*\)".*/\1/p' "$DEST/lvp_icd.json")" ]; then
  echo "$DEST/lvp_icd.json"; exit 0
fi
if ! dpkg -s libvulkan1 mesa-vulkan-drivers >/dev/null 2>&1; then
  apt-get install -y -q libvulkan1 mesa-vulkan-drivers >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -q libvulkan1 mesa-vulkan-drivers >/dev/null; }
fi
ver=$(dpkg-query -W -f '${Version}' mesa-vulkan-drivers)
mkdir -p "$DEST"
if [ "${ver%%.*}" -ge 23 ] 2>/dev/null; then
  # the system's lavapipe is new enough: point at it
  sys=$(ls /usr/share/vulkan/icd.d/lvp_icd*.json | head -1)
  cp "$sys" "$DEST/lvp_icd.json"
  echo "$DEST/lvp_icd.json"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs"
echo "deb http://deb.debian.org/debian $SUITE main" > "$work/sources.list"
o=(-o "Dir::State::Lists=$work/lists" -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/nonexistent" -o "APT::Sandbox::User=root")
apt-get "${o[@]}" update -q >/dev/null
(cd "$work/debs" && apt-get "${o[@]}" download -q "mesa-vulkan-drivers/$SUITE" >/dev/null)
dpkg -x "$work"/debs/mesa-vulkan-drivers_*.deb "$work/root"
lib=$(find "$work/root" -name libvulkan_lvp.so | head -1)
[ -n "$lib" ] || { echo "no libvulkan_lvp.so in the $SUITE mesa-vulkan-drivers" >&2; exit 1; }
cp "$lib" "$DEST/libvulkan_lvp.so"
api=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$work"/root/usr/share/vulkan/icd.d/lvp_icd*.json | head -1)
printf '{\n  "file_format_version": "1.0.0",\n  "ICD": { "library_path": "%s", "api_version": "%s" }\n}\n' "$DEST/libvulkan_lvp.so" "${api:-1.3.0}" > "$DEST/lvp_icd.json"
dpkg-deb -f "$work"/debs/mesa-vulkan-drivers_*.deb Version > "$DEST/mesa-version"
echo "$DEST/lvp_icd.json"
