"""GPU-only speed options, off on CPU: bf16/fp16 autocast around the forward (weights are already cast; autocast
keeps any float32 intermediate, e.g. the RMSNorm statistics, from reaching a matmul in float32), and torch.compile,
optionally with CUDA graphs (mode reduce-overhead). Packs vary in length, so compile runs with dynamic shapes;
CUDA graphs are recorded per distinct pack shape, so they pay off only where shapes repeat (fixed-shape benches,
small-kernel-bound models); both are untested until a GPU run (bench/gpu/runner_throughput.py --compile).
"""
import contextlib
import sys

import torch

COMPILE_MODES = ("off", "compile", "cuda-graphs")


def autocast(device, dtype):
    if torch.device(device).type == "cuda" and dtype in (torch.bfloat16, torch.float16):
        return torch.autocast("cuda", dtype=dtype)
    return contextlib.nullcontext()


def maybe_compile(fn, device, mode, warm=None):
    """fn compiled per `mode` on CUDA with torch >= 2; the plain fn otherwise (said on stderr, not an error).
    warm(): runs eagerly first: the attention kernel's one-off choice and self-check (imports, a seeded generator,
    host reads) would otherwise break the compiled graph."""
    if mode not in COMPILE_MODES:
        raise ValueError(f"compile mode {mode!r} is not one of {COMPILE_MODES}")
    if mode == "off":
        return fn
    if torch.device(device).type != "cuda" or not hasattr(torch, "compile"):
        print(f"note: --compile {mode} is for CUDA with torch >= 2 (device {device}, torch {torch.__version__}): off", file=sys.stderr)
        return fn
    if warm is not None:
        warm()
    return torch.compile(fn, dynamic=mode == "compile", mode="reduce-overhead" if mode == "cuda-graphs" else "default")
