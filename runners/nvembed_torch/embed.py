"""Length-bucketed batching over one or more devices for the PyTorch NV-Embed runner."""
import threading

import torch

from runners.packing.accel import autocast, maybe_compile
from runners.packing.attention import choose, log_new_kernels
from runners.packing.packs import Pack, pack_rows
from runners.packing.pipeline import run_overlapped

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


def run_replicas(n, device_loop):
    """device_loop(k) for each replica k in its own thread (one per device); the first error is raised here."""
    errors = []

    def work(k):
        try:
            device_loop(k)
        except BaseException as ex:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(ex)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def resolve_packing(packing, device):
    """auto: packed on CUDA (varlen kernels, no padding); padded on CPU, where the packed fallback is a dense
    block-diagonal mask over the whole pack (exact, but quadratic in the pack length)."""
    if packing not in ("auto", "on", "off", True, False):
        raise ValueError(f"packing must be auto, on or off, not {packing!r}")
    if packing == "auto":
        return device.startswith("cuda")
    return packing in ("on", True)


class Runner:
    """One model replica per device; batches (packs of rows without padding, or length-bucketed padded batches) are
    dealt round-robin to per-device threads, each double-buffered (runners/packing/pipeline.py)."""

    def __init__(self, folder, device="auto", dtype=None, max_length=4096, token_budget=16384, packing="auto", compile="off"):
        self.devices = pick_devices(device)
        on_gpu = self.devices[0].startswith("cuda")
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32, "fp64": torch.float64, None: torch.bfloat16 if on_gpu else torch.float64}[dtype]
        self.tok = load_tokenizer(folder)
        cfg = NvEmbedConfig.load(folder)
        weights = load_checkpoint(folder)
        self.models = [NvEmbed(cfg, weights, self.dtype, d) for d in self.devices]
        self.packed_fns = [maybe_compile(m.forward_packed, m.device, compile, lambda m=m: choose(m.device, self.dtype, cfg.heads, cfg.head_dim, False)) for m in self.models]
        self.dim = cfg.hidden
        self.max_length = max_length
        self.token_budget = token_budget
        self.packing = resolve_packing(packing, self.devices[0])

    def tokenize(self, texts, instruction="", role=None):
        """Token rows for embed_rows; the server calls it outside its model lock, so request i+1 is tokenised while
        request i runs. role: accepted for the shared server interface; NV-Embed's prompt is the instruction alone."""
        return encode_rows(self.tok, texts, instruction, self.max_length)

    def embed(self, texts, instruction="", role=None):
        return self.embed_rows(self.tokenize(texts, instruction, role))

    def embed_rows(self, rows):
        lengths = [len(r[0]) for r in rows]
        out = [None] * len(rows)
        pin = self.devices[0].startswith("cuda")
        if self.packing:
            batches = pack_rows(lengths, self.token_budget)
            build = lambda idx: Pack([rows[i][0] for i in idx], [rows[i][1] for i in idx], pin)  # noqa: E731
        else:
            batches = token_budget_batches(lengths, self.token_budget)
            build = lambda idx: _padded(rows, idx, pin)  # noqa: E731

        def finish(idx, e):
            e = e.to(torch.float64)
            for j, i in enumerate(idx):
                out[i] = e[j].tolist()

        def device_loop(k):
            m = self.models[k]
            mine = batches[k :: len(self.models)]
            if self.packing:
                compute = lambda pk: self.packed_fns[k](pk.to(m.device))  # noqa: E731
            else:
                compute = lambda t: m.forward(*(x.to(m.device, non_blocking=True) for x in t))  # noqa: E731
            with autocast(m.device, self.dtype):
                run_overlapped(mine, build, compute, finish, m.device)

        run_replicas(len(self.models), device_loop)
        log_new_kernels()
        return out


def _padded(rows, idx, pin):
    L = max(len(rows[i][0]) for i in idx)
    ids = torch.tensor([rows[i][0] + [2] * (L - len(rows[i][0])) for i in idx])
    att = torch.tensor([[1] * len(rows[i][0]) + [0] * (L - len(rows[i][0])) for i in idx])
    pool = torch.tensor([rows[i][1] + [0] * (L - len(rows[i][0])) for i in idx])
    return tuple(t.pin_memory() for t in (ids, att, pool)) if pin else (ids, att, pool)
