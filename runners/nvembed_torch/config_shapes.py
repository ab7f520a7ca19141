"""Tensor names and shapes an NV-Embed config implies (mirror of src/embedders/nvembed/config.ts)."""


def expected_shapes(c):
    inner = c.cross_heads * c.cross_dim_head
    m = {"embedding_model.embed_tokens.weight": (c.vocab, c.hidden), "embedding_model.norm.weight": (c.hidden,)}
    for i in range(c.layers):
        p = f"embedding_model.layers.{i}."
        m[p + "input_layernorm.weight"] = (c.hidden,)
        m[p + "post_attention_layernorm.weight"] = (c.hidden,)
        m[p + "self_attn.q_proj.weight"] = (c.heads * c.head_dim, c.hidden)
        m[p + "self_attn.k_proj.weight"] = (c.kv_heads * c.head_dim, c.hidden)
        m[p + "self_attn.v_proj.weight"] = (c.kv_heads * c.head_dim, c.hidden)
        m[p + "self_attn.o_proj.weight"] = (c.hidden, c.heads * c.head_dim)
        m[p + "mlp.gate_proj.weight"] = (c.inter, c.hidden)
        m[p + "mlp.up_proj.weight"] = (c.inter, c.hidden)
        m[p + "mlp.down_proj.weight"] = (c.hidden, c.inter)
    p0 = "latent_attention_model.cross_attend_blocks.0."
    p1 = "latent_attention_model.cross_attend_blocks.1."
    m["latent_attention_model.latents"] = (c.n_latents, c.latent_dim)
    for n in ("norm.weight", "norm.bias"):
        m[p0 + n] = (c.hidden,)
        m[p1 + n] = (c.hidden,)
    m[p0 + "norm_context.weight"] = (c.latent_dim,)
    m[p0 + "norm_context.bias"] = (c.latent_dim,)
    m[p0 + "fn.to_q.weight"] = (inner, c.hidden)
    m[p0 + "fn.to_kv.weight"] = (2 * inner, c.latent_dim)
    m[p0 + "fn.to_out.weight"] = (c.hidden, inner)
    m[p1 + "fn.net.0.weight"] = (8 * c.hidden, c.hidden)
    m[p1 + "fn.net.0.bias"] = (8 * c.hidden,)
    m[p1 + "fn.net.2.weight"] = (c.hidden, 4 * c.hidden)
    m[p1 + "fn.net.2.bias"] = (c.hidden,)
    return m
