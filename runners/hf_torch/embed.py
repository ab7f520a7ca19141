"""Batched embedding over one or more devices for Mistral / Qwen2 decoder checkpoints (same length-bucketed
batching and per-device threads as the NV-Embed runner)."""
import threading

import torch

from runners.nvembed_torch.embed import pick_devices, token_budget_batches
from runners.nvembed_torch.safetensors_io import load_checkpoint

from .checkpoint import CheckpointTokenizer, pooling_and_normalize
from .decoder import Decoder, DecoderConfig, embed_rows


class DecoderRunner:
    def __init__(self, folder, device="auto", dtype=None, max_length=None, token_budget=16384, template="Instruct: {instruction}\nQuery: ", causal=None):
        self.devices = pick_devices(device)
        on_gpu = self.devices[0].startswith("cuda")
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32, "fp64": torch.float64, None: torch.bfloat16 if on_gpu else torch.float64}[dtype]
        self.tok = CheckpointTokenizer(folder, max_length)
        self.normalize = pooling_and_normalize(folder)
        cfg = DecoderConfig.load(folder)
        weights = load_checkpoint(folder)
        self.models = [Decoder(cfg, weights, self.dtype, d) for d in self.devices]
        self.causal = causal
        self.template = template
        self.token_budget = token_budget

    def embed(self, texts, instruction=""):
        prefix = self.template.format(instruction=instruction) if instruction else ""
        rows = [self.tok.encode(prefix + t) for t in texts]
        batches = token_budget_batches([len(r) for r in rows], self.token_budget)
        out = [None] * len(texts)

        def work(k):
            m = self.models[k]
            for bi in range(k, len(batches), len(self.models)):
                idx = batches[bi]
                e = embed_rows(m, [rows[i] for i in idx], self.tok.pad_id, "right", self.causal, self.normalize)
                e = e.to(torch.float64).cpu()
                for j, i in enumerate(idx):
                    out[i] = e[j].tolist()

        threads = [threading.Thread(target=work, args=(k,)) for k in range(len(self.models))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return out
