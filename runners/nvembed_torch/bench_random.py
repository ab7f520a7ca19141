"""Throughput of the PyTorch NV-Embed runner with random weights at full size (no checkpoint needed).

python3 -m runners.nvembed_torch.bench_random --config /path/config.json --device cuda --dtype bf16 \
    --shapes 64x512,16x2048 --out result.json
FLOPs per forward = 2 * matmul params * tokens + 4 * B * L^2 * hidden * layers (self-attention)
                    + 4 * tokens * latents * (cross_heads * cross_dim_head) (latent cross-attention).
"""
import argparse
import json
import math
import sys
import time

import torch

from .config_shapes import expected_shapes
from .model import NvEmbed, NvEmbedConfig


def random_weights(cfg, device, dtype, seed=0):
    g = torch.Generator(device=device).manual_seed(seed)
    w = {}
    for name, shape in expected_shapes(cfg).items():
        if name.endswith("norm.weight") or name.endswith("layernorm.weight") or name.endswith("norm_context.weight"):
            w[name] = torch.ones(shape, device=device, dtype=dtype)
        elif name.endswith(".bias"):
            w[name] = torch.zeros(shape, device=device, dtype=dtype)
        else:
            std = 1.0 if "embed_tokens" in name or name.endswith("latents") else 1.0 / math.sqrt(shape[-1])
            w[name] = (torch.randn(shape, device=device, dtype=dtype, generator=g) * std)
    return w


def matmul_params(cfg):
    h, kv = cfg.hidden, cfg.kv_heads * cfg.head_dim
    per_layer = h * cfg.heads * cfg.head_dim * 2 + 2 * h * kv + 3 * h * cfg.inter
    inner = cfg.cross_heads * cfg.cross_dim_head
    latent = h * inner * 2 + h * 8 * h + 4 * h * h  # to_q, to_out, ff in/out (to_kv is precomputed)
    return cfg.layers * per_layer + latent


def flops(cfg, B, L):
    t = B * L
    inner = cfg.cross_heads * cfg.cross_dim_head
    return 2 * matmul_params(cfg) * t + 4 * B * L * L * cfg.heads * cfg.head_dim * cfg.layers + 4 * t * cfg.n_latents * inner


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "fp16", "fp32", "fp64"])
    ap.add_argument("--shapes", default="256x128,64x512,16x2048,4x8192,1x32768")
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--peak-tflops", type=float, default=989.0)
    ap.add_argument("--padded", action="store_true", help="also time each shape with 10%% padding (masked SDPA)")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32, "fp64": torch.float64}[a.dtype]
    with open(a.config) as f:
        cfg = NvEmbedConfig(json.load(f))
    res = {"torch": torch.__version__, "device": a.device, "dtype": a.dtype, "sdpa": hasattr(torch.nn.functional, "scaled_dot_product_attention"), "matmul_params": matmul_params(cfg), "runs": []}
    if a.device.startswith("cuda"):
        res["gpu"] = torch.cuda.get_device_name(0)
    t0 = time.time()
    model = NvEmbed(cfg, random_weights(cfg, a.device, dtype), dtype, a.device)
    sync = torch.cuda.synchronize if a.device.startswith("cuda") else (lambda: None)
    sync()
    res["init_s"] = round(time.time() - t0, 2)
    for spec in a.shapes.split(","):
        B, L = map(int, spec.split("x"))
        for padded in ([False, True] if a.padded else [False]):
            run = {"batch": B, "seq": L, "padded": padded}
            try:
                ids = torch.randint(3, cfg.vocab, (B, L), device=a.device)
                att = torch.ones(B, L, dtype=torch.long, device=a.device)
                if padded:
                    att[B // 2 :, int(L * 0.8) :] = 0  # half the rows 20% shorter: masked attention path
                pool = att.clone()
                e = model.forward(ids, att, pool)
                sync()
                if a.device.startswith("cuda"):
                    torch.cuda.reset_peak_memory_stats()
                t = time.time()
                for _ in range(a.iters):
                    e = model.forward(ids, att, pool)
                sync()
                dt = (time.time() - t) / a.iters
                real = int(att.sum())
                fl = flops(cfg, B, L)
                run.update(seconds=round(dt, 4), tokens_per_s=round(real / dt, 1), tflops=round(fl / dt / 1e12, 1), peak_fraction=round(fl / dt / 1e12 / a.peak_tflops, 4), finite=bool(torch.isfinite(e).all()))
                if a.device.startswith("cuda"):
                    run["peak_mem_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
            except Exception as ex:  # noqa: BLE001 - record OOM etc. and go on to the next shape
                run["error"] = f"{type(ex).__name__}: {str(ex)[:300]}"
                if a.device.startswith("cuda"):
                    torch.cuda.empty_cache()
            res["runs"].append(run)
            print(json.dumps(run), file=sys.stderr, flush=True)
    out = json.dumps(res, indent=1)
    if a.out == "-":
        print(out)
    else:
        with open(a.out, "w") as f:
            f.write(out + "\n")


if __name__ == "__main__":
    main()
