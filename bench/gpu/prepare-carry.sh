#!/usr/bin/env bash
# Builds tmp/nvembed-gpu/ (git-ignored) for the device run: the tiny model's ONNX graphs (fp32, fp16) with
# its shards, the golden file, and a trimmed onnxruntime-node (linux/x64 binaries only, ~46 MB) so the
# device machine can try its execution providers without npm. Run from the repository root.
set -euo pipefail
C=tmp/nvembed-gpu
rm -rf "$C"; mkdir -p "$C/node_modules"
for dt in fp32 fp16; do
  node bin/mteb-ts-dev.js build-onnx --checkpoint fixtures/models/nv-embed-tiny --out "$C/tiny-$dt" --dtype "$dt" >/dev/null 2>&1 \
    || node bin/run-ts.js bench/gpu/build-tiny.ts "$C/tiny-$dt" "$dt"
done
cp fixtures/golden/nvembed/tiny-golden.json "$C/golden.json"
cp -r node_modules/onnxruntime-common "$C/node_modules/"
O="$C/node_modules/onnxruntime-node"
mkdir -p "$O/bin/napi-v6/linux"
cp -r node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist "$O/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$O/bin/napi-v6/linux/"
du -sh "$C"
