"""Mistral / Qwen2 decoder embedders in plain PyTorch, written from the architecture (transformers'
MistralModel / Qwen2Model: RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP; Qwen2 adds biases on
q/k/v) — not from the checkpoint's remote code. Float64 on CPU is the reference the TypeScript ONNX graphs are
checked against; the runner serves the same code on GPU.

Attention is causal (what transformers' MistralModel / Qwen2Model compute, and how mteb loads these models)
unless config.json says `"is_causal": false` or the caller asks for `causal=False`.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

from runners.nvembed_torch.safetensors_io import load_checkpoint
from runners.packing.attention import packed_attention

FAMILIES = {"mistral": {"qkv_bias": False}, "qwen2": {"qkv_bias": True}}


class DecoderConfig:
    def __init__(self, cfg):
        self.model_type = cfg["model_type"]
        if self.model_type not in FAMILIES:
            raise ValueError(f"model_type {self.model_type!r} is not one of {sorted(FAMILIES)}")
        self.qkv_bias = FAMILIES[self.model_type]["qkv_bias"]
        self.hidden = cfg["hidden_size"]
        self.layers = cfg["num_hidden_layers"]
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads", self.heads)
        self.head_dim = cfg.get("head_dim") or self.hidden // self.heads
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.theta = cfg.get("rope_theta", 10000.0)
        self.causal = cfg.get("is_causal", True)
        archs = cfg.get("architectures") or []
        # *ForCausalLM checkpoints keep the backbone under "model." (plus an lm_head we never read).
        self.prefix = "model." if any(a.endswith("ForCausalLM") for a in archs) else ""

    @staticmethod
    def load(folder):
        with open(os.path.join(folder, "config.json")) as f:
            return DecoderConfig(json.load(f))


class Decoder:
    def __init__(self, cfg, weights, dtype=torch.float64, device="cpu"):
        self.cfg, self.dtype, self.device = cfg, dtype, device
        self.w = {k: v.to(device=device, dtype=dtype) for k, v in weights.items() if not k.startswith("lm_head.")}
        self.inv_freq = (1.0 / (cfg.theta ** (torch.arange(0, cfg.head_dim, 2, dtype=torch.float64) / cfg.head_dim))).to(device)

    @staticmethod
    def from_folder(folder, dtype=torch.float64, device="cpu"):
        return Decoder(DecoderConfig.load(folder), load_checkpoint(folder), dtype, device)

    def _rms(self, x, w):
        xf = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        return w * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.cfg.eps)).to(x.dtype)

    @staticmethod
    def _rot(x):
        h = x.shape[-1] // 2
        return torch.cat([-x[..., h:], x[..., :h]], dim=-1)

    def _lin(self, x, name, bias=False):
        y = x @ self.w[name + ".weight"].T
        return y + self.w[name + ".bias"] if bias else y

    def _rope_at(self, pos):
        f = torch.outer(pos.to(torch.float64), self.inv_freq)
        emb = torch.cat([f, f], dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    @torch.no_grad()
    def hidden_states(self, ids, attn, causal=None):
        """ids, attn: [B, L]. Positions count from 0 at the first column (transformers' default position_ids),
        whatever the padding side: rotary attention depends on position differences only."""
        causal = self.cfg.causal if causal is None else causal
        B, L = ids.shape
        cos, sin = self._rope_at(torch.arange(L, device=self.device))
        allowed = attn.bool()[:, None, None, :].expand(B, 1, L, L)
        if causal:
            allowed = allowed & torch.ones(L, L, dtype=torch.bool, device=self.device).tril()[None, None]

        def attend(q, k, v):
            s = (q @ k.transpose(-1, -2)) / math.sqrt(self.cfg.head_dim)
            s = s.masked_fill(~allowed, torch.finfo(s.dtype).min)
            return torch.softmax(s, dim=-1) @ v

        return self._layers(ids, cos, sin, attend)

    @torch.no_grad()
    def hidden_states_packed(self, pack, causal=None):
        """pack (runners.packing.packs.Pack) on this device -> [1, T, hidden]: causal (or not) within each packed
        sequence only, rotary positions restarting at 0 per sequence."""
        causal = self.cfg.causal if causal is None else causal
        cos, sin = self._rope_at(pack.positions)
        return self._layers(pack.ids[None], cos, sin, lambda q, k, v: packed_attention(q, k, v, pack, causal))

    def _layers(self, ids, cos, sin, attend):
        c, w, P = self.cfg, self.w, self.cfg.prefix
        B, L = ids.shape
        x = w[P + "embed_tokens.weight"][ids]
        for i in range(c.layers):
            p = f"{P}layers.{i}."
            h = self._rms(x, w[p + "input_layernorm.weight"])
            q = self._lin(h, p + "self_attn.q_proj", c.qkv_bias).view(B, L, c.heads, c.head_dim).transpose(1, 2)
            k = self._lin(h, p + "self_attn.k_proj", c.qkv_bias).view(B, L, c.kv_heads, c.head_dim).transpose(1, 2)
            v = self._lin(h, p + "self_attn.v_proj", c.qkv_bias).view(B, L, c.kv_heads, c.head_dim).transpose(1, 2)
            q = q * cos + self._rot(q) * sin
            k = k * cos + self._rot(k) * sin
            rep = c.heads // c.kv_heads
            k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
            a = attend(q, k, v).transpose(1, 2).reshape(B, L, c.heads * c.head_dim)
            x = x + self._lin(a, p + "self_attn.o_proj")
            h = self._rms(x, w[p + "post_attention_layernorm.weight"])
            g = F.silu(self._lin(h, p + "mlp.gate_proj")) * self._lin(h, p + "mlp.up_proj")
            x = x + self._lin(g, p + "mlp.down_proj")
        return self._rms(x, w[P + "norm.weight"])


def last_token_pool(hs, attn):
    """sentence-transformers' lasttoken pooling: the last position whose mask is 1, for either padding side."""
    idx = attn.shape[1] - 1 - attn.flip(1).long().argmax(1)
    return hs[torch.arange(hs.shape[0]), idx]


def pad_batch(rows, pad_id, side):
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), pad_id, dtype=torch.long)
    attn = torch.zeros((len(rows), L), dtype=torch.long)
    for i, r in enumerate(rows):
        sl = slice(L - len(r), L) if side == "left" else slice(0, len(r))
        ids[i, sl] = torch.tensor(r)
        attn[i, sl] = 1
    return ids, attn


def embed_rows(model, rows, pad_id, side="right", causal=None, normalize=True):
    ids, attn = (t.to(model.device) for t in pad_batch(rows, pad_id, side))
    e = last_token_pool(model.hidden_states(ids, attn, causal), attn)
    return F.normalize(e, p=2, dim=-1) if normalize else e
