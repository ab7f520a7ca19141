#!/usr/bin/env bash
# One-shot GPU checks for NV-Embed, run by the device tool from the repository root:
#   bash bench/gpu/run-gpu-checks.sh            (writes JSON + log to $OUT, default ./gpu-out)
# Before: bash bench/gpu/prepare-carry.sh here, and carry tmp/nvembed-gpu.
# 1. what the machine has (nvidia-smi, python/torch, node)
# 2. PyTorch runner, full-size NV-Embed config, random bf16 weights, SDPA: tokens/s and fraction of the
#    H100's 989 dense bf16 TFLOPS at several batch x length shapes (bench_random.py)
# 3. onnxruntime-node execution providers (cpu/webgpu/cuda) on the tiny graphs (ort-check.mjs; only when
#    prepare-carry.sh ran with ORT_CHECK=1)
# 4. webgpu: the in-process graph on the GPU through onnxruntime-node's WebGPU provider (carried Node.js, Vulkan
#    loader, NVIDIA ICD): every tiny checkpoint vs its float64 golden, then a full-size-shaped random fp16
#    checkpoint: the graph's tokens/s and embeddings vs the PyTorch runner (fp32 reference; fp16/bf16 timed) on
#    the same checkpoint and token ids. One file back: webgpu.json. TINY_ONLY=1 stops after the tiny checkpoints.
# Every step records its failure and the script goes on; nothing needs network. Each step has a hard timeout.
set -u
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1
TINY_ONLY="${TINY_ONLY:-0}"
SHAPES="${SHAPES:-256x128,64x512,16x2048,4x8192,1x32768}"
PY_TIMEOUT="${PY_TIMEOUT:-270}"

