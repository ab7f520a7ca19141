"""Batched embedding over one or more devices for hub-layout checkpoints: encoders (BERT, XLM-RoBERTa, MPNet,
NomicBert) and decoders (Mistral, Qwen2), with the same length-bucketed batching and per-device threads as the
NV-Embed runner. Tokenization, prompts, pooling and normalisation come from the checkpoint's own files."""
import json
import os
import torch

from runners.nvembed_torch.embed import pick_devices, run_on_devices, token_budget_batches
from runners.nvembed_torch.safetensors_io import load_checkpoint

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


class HfRunner:
    def __init__(self, folder, device="auto", dtype=None, max_length=None, token_budget=16384, template="Instruct: {instruction}\nQuery: ", causal=None):
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

    def _prompt(self, instruction, role):
        if self.decoder:
            # Instruction models: the query side carries the instruction, documents are plain (mteb's instruct wrapper).
            return self.template.format(instruction=instruction) if instruction and role != "passage" else ""
        return self.prompts.get(role or "", "")

    def embed(self, texts, instruction="", role=None):
        prompt = self._prompt(instruction, role)
        rows = [self.tok.encode(prompt + t) for t in texts]
        # Prompt tokens that include_prompt=False leaves out of the pooling: its ids without the trailing special tokens.
        plen = len(self.tok.encode(prompt)) - 1 if prompt and not self.include_prompt else 0
        batches = token_budget_batches([len(r) for r in rows], self.token_budget)
        out = [None] * len(texts)

        def embed_batch(m, idx):
            ids, attn = (t.to(m.device) for t in pad_batch([rows[i] for i in idx], self.tok.pad_id, "right"))
            hs = m.hidden_states(ids, attn, self.causal) if self.decoder else m.hidden_states(ids, attn)
            e = torch.cat([pool(hs, attn, mode, plen, self.include_prompt) for mode in self.modes], -1)
            e = (normalize(e) if self.normalize else e).to(torch.float64).cpu()
            for j, i in enumerate(idx):
                out[i] = e[j].tolist()

        run_on_devices(self.models, batches, embed_batch)
        return out
