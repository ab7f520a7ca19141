# Tokens/s of a Mistral-7B-shaped encoder forward (NV-Embed-v2's backbone: 32 layers, hidden 4096, 32 heads /
# 8 KV heads, SwiGLU 14336, bidirectional attention) in fp16 on one GPU, with random weights: the basis of the
# GPU-hour estimates in docs/scaling.md. One layer's weights are reused 32 times (same FLOPs, less memory).
# Run (on a CUDA machine with torch): python3 bench/search/gpu_throughput.py
import json
import time

import torch
import torch.nn.functional as F

assert torch.cuda.is_available(), "needs a CUDA GPU"
dev, dt = "cuda", torch.float16
H, NH, KV, FF, L = 4096, 32, 8, 14336, 32
HD = H // NH
g = torch.Generator(device=dev).manual_seed(0)
w = lambda *s: (torch.randn(*s, device=dev, dtype=dt, generator=g) * 0.02)
Wq, Wk, Wv, Wo = w(H, H), w(KV * HD, H), w(KV * HD, H), w(H, H)
Wg, Wu, Wd = w(FF, H), w(FF, H), w(H, FF)


def rms(x):
    return x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5).to(x.dtype)


@torch.inference_mode()
def forward(x):
    B, S, _ = x.shape
    for _ in range(L):
        h = rms(x)
        q = F.linear(h, Wq).view(B, S, NH, HD).transpose(1, 2)
        k = F.linear(h, Wk).view(B, S, KV, HD).transpose(1, 2).repeat_interleave(NH // KV, dim=1)
        v = F.linear(h, Wv).view(B, S, KV, HD).transpose(1, 2).repeat_interleave(NH // KV, dim=1)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=False).transpose(1, 2).reshape(B, S, H)
        x = x + F.linear(a, Wo)
        h = rms(x)
        x = x + F.linear(F.silu(F.linear(h, Wg)) * F.linear(h, Wu), Wd)
    return x


out = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "runs": []}
for S, B in [(128, 128), (512, 32), (2048, 8)]:
    x = w(B, S, H)
    forward(x)
    torch.cuda.synchronize()
    reps = 3
    t = time.perf_counter()
    for _ in range(reps):
        forward(x)
    torch.cuda.synchronize()
    s = (time.perf_counter() - t) / reps
    out["runs"].append({"seq": S, "batch": B, "seconds": s, "tokens_per_s": B * S / s})
print(json.dumps(out))
