"""Attention over a packed sequence: each token attends only within its own sequence (and, for causal decoders,
only to earlier tokens of it). Uses the best kernel the installed torch has, checked once per
(device, dtype, causal, head_dim) against the plain masked softmax on a small random pack before it is trusted:

  varlen       torch.nn.attention.varlen.varlen_attn (flash, cu_seqlens; torch >= 2.9 on CUDA)
  njt          scaled_dot_product_attention on nested jagged tensors (torch >= 2.5)
  sdpa_mask    scaled_dot_product_attention with a dense block-diagonal (+causal) bool mask (torch >= 2.0)
  manual_mask  softmax(QK^T + block-diagonal mask) V in plain ops (torch 1.13: the CPU test path)

An additive bias (MPNet's relative positions) needs a dense mask, so it always takes sdpa_mask / manual_mask.
MTEB_TS_PACKED_ATTENTION=<name> forces one kernel (tests, benchmarks). `used()` says which ones ran.
"""
import importlib
import math
import os

import torch
import torch.nn.functional as F

ORDER = ["varlen", "njt", "sdpa_mask", "manual_mask"]
_chosen = {}
_rejected = {}
_used = set()


def block_mask(seg, causal):
    """[T, T] bool, True = may attend: same segment (and not a later token when causal)."""
    allowed = seg[:, None] == seg[None, :]
    if causal:
        allowed = allowed & torch.ones_like(allowed).tril()
    return allowed


def _manual(q, k, v, pack, causal, bias=None):
    s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    if bias is not None:
        s = s + bias
    s = s.masked_fill(~block_mask(pack.seg, causal), torch.finfo(s.dtype).min)
    return torch.matmul(torch.softmax(s, dim=-1), v)


def _sdpa_mask(q, k, v, pack, causal, bias=None):
    mask = block_mask(pack.seg, causal)
    if bias is not None:
        mask = (bias + torch.zeros_like(bias).masked_fill(~mask, torch.finfo(q.dtype).min)).to(q.dtype)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def _varlen(q, k, v, pack, causal, bias=None):
    from torch.nn.attention.varlen import varlen_attn

    q3, k3, v3 = (t[0].transpose(0, 1) for t in (q, k, v))  # [T, H, D]
    cu = pack.cu_seqlens.to(torch.int32)
    try:
        o = varlen_attn(q3, k3, v3, cu, cu, pack.max_len, pack.max_len, is_causal=causal)
    except TypeError:  # later releases describe causality as a window
        o = varlen_attn(q3, k3, v3, cu, cu, pack.max_len, pack.max_len, window_size=[-1, 0] if causal else [-1, -1])
    if isinstance(o, tuple):
        o = o[0]
    return o.transpose(0, 1)[None]


def _njt(q, k, v, pack, causal, bias=None):
    offsets = pack.cu_seqlens.long()

    def nest(t):  # [1, H, T, D] -> nested [n, H, j, D]
        x = t[0].transpose(0, 1).contiguous()
        try:  # the lengths' range given from the host: SDPA would read it off the device (a sync, a compile break)
            nt = torch.nested.nested_tensor_from_jagged(x, offsets=offsets, min_seqlen=min(pack.lengths), max_seqlen=pack.max_len)
        except TypeError:
            nt = torch.nested.nested_tensor_from_jagged(x, offsets=offsets)
        return nt.transpose(1, 2)

    o = F.scaled_dot_product_attention(nest(q), nest(k), nest(v), is_causal=causal)
    return o.transpose(1, 2).values().transpose(0, 1)[None]


KERNELS = {"varlen": _varlen, "njt": _njt, "sdpa_mask": _sdpa_mask, "manual_mask": _manual}


def _available(name):
    if name == "manual_mask":
        return True
    if not hasattr(F, "scaled_dot_product_attention"):
        return False
    if name == "njt":
        return hasattr(torch, "nested") and hasattr(torch.nested, "nested_tensor_from_jagged")
    if name == "varlen":
        try:  # importlib: a plain `import torch.nn...` here would make `torch` a local name of this function
            importlib.import_module("torch.nn.attention.varlen")
        except ImportError:
            return False
    return True


def _self_check(name, device, dtype, heads, head_dim, causal):
    """The kernel against manual_mask on a 3-sequence pack of this layer's shape; any error or mismatch rejects it."""
    from .packs import Pack

    pk = Pack([[1] * 5, [1] * 17, [1] * 9]).to(device)
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, heads, pk.total, head_dim, generator=g).to(device=device, dtype=dtype) for _ in range(3))
    want = _manual(q.double(), k.double(), v.double(), pk, causal)
    got = KERNELS[name](q, k, v, pk, causal).double()
    # bf16 keeps 8 bits: outputs of size ~2 round by ~1e-2, so half types get 5e-2 of the output's scale. A kernel
    # that leaks across sequences (or ignores causality) is off by ~0.3 or more here, far above either tolerance.
    scale = max(1.0, float(want.abs().max()))
    tol = (5e-2 if dtype in (torch.float16, torch.bfloat16) else 1e-4) * scale
    err = float((got - want).abs().max())
    if not err <= tol:
        raise ValueError(f"max abs diff {err:.2e} > {tol:g}")


def choose(device, dtype, heads, head_dim, causal, bias=False):
    dev = torch.device(device).type
    key = (dev, dtype, heads, head_dim, causal, bias)
    if key in _chosen:
        return _chosen[key]
    forced = os.environ.get("MTEB_TS_PACKED_ATTENTION")
    if forced and forced not in KERNELS:
        raise ValueError(f"MTEB_TS_PACKED_ATTENTION={forced!r} is not one of {ORDER}")
    cands = [forced] if forced else ORDER
    if bias:
        cands = [c for c in cands if c in ("sdpa_mask", "manual_mask")] or ["manual_mask"]
    for name in cands:
        if name == "manual_mask" or (_available(name) and not (name == "sdpa_mask" and dtype == torch.float64 and dev == "cuda")):
            try:
                if name != "manual_mask" and not bias:
                    _self_check(name, device, dtype, heads, head_dim, causal)
                _chosen[key] = name
                return name
            except Exception as ex:  # noqa: BLE001 - a kernel this build cannot run is skipped, with the reason kept
                _rejected[(name,) + key] = f"{type(ex).__name__}: {str(ex)[:200]}"
    _chosen[key] = "manual_mask"
    return "manual_mask"


def packed_attention(q, k, v, pack, causal=False, bias=None):
    """q, k, v [1, H, T, D] over the packed tokens (k, v already expanded to H heads); bias [1 or H, T, T] additive."""
    name = choose(q.device, q.dtype, q.shape[1], q.shape[-1], causal, bias is not None)
    _used.add(name)
    return KERNELS[name](q, k, v, pack, causal, bias)


def used():
    """The kernels that ran so far, and those rejected with why (logged by the runners, recorded by the bench)."""
    return {"used": sorted(_used), "rejected": {"/".join(map(str, k)): v for k, v in _rejected.items()}}


_logged = set()


def log_new_kernels():
    """One stderr line the first time each kernel runs (and why better ones were rejected): the runner says what it used."""
    import sys

    new = _used - _logged
    if new:
        _logged.update(new)
        why = "; ".join(f"{k}: {v}" for k, v in used()["rejected"].items())
        print(f"packed attention kernel: {', '.join(sorted(new))}" + (f" (rejected: {why})" if why else ""), file=sys.stderr, flush=True)
