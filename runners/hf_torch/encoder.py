"""Encoder embedders in float64 PyTorch, written from transformers' modeling_bert.py / modeling_mpnet.py, XLM-R's
position ids and nomic-ai's modeling_hf_nomic_bert.py, plus sentence-transformers' Pooling and Normalize. The
golden script checks the TypeScript ONNX graphs against these; the runner serves them (any dtype, any device).
"""
import math

import torch

from runners.packing.attention import packed_attention


# ---------------------------------------------------------------- BertModel (modeling_bert.py), float64
def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def bert_forward(W, cfg, ids, mask, pack=None):
    """ids, mask: [B, L] int64. Returns last_hidden_state [B, L, H] float64. XLM-R (model_type xlm-roberta)
    numbers positions as create_position_ids_from_input_ids: cumsum of non-pad tokens + padding_idx.
    pack (runners.packing.packs.Pack): ids is then [1, T], the texts laid end to end; positions restart per text
    and attention stays within each text (mask unused)."""
    B, L = ids.shape
    H, nh, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    hd = H // nh
    mpnet = cfg["model_type"] == "mpnet"
    dev = ids.device
    local = pack.positions[None] if pack is not None else torch.arange(L, device=dev).unsqueeze(0).expand(B, L)
    if cfg["model_type"] in ("xlm-roberta", "mpnet"):
        pad = cfg["pad_token_id"]
        keep = ids.ne(pad).long()
        cs = torch.cumsum(keep, dim=1)
        if pack is not None:  # the count restarts at each text: subtract the count before its first token
            cs = cs - (cs - keep)[:, pack.cu_seqlens[:-1].long()][:, pack.seg]
        pos = cs * keep + pad
    else:
        pos = local
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][pos]
    if not mpnet:
        x = x + W["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    rel_bias = None
    if mpnet:
        rel = local[0][None, :] - local[0][:, None]  # memory - context (within one text when packed)
        rel_bias = W["encoder.relative_attention_bias.weight"][mpnet_bucket(rel)].permute(2, 0, 1).unsqueeze(0)
    if pack is None:
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        bias = bias if rel_bias is None else bias + rel_bias
        attend = lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, dim=-1) @ v  # noqa: E731
    else:
        attend = lambda q, k, v: packed_attention(q, k, v, pack, False, rel_bias)  # noqa: E731
    names = (["attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o", "attention.LayerNorm"] if mpnet
             else ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "attention.output.LayerNorm"])
    lin = lambda t, p: t @ W[p + ".weight"].T + W[p + ".bias"]  # noqa: E731
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        split = lambda t: t.view(B, L, nh, hd).transpose(1, 2)  # noqa: E731
        q, k, v = (split(lin(x, p + m)) for m in names[:3])
        ctx = attend(q, k, v).transpose(1, 2).reshape(B, L, H)
        x = layer_norm(lin(ctx, p + names[3]) + x, W[p + names[4] + ".weight"], W[p + names[4] + ".bias"], eps)
        inter = lin(x, p + "intermediate.dense")
        inter = 0.5 * inter * (1.0 + torch.erf(inter / math.sqrt(2.0)))
        x = layer_norm(lin(inter, p + "output.dense") + x, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    return x


def mpnet_bucket(relative_position, num_buckets=32, max_distance=128):
    """MPNetEncoder.relative_position_bucket (the log in float32, as n.float() makes it)."""
    ret = 0
    n = -relative_position
    num_buckets //= 2
    ret += (n < 0).to(torch.long) * num_buckets
    n = torch.abs(n)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    val_if_large = max_exact + (torch.log(n.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)).to(torch.long)
    val_if_large = torch.min(val_if_large, torch.full_like(val_if_large, num_buckets - 1))
    return ret + torch.where(is_small, n, val_if_large)


def nomic_forward(W, cfg, ids, mask, pack=None):
    """As bert_forward; packed, the rotary positions restart at 0 for each text."""
    B, L = ids.shape
    H, nh, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    hd = H // nh
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = layer_norm(x, W["emb_ln.weight"], W["emb_ln.bias"], eps)
    inv = 1.0 / (cfg["rotary_emb_base"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd)).to(ids.device)
    pos = pack.positions.float() if pack is not None else torch.arange(L, dtype=torch.float32, device=ids.device)
    ang = torch.outer(pos, inv).double()
    cos, sin = torch.cat([ang.cos(), ang.cos()], -1).to(x.dtype), torch.cat([ang.sin(), ang.sin()], -1).to(x.dtype)  # [L, hd]

    def rope(t):  # [B, nh, L, hd]
        t1, t2 = t[..., : hd // 2], t[..., hd // 2:]
        return t * cos + torch.cat([-t2, t1], -1) * sin

    if pack is None:
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        attend = lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, dim=-1) @ v  # noqa: E731
    else:
        attend = lambda q, k, v: packed_attention(q, k, v, pack)  # noqa: E731
    for i in range(cfg["n_layer"]):
        p = f"encoder.layers.{i}."
        qkv = (x @ W[p + "attn.Wqkv.weight"].T).view(B, L, 3, nh, hd)
        q, k, v = (qkv[:, :, j].transpose(1, 2) for j in range(3))
        q, k = rope(q), rope(k)
        ctx = attend(q, k, v).transpose(1, 2).reshape(B, L, H)
        x = layer_norm(ctx @ W[p + "attn.out_proj.weight"].T + x, W[p + "norm1.weight"], W[p + "norm1.bias"], eps)
        gate = x @ W[p + "mlp.fc12.weight"].T
        y = (x @ W[p + "mlp.fc11.weight"].T) * (gate * torch.sigmoid(gate))
        x = layer_norm(y @ W[p + "mlp.fc2.weight"].T + x, W[p + "norm2.weight"], W[p + "norm2.bias"], eps)
    return x


# ---------------------------------------------------------------- sentence-transformers Pooling / Normalize
def pool(tok, mask, mode, prompt_length=0, include_prompt=True):
    """tok [B, L, H], mask [B, L]; Pooling.forward for one mode."""
    mask = mask.clone().double()
    if not include_prompt and prompt_length:
        mask[:, :prompt_length] = 0
    m = mask.unsqueeze(-1)
    if mode == "cls":
        return tok[:, 0]
    if mode == "max":
        t = tok.clone()
        t[m.expand_as(t) == 0] = -1e9
        return t.max(1).values
    if mode in ("mean", "mean_sqrt_len"):
        s = (tok * m).sum(1)
        n = m.sum(1).clamp(min=1e-9)
        return s / n if mode == "mean" else s / torch.sqrt(n)
    if mode == "weightedmean":
        w = torch.arange(1, tok.shape[1] + 1, dtype=torch.float64).view(1, -1, 1) * m
        return (tok * w).sum(1) / w.sum(1).clamp(min=1e-9)
    if mode == "lasttoken":
        vals, idx = mask.flip(1).max(1)
        idx = torch.where(vals == 0, torch.full_like(idx, tok.shape[1] - 1), idx)
        last = tok.shape[1] - idx - 1
        return tok[torch.arange(tok.shape[0]), last]
    raise ValueError(mode)


def normalize(x):
    return x / x.norm(dim=-1, keepdim=True).clamp(min=1e-12)
