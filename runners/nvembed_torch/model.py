"""NV-Embed (v1/v2) in plain PyTorch, written from the architecture description (not the checkpoint's
remote code): bidirectional Mistral decoder -> latent-attention pooling -> masked mean -> L2 norm.

Works on torch 1.13 (manual attention) and torch >= 2 (scaled_dot_product_attention). Float64 on CPU is
the reference the ONNX graph is checked against.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

from runners.packing.attention import packed_attention

from .safetensors_io import load_checkpoint

LATENT_DEFAULTS = {
    "num_latents_value": 512,
    "num_cross_heads": 8,
    "cross_dim_head": 4096,
    "latent_dim": 4096,
    "hidden_dim": 4096,
    "output_normalize": True,
}


class NvEmbedConfig:
    def __init__(self, cfg):
        t = cfg["text_config"]
        self.vocab = t["vocab_size"]
        self.hidden = t["hidden_size"]
        self.layers = t["num_hidden_layers"]
        self.heads = t["num_attention_heads"]
        self.kv_heads = t.get("num_key_value_heads", self.heads)
        self.head_dim = t.get("head_dim") or self.hidden // self.heads
        self.inter = t["intermediate_size"]
        self.eps = t.get("rms_norm_eps", 1e-5)
        self.theta = t.get("rope_theta", 10000.0)
        la = dict(LATENT_DEFAULTS)
        la.update({k: v for k, v in (cfg.get("latent_attention_config") or {}).items() if k in LATENT_DEFAULTS})
        self.n_latents = la["num_latents_value"]
        self.cross_heads = la["num_cross_heads"]
        self.cross_dim_head = la["cross_dim_head"]
        self.latent_dim = la["latent_dim"]
        self.output_normalize = la["output_normalize"]

    @staticmethod
    def load(folder):
        with open(os.path.join(folder, "config.json")) as f:
            return NvEmbedConfig(json.load(f))


def _sdpa(q, k, v, mask_bool):
    """q [B,H,L,D], k/v [B,H,S,D]; mask_bool [B,1,1,S] True = attend (or None)."""
    if hasattr(F, "scaled_dot_product_attention") and q.dtype != torch.float64:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask_bool)
    s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    if mask_bool is not None:
        s = s.masked_fill(~mask_bool, torch.finfo(s.dtype).min)
    return torch.matmul(torch.softmax(s, dim=-1), v)


class NvEmbed:
    """Functional model over a dict of tensors (no nn.Module: weights are used exactly as named)."""

    def __init__(self, cfg, weights, dtype=torch.float64, device="cpu"):
        self.cfg = cfg
        self.dtype = dtype
        self.device = device
        self.w = {k: v.to(device=device, dtype=dtype) for k, v in weights.items()}
        inv = 1.0 / (cfg.theta ** (torch.arange(0, cfg.head_dim, 2, dtype=torch.float64) / cfg.head_dim))
        self.inv_freq = inv.to(device)
        p = "latent_attention_model.cross_attend_blocks.0."
        # K/V of the latents depend only on weights: computed once.
        lat = F.layer_norm(self.w["latent_attention_model.latents"], (cfg.latent_dim,), self.w[p + "norm_context.weight"], self.w[p + "norm_context.bias"], 1e-5)
        kv = lat @ self.w[p + "fn.to_kv.weight"].T
        self.lat_k, self.lat_v = kv.chunk(2, dim=-1)

    @staticmethod
    def from_folder(folder, dtype=torch.float64, device="cpu"):
        return NvEmbed(NvEmbedConfig.load(folder), load_checkpoint(folder), dtype, device)

    def _rms(self, x, w):
        xf = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.cfg.eps)
        return w * xf.to(x.dtype)

    def _rope(self, L):
        return self._rope_at(torch.arange(L, device=self.device))

    def _rope_at(self, pos):
        """cos/sin [len(pos), head_dim] at these positions (a packed row restarts them at 0 per sequence)."""
        f = torch.outer(pos.to(torch.float64), self.inv_freq)
        emb = torch.cat([f, f], dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    @staticmethod
    def _rot(x):
        h = x.shape[-1] // 2
        return torch.cat([-x[..., h:], x[..., :h]], dim=-1)

    def backbone(self, ids, attn):
        B, L = ids.shape
        cos, sin = self._rope(L)
        # No padding in the batch: no mask, so SDPA may pick its flash kernel.
        mask = None if bool(attn.all()) else attn.bool()[:, None, None, :]
        return self._layers(ids, cos, sin, lambda q, k, v: _sdpa(q, k, v, mask))

    def backbone_packed(self, pack):
        """pack: runners.packing.packs.Pack on this device -> hidden states [1, T, hidden], bidirectional within each
        packed sequence only, rotary positions restarting per sequence."""
        cos, sin = self._rope_at(pack.positions)
        return self._layers(pack.ids[None], cos, sin, lambda q, k, v: packed_attention(q, k, v, pack, causal=False))

    def _layers(self, ids, cos, sin, attend):
        c, w = self.cfg, self.w
        B, L = ids.shape
        x = w["embedding_model.embed_tokens.weight"][ids]
        for i in range(c.layers):
            p = f"embedding_model.layers.{i}."
            h = self._rms(x, w[p + "input_layernorm.weight"])
            q = (h @ w[p + "self_attn.q_proj.weight"].T).view(B, L, c.heads, c.head_dim).transpose(1, 2)
            k = (h @ w[p + "self_attn.k_proj.weight"].T).view(B, L, c.kv_heads, c.head_dim).transpose(1, 2)
            v = (h @ w[p + "self_attn.v_proj.weight"].T).view(B, L, c.kv_heads, c.head_dim).transpose(1, 2)
            q = q * cos + self._rot(q) * sin
            k = k * cos + self._rot(k) * sin
            rep = c.heads // c.kv_heads
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
            a = attend(q, k, v).transpose(1, 2).reshape(B, L, c.heads * c.head_dim)
            x = x + a @ w[p + "self_attn.o_proj.weight"].T
            h = self._rms(x, w[p + "post_attention_layernorm.weight"])
            g = F.silu(h @ w[p + "mlp.gate_proj.weight"].T) * (h @ w[p + "mlp.up_proj.weight"].T)
            x = x + g @ w[p + "mlp.down_proj.weight"].T
        return self._rms(x, w["embedding_model.norm.weight"])

    def latent_pool(self, hs, pool):
        return self.masked_mean(self.latent_tokens(hs), pool)

    def latent_tokens(self, hs):
        """Latent cross-attention + MLP, per token (queries are tokens, keys the fixed latents): packed or padded
        rows give the same per-token values."""
        c, w = self.cfg, self.w
        B, L, _ = hs.shape
        p0 = "latent_attention_model.cross_attend_blocks.0."
        p1 = "latent_attention_model.cross_attend_blocks.1."
        H, D = c.cross_heads, c.cross_dim_head
        n = F.layer_norm(hs, (hs.shape[-1],), w[p0 + "norm.weight"], w[p0 + "norm.bias"], 1e-5)
        q = (n @ w[p0 + "fn.to_q.weight"].T).view(B, L, H, D).transpose(1, 2)
        k = self.lat_k.view(1, -1, H, D).transpose(1, 2).expand(B, -1, -1, -1)
        v = self.lat_v.view(1, -1, H, D).transpose(1, 2).expand(B, -1, -1, -1)
        a = _sdpa(q, k, v, None).transpose(1, 2).reshape(B, L, H * D)
        x = a @ w[p0 + "fn.to_out.weight"].T + hs
        n = F.layer_norm(x, (x.shape[-1],), w[p1 + "norm.weight"], w[p1 + "norm.bias"], 1e-5)
        u = n @ w[p1 + "fn.net.0.weight"].T + w[p1 + "fn.net.0.bias"]
        val, gate = u.chunk(2, dim=-1)
        return x + (val * F.gelu(gate)) @ w[p1 + "fn.net.2.weight"].T + w[p1 + "fn.net.2.bias"]

    def masked_mean(self, x, pool):
        """Mean over each row's pooled tokens (pool 0 on instruction and padding tokens), then L2 norm."""
        m = pool.to(x.dtype)[:, :, None]
        e = (x * m).sum(1) / m.sum(1)
        return F.normalize(e, p=2, dim=-1) if self.cfg.output_normalize else e

    @torch.no_grad()
    def forward(self, ids, attn, pool):
        return self.latent_pool(self.backbone(ids, attn), pool)

    @torch.no_grad()
    def forward_packed(self, pack):
        """One embedding per packed sequence, in pack order; pack.extra is the pool mask (0 = instruction token).
        The latent block runs on the packed tokens; only the final mean is laid out per sequence."""
        x = self.latent_tokens(self.backbone_packed(pack))[0]
        return self.masked_mean(pack.unpack(x), pack.unpack(pack.extra, 0))
