#!/usr/bin/env bash
# Builds tmp/nvembed-gpu/ (git-ignored) for the device run, which has no Node.js, no npm and no network:
#   bash bench/gpu/prepare-carry.sh        (repository root; then carry tmp/nvembed-gpu, see DEVELOPERS.md)
# - node.xz: this machine's Node.js binary (x86-64 Linux), stripped and xz -9e (99 MB -> ~22 MB; minutes of CPU)
# - node_modules/onnxruntime-{common,node}: linux/x64 only, libonnxruntime.so.1 xz-compressed (WebGPU EP inside)
# - *.mjs: bench/gpu scripts bundled with esbuild (our src and pure-JS deps inlined, onnxruntime-node external),
#   so the device needs neither tsx nor node_modules beyond onnxruntime
# - libvulkan1.deb: Debian's Vulkan loader (amd64), unpacked there into a private folder, not /
# - golden.json; with ORT_CHECK=1 also tiny-fp32/, tiny-fp16/ for ort-check.mjs (3 MB: over the limit with the
#   Node binary, so off by default; webgpu-agreement.mjs checks the same graphs through our own loader)
# run-gpu-checks.sh unpacks all of it. The whole working tree that travels must stay < 64 MiB: checked below.
set -euo pipefail
C=tmp/nvembed-gpu
LIMIT_MB=${CARRY_LIMIT_MB:-64}
rm -rf "$C"; mkdir -p "$C/node_modules"
[ "$(uname -m)" = x86_64 ] || { echo "prepare-carry: this machine is $(uname -m); the device is x86-64, build the carry on x86-64" >&2; exit 1; }

for dt in $([ "${ORT_CHECK:-0}" = 1 ] && echo fp32 fp16); do
  node bin/mteb-ts-dev.js build-onnx --checkpoint fixtures/models/nv-embed-tiny --out "$C/tiny-$dt" --dtype "$dt" >/dev/null 2>&1 \
    || node bin/run-ts.js bench/gpu/build-tiny.ts "$C/tiny-$dt" "$dt"
done
cp fixtures/golden/nvembed/tiny-golden.json "$C/golden.json"

mkdir -p "$C/node_modules/onnxruntime-common"
cp -r node_modules/onnxruntime-common/package.json node_modules/onnxruntime-common/dist "$C/node_modules/onnxruntime-common/"
O="$C/node_modules/onnxruntime-node"
mkdir -p "$O/bin/napi-v6/linux/x64"
cp -r node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist "$O/"
cp node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node "$O/bin/napi-v6/linux/x64/"
xz -T2 -9e -c node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1 > "$O/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz"
cp "$(readlink -f "$(command -v node)")" "$C/node"
strip "$C/node" 2>/dev/null || true
xz -T2 -9e "$C/node"
node --version > "$C/node-version"

# the scripts, bundled (the banner gives the ESM bundle a require for the CommonJS deps it inlines)
npx esbuild bench/gpu/webgpu-agreement.ts bench/gpu/random-checkpoint.ts bench/gpu/graph-throughput.ts \
  --bundle --minify --keep-names --platform=node --format=esm --target=node20 --log-level=warning \
  --external:onnxruntime-node --external:hnswlib-node --external:koffi \
  --outdir="$C" --out-extension:.js=.mjs \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"

# Debian's Vulkan loader for amd64 (the device image has none: `ldconfig -p | grep libvulkan` is empty there)
if ! ls "$C"/libvulkan1_*.deb >/dev/null 2>&1; then
  L=$(mktemp -d)
  mkdir -p "$L/lists/partial"
  o=(-o APT::Architecture=amd64 -o APT::Architectures=amd64 -o "Dir::State::Lists=$L/lists" -o APT::Sandbox::User=root)
  if apt-get "${o[@]}" update -qq >/dev/null 2>&1 && (cd "$C" && apt-get "${o[@]}" download -qq libvulkan1 >/dev/null 2>&1); then :; else
    echo "prepare-carry: could not download libvulkan1 (the webgpu step will report no Vulkan loader)" >&2
  fi
  rm -rf "$L"
fi

du -sh "$C"
carry_kb=$(du -sk "$C" | cut -f1)
tree_kb=$(git ls-files -z --cached --others --exclude-standard | du -ck --files0-from=- 2>/dev/null | tail -1 | cut -f1)
total_mb=$(( (carry_kb + tree_kb) / 1024 ))
echo "carry ${carry_kb} KiB + working tree ${tree_kb} KiB = ${total_mb} MiB (limit ${LIMIT_MB} MiB)"
[ "$total_mb" -lt "$LIMIT_MB" ] || { echo "prepare-carry: over the ${LIMIT_MB} MiB the device call takes" >&2; exit 1; }
