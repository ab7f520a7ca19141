"""Length-bucketed batching over one or more devices for the PyTorch NV-Embed runner."""
import threading

import torch

from .model import NvEmbed, NvEmbedConfig
from .safetensors_io import load_checkpoint
from .tokenizer import encode_rows, load_tokenizer


def token_budget_batches(lengths, budget, min_fill=0.75):
    """Longest first; a batch grows while rows x longest row stays within budget and each row is at least
    min_fill of the longest (same rule as src/embedders/nvembed/batching.ts)."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    out, cur, seq = [], [], 0
    for i in order:
        s = max(seq, lengths[i], 1)
        if cur and (s * (len(cur) + 1) > budget or max(lengths[i], 1) < min_fill * seq):
            out.append(cur)
            cur, seq = [], 0
        cur.append(i)
        seq = max(seq, lengths[i], 1)
    if cur:
        out.append(cur)
    return out


def pick_devices(device):
    if device == "cpu":
        return ["cpu"]
    if device in ("cuda", "auto"):
        if torch.cuda.is_available():
            return [f"cuda:{i}" for i in range(torch.cuda.device_count())]
        if device == "cuda":
            raise SystemExit("error: --device cuda but torch sees no GPU")
        return ["cpu"]
    return [device]


def run_on_devices(models, batches, embed_batch):
    """Deals the batches round-robin to one thread per model replica (one per device); embed_batch(model, idx)."""

    def work(k):
        for bi in range(k, len(batches), len(models)):
            embed_batch(models[k], batches[bi])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(models))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class Runner:
    """One model replica per device; batches are dealt round-robin to per-device threads."""

    def __init__(self, folder, device="auto", dtype=None, max_length=4096, token_budget=16384):
        self.devices = pick_devices(device)
        on_gpu = self.devices[0].startswith("cuda")
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32, "fp64": torch.float64, None: torch.bfloat16 if on_gpu else torch.float64}[dtype]
        self.tok = load_tokenizer(folder)
        cfg = NvEmbedConfig.load(folder)
        weights = load_checkpoint(folder)
        self.models = [NvEmbed(cfg, weights, self.dtype, d) for d in self.devices]
        self.dim = cfg.hidden
        self.max_length = max_length
        self.token_budget = token_budget

    def embed(self, texts, instruction="", role=None):
        # role: accepted for the shared server interface; NV-Embed's prompt is the instruction alone.
        rows = encode_rows(self.tok, texts, instruction, self.max_length)
        batches = token_budget_batches([len(r[0]) for r in rows], self.token_budget)
        out = [None] * len(texts)

        def embed_batch(m, idx):
            L = max(len(rows[i][0]) for i in idx)
            ids = torch.tensor([rows[i][0] + [2] * (L - len(rows[i][0])) for i in idx], device=m.device)
            att = torch.tensor([[1] * len(rows[i][0]) + [0] * (L - len(rows[i][0])) for i in idx], device=m.device)
            pool = torch.tensor([rows[i][1] + [0] * (L - len(rows[i][0])) for i in idx], device=m.device)
            e = m.forward(ids, att, pool).to(torch.float64).cpu()
            for j, i in enumerate(idx):
                out[i] = e[j].tolist()

        run_on_devices(self.models, batches, embed_batch)
        return out
