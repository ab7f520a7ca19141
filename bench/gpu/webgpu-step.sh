#!/usr/bin/env bash
# The webgpu step of bench/gpu/run-gpu-checks.sh, also runnable alone (a device call of its own):
#   OUT=$OUT bash bench/gpu/webgpu-step.sh          (repository root; carry tmp/nvembed-gpu from prepare-carry.sh)
# The in-process NV-Embed graph on the GPU through onnxruntime-node's WebGPU provider: carried Node.js, Debian's
# Vulkan loader unpacked into a private folder, the NVIDIA ICD. (a) every tiny checkpoint vs its float64 golden
# (bench/gpu/webgpu-agreement.mjs); unless TINY_ONLY=1: (b) a full-size-shaped random fp16 NV-Embed-v2
# checkpoint (random-checkpoint.mjs; WG_LAYERS=N for fewer layers), (c) the PyTorch runner on it and the same
# token ids (torch-same-inputs.py: fp32 reference embeddings, fp16/bf16 tokens/s), (d) the graph on webgpu
# (graph-throughput.mjs: tokens/s, diff vs the fp32 reference). Hard timeouts per part (WG_T_TINY, WG_T_CKPT,
# WG_T_TORCH, WG_T_GRAPH; worst case 570 s in all); writes one file, $OUT/webgpu.json. Without a GPU it
# degrades to recorded errors ("no adapter"), or runs on lavapipe where VK_ICD_FILENAMES points at it.
set -u
OUT="${OUT:-$PWD/gpu-out}"
TINY_ONLY="${TINY_ONLY:-0}"
mkdir -p "$OUT"
webgpu_step() {
  local C=tmp/nvembed-gpu W="${WG_WORK:-/tmp/mteb-ts-webgpu}" NODE="" py=""
  local shapes="${WG_SHAPES:-32x256,16x512,8x1024,2x2048}" layers="${WG_LAYERS:-}" ck="${WG_CKPT:-/tmp/mteb-ts-webgpu/nvembed-random}"
  rm -rf "$W/parts"; mkdir -p "$W/parts" "$W/bin"
  local P="$W/parts"
  step_json() { echo "{\"error\": \"$1\"}" > "$P/$2.json"; echo "webgpu: $1"; }
  unxz_to() { if command -v xz >/dev/null 2>&1; then xz -dc "$1" > "$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi; }
  if [ ! -d "$C" ]; then step_json "tmp/nvembed-gpu absent: run bench/gpu/prepare-carry.sh here and carry tmp/nvembed-gpu" env; return; fi
  # Node.js: the machine's own, else the carried one
  if command -v node >/dev/null 2>&1; then NODE=$(command -v node)
  elif [ -f "$C/node.xz" ]; then unxz_to "$C/node.xz" "$W/bin/node" && chmod +x "$W/bin/node" && NODE="$W/bin/node"; fi
  [ -n "$NODE" ] && "$NODE" --version >/dev/null 2>&1 || { step_json "no runnable Node.js (carried node.xz missing or not for this machine)" env; return; }
  local lib="$C/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
  [ -f "$lib" ] || { [ -f "$lib.xz" ] && unxz_to "$lib.xz" "$lib"; } || { step_json "libonnxruntime.so.1 absent from the carry" env; return; }
  # Vulkan loader: the system's, else Debian's libvulkan1 unpacked into a private folder (not /)
  local loader=system
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
    local deb; deb=$(ls "$C"/libvulkan1_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then dpkg -x "$deb" "$W/vulkan" && export LD_LIBRARY_PATH="$W/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" && loader="carried $(basename "$deb")"
    else loader=none; fi
  fi
  # the device: an ICD the caller chose, else NVIDIA's (where the device README says the image keeps it)
  if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
    for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
      [ -f "$f" ] && { export VK_ICD_FILENAMES="$f"; break; }
    done
  fi
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
  echo "{\"node\": \"$("$NODE" --version)\", \"vulkan_loader\": \"$loader\", \"icd\": \"${VK_ICD_FILENAMES:-${VK_DRIVER_FILES:-system default}}\"}" > "$P/env.json"
  cat "$P/env.json"

  echo "== webgpu: tiny checkpoints vs float64 goldens"
  timeout "${WG_T_TINY:-90}" "$NODE" "$C/webgpu-agreement.mjs" --device webgpu --json "$P/tiny.json" 2>&1 | grep -v 'XDG_RUNTIME_DIR\|artificially reduced' | cut -c1-300 \
    || echo "webgpu tiny rc=$?"
  [ -s "$P/tiny.json" ] || step_json "tiny agreement wrote nothing (timeout ${WG_T_TINY:-90} s?)" tiny
  if grep -q 'adapter' "$P/tiny.json" 2>/dev/null && ! grep -q '"alone"' "$P/tiny.json"; then echo "webgpu: no adapter, stopping this step"; return; fi
  [ "$TINY_ONLY" = 1 ] && { echo "webgpu: TINY_ONLY=1, no full-size checkpoint"; return; }

  echo "== webgpu: full-size-shaped random fp16 checkpoint (${layers:-32} layers), shapes $shapes"
  timeout "${WG_T_CKPT:-150}" "$NODE" "$C/random-checkpoint.mjs" "$ck" --shapes "$shapes" --check "${WG_CHECK:-4x128}" ${layers:+--layers "$layers"} > "$P/ckpt.json" || step_json "random checkpoint rc=$? (timeout ${WG_T_CKPT:-150} s?)" ckpt
  cat "$P/ckpt.json"
  [ -s "$ck/inputs.json" ] || return
  for cand in python3 /usr/bin/python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1; then py="$cand"; break; fi
  done
  echo "== webgpu: PyTorch runner on the same checkpoint and inputs (fp32 reference, fp16/bf16 timed)"
  rm -f "$ck/reference.json"
  if [ -n "$py" ]; then
    timeout "${WG_T_TORCH:-150}" "$py" bench/gpu/torch-same-inputs.py "$ck" --out "$P/torch.json" --reference "$ck/reference.json" 2>&1 | cut -c1-300 || echo "torch rc=$?"
  else step_json "no python with torch" torch; fi
  echo "== webgpu: the graph on webgpu, fp16, same inputs"
  local ref=(); [ -s "$ck/reference.json" ] && ref=(--reference "$ck/reference.json")
  timeout "${WG_T_GRAPH:-180}" "$NODE" "$C/graph-throughput.mjs" "$ck" --device webgpu --dtype fp16 --cache "$W/onnx-cache" \
    "${ref[@]}" --json "$P/graph.json" 2>&1 | grep -v 'XDG_RUNTIME_DIR\|artificially reduced' | cut -c1-300 \
    || echo "graph rc=$?"
  [ -s "$P/graph.json" ] || step_json "graph run wrote nothing (timeout ${WG_T_GRAPH:-180} s?)" graph
  [ "${WG_KEEP_CKPT:-0}" = 1 ] || rm -rf "$ck"
}
echo "== webgpu step"
webgpu_step
# one file back for the whole step (the device returns at most 8 files)
if command -v node >/dev/null 2>&1 || [ -x "${WG_WORK:-/tmp/mteb-ts-webgpu}/bin/node" ]; then
  "$(command -v node || echo "${WG_WORK:-/tmp/mteb-ts-webgpu}/bin/node")" -e '
    const fs = require("fs"), path = require("path"), d = process.argv[1], o = {};
    for (const f of fs.existsSync(d) ? fs.readdirSync(d).sort() : []) { try { o[path.basename(f, ".json")] = JSON.parse(fs.readFileSync(path.join(d, f), "utf8")); } catch (e) { o[f] = String(e.message); } }
    fs.writeFileSync(process.argv[2], JSON.stringify(o, null, 1) + "\n");' "${WG_WORK:-/tmp/mteb-ts-webgpu}/parts" "$OUT/webgpu.json"
else
  cp "${WG_WORK:-/tmp/mteb-ts-webgpu}/parts/env.json" "$OUT/webgpu.json" 2>/dev/null || echo '{"error": "webgpu step: no node"}' > "$OUT/webgpu.json"
fi
