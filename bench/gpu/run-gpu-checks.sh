#!/usr/bin/env bash
# One-shot GPU checks for NV-Embed, run by the device tool from the repository root:
#   bash bench/gpu/run-gpu-checks.sh            (writes JSON + log to $OUT, default ./gpu-out)
# Before: bash bench/gpu/prepare-carry.sh here, and carry tmp/nvembed-gpu.
# 1. what the machine has (nvidia-smi, python/torch, node)
# 2. PyTorch runner, full-size NV-Embed config, random bf16 weights, SDPA: tokens/s and fraction of the
#    H100's 989 dense bf16 TFLOPS at several batch x length shapes (bench_random.py)
# 3. onnxruntime-node execution providers (cpu/webgpu/cuda) on the tiny graphs (ort-check.mjs; only when
#    prepare-carry.sh ran with ORT_CHECK=1)
# 4. PyTorch runner on real MTEB length mixes, packed vs padded, CUDA events (runner_throughput.py)
# 5. the tiny decoder goldens through transformers' own MistralModel/Qwen2Model (transformers_check.py), and the
#    encoder goldens through sentence-transformers (fixtures/models/hf-golden/check_with_transformers.py, into the log)
# 6. webgpu: the in-process graph on the GPU through onnxruntime-node's WebGPU provider (carried Node.js, Vulkan
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
# ---- step: PyTorch runner on real length mixes, packed vs padded (bench/gpu/runner_throughput.py) ----
# Lengths sampled from mteb's published corpus statistics; CUDA events; cosine distance packed vs padded in bf16.
# CPU (local dry run): the tiny config, a few texts, wall clock. Hard limit RT_TIMEOUT; partial JSON survives a kill.
echo "== torch runner, real length mixes: packed vs padded"
if [ -n "$PY" ]; then
  if [ "$DEV" = cuda ] && [ "$TINY_ONLY" != 1 ]; then
    RT_ARGS="--config fixtures/models/nv-embed-v2-layout/config.json --texts ${RT_TEXTS:-600} --tasks ${RT_TASKS:-MSMARCO,NQ,QuoraRetrieval,SciFact,ArguAna,TRECCOVID}"
  else
    RT_ARGS="--config fixtures/models/nv-embed-tiny/config.json --texts 24 --tasks MSMARCO,SciFact --token-budget 1024"
  fi
  # shellcheck disable=SC2086
  timeout "${RT_TIMEOUT:-240}" "$PY" bench/gpu/runner_throughput.py $RT_ARGS --device "$DEV" --out "$OUT/runner-throughput.json" \
    || echo "runner throughput rc=$?"
  [ -f "$OUT/runner-throughput.json" ] || echo '{"error": "runner_throughput.py wrote nothing (see log.txt)"}' > "$OUT/runner-throughput.json"
else
  echo '{"error": "no python with torch on this machine"}' > "$OUT/runner-throughput.json"
fi

# ---- step: the tiny decoder goldens through transformers' own Mistral/Qwen2 modules (issue 16; CPU is enough) ----
echo "== transformers cross-check of the decoder goldens"
if [ -n "$PY" ]; then
  timeout 120 "$PY" bench/gpu/transformers_check.py --out "$OUT/transformers-check.json" || echo "transformers check rc=$?"
  # The encoder families' goldens through sentence-transformers (issue 15), printed into log.txt.
  timeout 120 "$PY" fixtures/models/hf-golden/check_with_transformers.py || echo "encoder transformers check rc=$?"
else
  echo '{"error": "no python with torch on this machine"}' > "$OUT/transformers-check.json"
fi

# ---- step: webgpu (bench/gpu/webgpu-step.sh; WEBGPU=0 skips it; alone it fits one device call) ----
if [ "${WEBGPU:-1}" = 1 ]; then
  TINY_ONLY="$TINY_ONLY" OUT="$OUT" bash bench/gpu/webgpu-step.sh || echo "webgpu step rc=$?"
fi
# ---- end step: webgpu ----
echo "== done $(date -u +%FT%TZ)"