echo "== env $(date -u +%FT%TZ)"
{
  echo "{"
  echo "\"nvidia_smi\": $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | python3 -c "import json,sys; print(json.dumps(sys.stdin.read().strip() or \"absent\"))" 2>/dev/null || echo "\"absent\""),"
  echo "\"nproc\": $(nproc),"
  echo "\"node\": \"$(node --version 2>/dev/null || echo absent)\""
  echo "}"
} > "$OUT/env.json"
cat "$OUT/env.json"

PY=""
for cand in python3 /usr/bin/python3 python; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1; then PY="$cand"; break; fi
done
if [ -z "$PY" ]; then
  echo '{"error": "no python with torch on this machine"}' > "$OUT/torch.json"
  echo "no python with torch"
else
  "$PY" - > "$OUT/torch.json" <<'PYEOF'
import json, sys, torch
d = {"python": sys.version.split()[0], "torch": torch.__version__, "cuda": torch.cuda.is_available(),
     "cuda_version": torch.version.cuda, "sdpa": hasattr(torch.nn.functional, "scaled_dot_product_attention")}
if torch.cuda.is_available():
    d["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    d["bf16"] = torch.cuda.is_bf16_supported()
print(json.dumps(d))
PYEOF
  cat "$OUT/torch.json"
  DEV=cpu; DT=fp32
  if "$PY" -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then DEV=cuda; DT=bf16; fi
  echo "== torch runner, tiny config ($DEV $DT)"
  timeout 60 "$PY" -m runners.nvembed_torch.bench_random --config fixtures/models/nv-embed-tiny/config.json \
    --device "$DEV" --dtype "$DT" --shapes 8x64,2x512 --padded --iters 2 --out "$OUT/torch-tiny.json" || echo "tiny bench rc=$?"
  echo "== torch runner, tiny checkpoint vs golden ($DEV)"
  timeout 60 "$PY" - > "$OUT/torch-tiny-golden.json" <<PYEOF || echo "golden check rc=\$?"
import json, torch
from runners.nvembed_torch.embed import Runner
g = json.load(open("fixtures/golden/nvembed/tiny-golden.json"))
out = {}
for dt in (["bf16", "fp16", "fp32"] if "$DEV" == "cuda" else ["fp32"]):
    r = Runner("fixtures/models/nv-embed-tiny", "$DEV", dt, 512)
    cs = [c for c in g["cases"] if c["max_length"] == 512 and c["instruction"] == ""]
    v = r.embed([c["text"] for c in cs])
    out[dt] = max(abs(a - b) for c, e in zip(cs, v) for a, b in zip(c["embedding"], e))
print(json.dumps({"max_abs_diff_vs_float64_golden": out}))
PYEOF
  cat "$OUT/torch-tiny-golden.json"
  if [ "$DEV" = cuda ] && [ "$TINY_ONLY" != 1 ]; then
    echo "== torch runner, full-size NV-Embed-v2 config, random bf16 weights"
    timeout "$PY_TIMEOUT" "$PY" -m runners.nvembed_torch.bench_random --config fixtures/models/nv-embed-v2-layout/config.json \
      --device cuda --dtype bf16 --shapes "$SHAPES" --padded --iters 3 --out "$OUT/torch-full.json" || echo "full bench rc=$?"
  fi
fi

echo "== onnxruntime-node providers on the tiny graphs"
if command -v node >/dev/null 2>&1 && [ -d tmp/nvembed-gpu/tiny-fp32 ]; then
  timeout 60 node bench/gpu/ort-check.mjs tmp/nvembed-gpu "$OUT/ort.json" 2>&1 | grep -v '^\s*$' | cut -c1-400 || echo "ort check rc=$?"
else
  echo "skipped: node or tmp/nvembed-gpu/tiny-fp32 absent (prepare-carry.sh with ORT_CHECK=1 carries them)"
fi

# ---- step: webgpu (self-contained: everything it needs comes from tmp/nvembed-gpu, see prepare-carry.sh) ----
webgpu_step() {
  local C=tmp/nvembed-gpu W="${WG_WORK:-/tmp/mteb-ts-webgpu}" NODE="" py=""
  local shapes="${WG_SHAPES:-16x512,4x2048,1x8192}" layers="${WG_LAYERS:-}" ck="${WG_CKPT:-/tmp/mteb-ts-webgpu/nvembed-random}"
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
  timeout "${WG_T_TINY:-180}" "$NODE" "$C/webgpu-agreement.mjs" --device webgpu --json "$P/tiny.json" 2>&1 | grep -v 'XDG_RUNTIME_DIR\|artificially reduced' | cut -c1-300 \
    || echo "webgpu tiny rc=$?"
  [ -s "$P/tiny.json" ] || step_json "tiny agreement wrote nothing (timeout ${WG_T_TINY:-180} s?)" tiny
  if grep -q 'adapter' "$P/tiny.json" 2>/dev/null && ! grep -q '"alone"' "$P/tiny.json"; then echo "webgpu: no adapter, stopping this step"; return; fi
  [ "$TINY_ONLY" = 1 ] && { echo "webgpu: TINY_ONLY=1, no full-size checkpoint"; return; }

  echo "== webgpu: full-size-shaped random fp16 checkpoint (${layers:-32} layers), shapes $shapes"
  timeout "${WG_T_CKPT:-240}" "$NODE" "$C/random-checkpoint.mjs" "$ck" --shapes "$shapes" ${layers:+--layers "$layers"} > "$P/ckpt.json" || step_json "random checkpoint rc=$? (timeout ${WG_T_CKPT:-240} s?)" ckpt
  cat "$P/ckpt.json"
  [ -s "$ck/inputs.json" ] || return
  for cand in python3 /usr/bin/python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1; then py="$cand"; break; fi
  done
  echo "== webgpu: PyTorch runner on the same checkpoint and inputs (fp32 reference, fp16/bf16 timed)"
  rm -f "$ck/reference.json"
  if [ -n "$py" ]; then
    timeout "${WG_T_TORCH:-300}" "$py" bench/gpu/torch-same-inputs.py "$ck" --out "$P/torch.json" --reference "$ck/reference.json" 2>&1 | cut -c1-300 || echo "torch rc=$?"
  else step_json "no python with torch" torch; fi
  echo "== webgpu: the graph on webgpu, fp16, same inputs"
  local ref=(); [ -s "$ck/reference.json" ] && ref=(--reference "$ck/reference.json")
  timeout "${WG_T_GRAPH:-300}" "$NODE" "$C/graph-throughput.mjs" "$ck" --device webgpu --dtype fp16 --cache "$W/onnx-cache" \
    "${ref[@]}" --json "$P/graph.json" 2>&1 | grep -v 'XDG_RUNTIME_DIR\|artificially reduced' | cut -c1-300 \
    || echo "graph rc=$?"
  [ -s "$P/graph.json" ] || step_json "graph run wrote nothing (timeout ${WG_T_GRAPH:-300} s?)" graph
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
# ---- end step: webgpu ----
echo "== done $(date -u +%FT%TZ)"
