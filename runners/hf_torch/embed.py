"""Batched embedding over one or more devices for hub-layout checkpoints: encoders (BERT, XLM-RoBERTa, MPNet,
NomicBert) and decoders (Mistral, Qwen2), with the same length-bucketed batching and per-device threads as the
NV-Embed runner. Tokenization, prompts, pooling and normalisation come from the checkpoint's own files."""
import json
import os
import torch

from runners.nvembed_torch.embed import pick_devices, resolve_packing, run_replicas, token_budget_batches
from runners.nvembed_torch.safetensors_io import load_checkpoint
from runners.packing.accel import autocast, maybe_compile
from runners.packing.attention import choose, log_new_kernels
from runners.packing.packs import Pack, pack_rows
from runners.packing.pipeline import run_overlapped

from .checkpoint import CheckpointTokenizer, pooling, role_prompts
from .decoder import Decoder, DecoderConfig, pad_batch
from .encoder import bert_forward, nomic_forward, normalize, pool

ENCODERS = {"bert": bert_forward, "xlm-roberta": bert_forward, "roberta": bert_forward, "mpnet": bert_forward, "nomic_bert": nomic_forward}
DECODERS = {"mistral", "qwen2"}


class _Encoder:
    def __init__(self, cfg, weights, forward, dtype, device):
        self.cfg, self.forward, self.device = cfg, forward, device
        prefixes = ["", "bert.", "roberta.", "xlm_roberta.", "mpnet."]
        prefix = next((p for p in prefixes if p + "embeddings.word_embeddings.weight" in weights), "")
        self.w = {k[len(prefix):]: v.to(device=device, dtype=dtype) for k, v in weights.items() if k.startswith(prefix)}

    def hidden_states(self, ids, attn):
        return self.forward(self.w, self.cfg, ids, attn)

    def hidden_states_packed(self, pack):
        return self.forward(self.w, self.cfg, pack.ids[None], None, pack)


class HfRunner:
    def __init__(self, folder, device="auto", dtype=None, max_length=None, token_budget=16384, template="Instruct: {instruction}\nQuery: ", causal=None, packing="auto", compile="off"):
        self.devices = pick_devices(device)
        on_gpu = self.devices[0].startswith("cuda")
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32, "fp64": torch.float64, None: torch.bfloat16 if on_gpu else torch.float64}[dtype]
        with open(os.path.join(folder, "config.json")) as f:
            cfg = json.load(f)
        kind = cfg.get("model_type")
        self.decoder = kind in DECODERS
        if not self.decoder and kind not in ENCODERS:
            raise SystemExit(f"{folder}: model_type {kind!r} is not served (encoders: {sorted(ENCODERS)}; decoders: {sorted(DECODERS)})")
        self.tok = CheckpointTokenizer(folder, max_length)
        self.modes, self.include_prompt, self.normalize = pooling(folder)
        self.prompts = role_prompts(folder)
        weights = load_checkpoint(folder)
        if self.decoder:
            dcfg = DecoderConfig(cfg)
            self.models = [Decoder(dcfg, weights, self.dtype, d) for d in self.devices]
        else:
            self.models = [_Encoder(cfg, weights, ENCODERS[kind], self.dtype, d) for d in self.devices]
        self.causal = causal
        self.template = template
        self.token_budget = token_budget
        # MPNet's relative-position bias needs a dense [heads, T, T] bias over the whole pack (6 GiB in bf16 at 16k
        # tokens and 12 heads): auto keeps it padded; --packing on still packs (exact, for tests and small budgets).
        self.packing = resolve_packing(packing, self.devices[0]) and not (packing == "auto" and kind == "mpnet")
        self.packed_fns = [maybe_compile(self._packed_forward(m), m.device, compile, lambda m=m: self._choose_kernel(m, cfg)) for m in self.models]

    def _choose_kernel(self, m, cfg):
        if self.decoder:
            c = m.cfg
            return choose(m.device, self.dtype, c.heads, c.head_dim, c.causal if self.causal is None else self.causal)
        heads = cfg.get("num_attention_heads") or cfg["n_head"]
        hidden = cfg.get("hidden_size") or cfg["n_embd"]
        return choose(m.device, self.dtype, heads, hidden // heads, False, cfg["model_type"] == "mpnet")

    def _prompt(self, instruction, role):
        if self.decoder:
            # Instruction models: the query side carries the instruction, documents are plain (mteb's instruct wrapper).
            return self.template.format(instruction=instruction) if instruction and role != "passage" else ""
        return self.prompts.get(role or "", "")

    def tokenize(self, texts, instruction="", role=None):
        """(rows, prompt length left out of pooling); the server calls it outside its model lock."""
        prompt = self._prompt(instruction, role)
        rows = [self.tok.encode(prompt + t) for t in texts]
        # Prompt tokens that include_prompt=False leaves out of the pooling: its ids without the trailing special tokens.
        plen = len(self.tok.encode(prompt)) - 1 if prompt and not self.include_prompt else 0
        return rows, plen

    def embed(self, texts, instruction="", role=None):
        return self.embed_rows(self.tokenize(texts, instruction, role))

    def _pool(self, hs, attn, plen):
        e = torch.cat([pool(hs, attn, mode, plen, self.include_prompt) for mode in self.modes], -1)
        return normalize(e) if self.normalize else e

    def _packed_forward(self, m):
        def forward(pk, plen):
            hs = (m.hidden_states_packed(pk, self.causal) if self.decoder else m.hidden_states_packed(pk))[0]
            if self.modes == ["lasttoken"]:  # the decoders' pooling: each text's last token, straight from the pack
                e = pk.last_tokens(hs)
                return normalize(e) if self.normalize else e
            # Other modes: hidden states laid out per text (right-padded) so every pooling mode runs unchanged.
            return self._pool(pk.unpack(hs), pk.padded_mask(pk.ids.device), plen)
        return forward

    def embed_rows(self, tokenized):
        rows, plen = tokenized
        out = [None] * len(rows)
        pin = self.devices[0].startswith("cuda")
        lengths = [len(r) for r in rows]
        if self.packing:
            batches = pack_rows(lengths, self.token_budget)
            build = lambda idx: Pack([rows[i] for i in idx], None, pin)  # noqa: E731
        else:
            batches = token_budget_batches(lengths, self.token_budget)

            def build(idx):
                t = pad_batch([rows[i] for i in idx], self.tok.pad_id, "right")
                return tuple(x.pin_memory() for x in t) if pin else t

        def finish(idx, e):
            e = e.to(torch.float64)
            for j, i in enumerate(idx):
                out[i] = e[j].tolist()

        def device_loop(k):
            m = self.models[k]

            def compute(b):
                if self.packing:
                    return self.packed_fns[k](b.to(m.device), plen)
                ids, attn = (t.to(m.device, non_blocking=True) for t in b)
                hs = m.hidden_states(ids, attn, self.causal) if self.decoder else m.hidden_states(ids, attn)
                return self._pool(hs, attn, plen)

            with autocast(m.device, self.dtype), torch.no_grad():
                run_overlapped(batches[k :: len(self.models)], build, compute, finish, m.device)

        run_replicas(len(self.models), device_loop)
        log_new_kernels()
        return out
