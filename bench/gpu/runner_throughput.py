"""PyTorch NV-Embed runner on real length mixes: packed (no padding) vs padded batches, random weights at any size.

  python3 bench/gpu/runner_throughput.py --config fixtures/models/nv-embed-v2-layout/config.json --device cuda \
      --dtype bf16 --texts 4000 --out runner-throughput.json

Lengths: for each task below, texts are sampled from a log-normal whose mean is the corpus' published average length
(characters) and whose spread puts the published min and max at +-3.7 sigma, clipped to [min, max], then turned into
tokens at --chars-per-token (4.0: about what Mistral's tokenizer gives on English) and cut at --max-length.
Documents and queries are mixed in the ratio of the corpus (documents dominate). Source: mteb's descriptive
statistics, embeddings-benchmark/mteb@a905523d0 (2026-08-22), mteb/descriptive_stats/Retrieval/<task>.json
(documents_text_statistics / queries_text_statistics: min, average, max text length; mteb publishes no std).

Timing: CUDA events around the whole run (and around each batch: busy = sum of batch times / run time, i.e. how
well the double-buffered producer keeps the GPU fed); on CPU wall clock, labelled "timer": "wall_clock_cpu".
Useful FLOPs count each text alone (2 x matmul params x tokens + self-attention 4 L^2 d per layer + latent
cross-attention), so padding shows up as a lower fraction of --peak-tflops (H100/H200 SXM dense bf16: 989).
Agreement: cosine distance between the packed and the padded embeddings of every text, both in --dtype.
"""
import argparse
import json
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import torch  # noqa: E402

from runners.nvembed_torch.bench_random import matmul_params, random_weights  # noqa: E402
from runners.nvembed_torch.embed import _padded, token_budget_batches  # noqa: E402
from runners.nvembed_torch.model import NvEmbed, NvEmbedConfig  # noqa: E402
from runners.packing import attention  # noqa: E402
from runners.packing.accel import autocast, maybe_compile  # noqa: E402
from runners.packing.packs import Pack, pack_rows  # noqa: E402
from runners.packing.pipeline import run_overlapped  # noqa: E402

# (task, split, documents, (min, mean, max) chars, queries, (min, mean, max) chars): mteb descriptive stats.
LENGTH_STATS = [
    ("ArguAna", "test", 8674, (2, 1029.5, 6673), 1406, (251, 1192.7, 5500)),
    ("ClimateFEVER", "test", 5416593, (1, 539.2, 374597), 1535, (26, 123.4, 406)),
    ("DBPedia", "test", 4635922, (8, 310.2, 42899), 400, (6, 34.1, 88)),
    ("FEVER", "test", 5416568, (1, 539.2, 374597), 6666, (14, 49.6, 189)),
    ("FiQA2018", "test", 57638, (0, 767.2, 16990), 648, (16, 62.7, 147)),
    ("HotpotQA", "test", 5233329, (8, 288.9, 8276), 7405, (32, 92.2, 288)),
    ("MSMARCO", "dev", 8841823, (3, 335.8, 1669), 6980, (9, 33.3, 186)),
    ("NFCorpus", "test", 3633, (123, 1590.8, 10090), 323, (3, 21.8, 72)),
    ("NQ", "test", 2681468, (4, 493.2, 17008), 3452, (25, 48.2, 100)),
    ("QuoraRetrieval", "test", 522931, (1, 62.2, 1169), 10000, (2, 51.5, 258)),
    ("SCIDOCS", "test", 25657, (10, 1204.4, 10169), 1000, (16, 71.6, 206)),
    ("SciFact", "test", 5183, (221, 1499.4, 10127), 300, (28, 90.3, 204)),
    ("TRECCOVID", "test", 171332, (0, 1117.5, 122459), 50, (30, 69.2, 165)),
]
PEAKS = {"H100": 989.0, "H200": 989.0, "A100": 312.0}


def sample_chars(rng, lo, mean, hi):
    lo = max(lo, 1)
    sigma = max(math.log(hi / lo) / (2 * 3.7), 1e-3)
    mu = math.log(mean) - sigma * sigma / 2
    return min(max(rng.lognormvariate(mu, sigma), lo), hi)


def sample_lengths(tasks, n, chars_per_token, max_length, seed):
    """n token lengths per task (documents and queries in the corpus' ratio, at least one query), +2 for <s> </s>."""
    rng = random.Random(seed)
    out = {}
    for name, _, nd, dst, nq, qst in LENGTH_STATS:
        if tasks and name not in tasks:
            continue
        n_q = max(1, round(n * nq / (nd + nq)))
        chars = [sample_chars(rng, *dst) for _ in range(n - n_q)] + [sample_chars(rng, *qst) for _ in range(n_q)]
        out[name] = [min(max(1, round(c / chars_per_token)) + 2, max_length) for c in chars]
    return out


def useful_flops(cfg, lengths):
    inner = cfg.cross_heads * cfg.cross_dim_head
    p = matmul_params(cfg)
    return sum(2 * p * L + 4 * L * L * cfg.heads * cfg.head_dim * cfg.layers + 4 * L * cfg.n_latents * inner for L in lengths)


class Timer:
    """CUDA events on a GPU (whole run + per batch), wall clock on the CPU."""

    def __init__(self, device):
        self.cuda = torch.device(device).type == "cuda"
        self.batches = []

    def start(self):
        if self.cuda:
            torch.cuda.synchronize()
            self.t0 = torch.cuda.Event(enable_timing=True)
            self.t0.record()
        self.w0 = time.perf_counter()

    def around(self, fn):
        def timed(x):
            if not self.cuda:
                t = time.perf_counter()
                y = fn(x)
                self.batches.append(time.perf_counter() - t)
                return y
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            y = fn(x)
            b.record()
            self.batches.append((a, b))
            return y
        return timed

    def stop(self):
        """(seconds, busy seconds)."""
        if not self.cuda:
            return time.perf_counter() - self.w0, sum(self.batches)
        t1 = torch.cuda.Event(enable_timing=True)
        t1.record()
        torch.cuda.synchronize()
        return self.t0.elapsed_time(t1) / 1e3, sum(a.elapsed_time(b) for a, b in self.batches) / 1e3


def run_mode(model, fn, rows, mode, budget, device, dtype):
    lengths = [len(r[0]) for r in rows]
    pin = torch.device(device).type == "cuda"
    out = [None] * len(rows)
    if mode == "packed":
        batches = pack_rows(lengths, budget)
        build = lambda idx: Pack([rows[i][0] for i in idx], [rows[i][1] for i in idx], pin)  # noqa: E731
        compute = lambda pk: fn(pk.to(device))  # noqa: E731
    else:
        batches = token_budget_batches(lengths, budget)
        build = lambda idx: _padded(rows, idx, pin)  # noqa: E731
        compute = lambda t: model.forward(*(x.to(device, non_blocking=True) for x in t))  # noqa: E731

    def finish(idx, e):
        for j, i in enumerate(idx):
            out[i] = e[j].float()

    with autocast(device, dtype):
        run_overlapped(batches[:1], build, compute, lambda *_: None, device)  # warm-up (kernel choice, allocator)
        timer = Timer(device)
        timer.start()
        run_overlapped(batches, build, timer.around(compute), finish, device)
        secs, busy = timer.stop()
    slots = sum(len(b) * max(lengths[i] for i in b) for b in batches) if mode == "padded" else sum(lengths)
    return out, {"batches": len(batches), "seconds": round(secs, 4), "busy_fraction": round(busy / secs, 4) if secs else None,
                 "computed_token_slots": slots}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", help="an NV-Embed config.json (random weights of its shapes); not needed with --lengths-only")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--dtype", default=None, choices=["bf16", "fp16", "fp32", "fp64"], help="default: bf16 on CUDA, fp32 on CPU")
    ap.add_argument("--tasks", default="", help="comma-separated subset of the table (default: all)")
    ap.add_argument("--texts", type=int, default=2000, help="texts sampled per task")
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--chars-per-token", type=float, default=4.0)
    ap.add_argument("--token-budget", type=int, default=16384)
    ap.add_argument("--peak-tflops", type=float, default=None, help="default: by GPU name (H100/H200 989); none on CPU")
    ap.add_argument("--compile", choices=["off", "compile", "cuda-graphs"], default="off")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="-")
    ap.add_argument("--lengths-only", action="store_true", help="print the length mix and padding vs packing table (no model)")
    a = ap.parse_args()
    if a.lengths_only:
        return lengths_table(a)
    if not a.config:
        ap.error("--config is required (an NV-Embed config.json)")
    cuda = a.device.startswith("cuda")
    dt_name = a.dtype or ("bf16" if cuda else "fp32")
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32, "fp64": torch.float64}[dt_name]
    with open(a.config) as f:
        cfg = NvEmbedConfig(json.load(f))
    gpu = torch.cuda.get_device_name(0) if cuda else None
    peak = a.peak_tflops or next((v for k, v in PEAKS.items() if gpu and k in gpu), None)
    res = {"torch": torch.__version__, "device": a.device, "gpu": gpu, "dtype": dt_name, "config": a.config,
           "timer": "cuda_events" if cuda else "wall_clock_cpu", "peak_tflops": peak, "max_length": a.max_length,
           "chars_per_token": a.chars_per_token, "token_budget": a.token_budget, "compile": a.compile,
           "length_source": "embeddings-benchmark/mteb@a905523d0 mteb/descriptive_stats/Retrieval/*.json", "tasks": []}
    model = NvEmbed(cfg, random_weights(cfg, a.device, dtype, a.seed), dtype, a.device)
    fn = maybe_compile(model.forward_packed, a.device, a.compile, lambda: attention.choose(a.device, dtype, cfg.heads, cfg.head_dim, False))
    g = torch.Generator().manual_seed(a.seed)
    tasks = [t for t in a.tasks.split(",") if t]
    for name, lengths in sample_lengths(tasks, a.texts, a.chars_per_token, a.max_length, a.seed).items():
        rows = [(torch.randint(3, cfg.vocab, (L,), generator=g).tolist(), [1] * L) for L in lengths]
        entry = {"task": name, "texts": len(rows), "tokens": sum(lengths), "mean_len": round(sum(lengths) / len(lengths), 1), "max_len": max(lengths)}
        fl = useful_flops(cfg, lengths)
        entry["useful_tflop"] = round(fl / 1e12, 4)
        embs = {}
        for mode in ("packed", "padded"):
            try:
                embs[mode], r = run_mode(model, fn, rows, mode, a.token_budget, a.device, dtype)
                r["tokens_per_s"] = round(sum(lengths) / r["seconds"], 1)
                r["tflops"] = round(fl / r["seconds"] / 1e12, 3)
                r["peak_fraction"] = round(fl / r["seconds"] / 1e12 / peak, 4) if peak else None
            except Exception as ex:  # noqa: BLE001 - record (OOM, kernel) and go on
                r = {"error": f"{type(ex).__name__}: {str(ex)[:300]}"}
                if cuda:
                    torch.cuda.empty_cache()
            entry[mode] = r
        if len(embs) == 2:
            cos = torch.stack([torch.nn.functional.cosine_similarity(x, y, dim=0) for x, y in zip(embs["packed"], embs["padded"])])
            dist = (1 - cos).clamp(min=0)  # rounding can put cos a hair above 1
            entry["cosine_distance_packed_vs_padded"] = {"max": float(dist.max()), "mean": float(dist.mean())}
            entry["speedup_packed_over_padded"] = round(entry["padded"]["seconds"] / entry["packed"]["seconds"], 3)
        res["tasks"].append(entry)
        print(json.dumps(entry), file=sys.stderr, flush=True)
        write(res, a.out, final=False)  # a step killed at its time limit still leaves the tasks done so far
    for mode in ("packed", "padded"):  # all tasks together: total tokens (and useful FLOPs) over total time
        ok = [t for t in res["tasks"] if "seconds" in t.get(mode, {})]
        secs = sum(t[mode]["seconds"] for t in ok)
        if secs:
            res[f"overall_{mode}_tokens_per_s"] = round(sum(t["tokens"] for t in ok) / secs, 1)
            res[f"overall_{mode}_peak_fraction"] = round(sum(t["useful_tflop"] for t in ok) / secs / peak, 4) if peak else None
    write(res, a.out, final=True)


def lengths_table(a):
    """What the length mix alone implies: padding in the runner's padded batches vs how full the packs are."""
    tasks = [t for t in a.tasks.split(",") if t]
    print("| task | mean tokens | % texts cut at max length | padding in padded batches (%) | padded batches | packs | pack fill (%) |")
    print("|---|---|---|---|---|---|---|")
    for name, L in sample_lengths(tasks, a.texts, a.chars_per_token, a.max_length, a.seed).items():
        b, p = token_budget_batches(L, a.token_budget), pack_rows(L, a.token_budget)
        slots = sum(len(x) * max(L[i] for i in x) for x in b)
        cut = sum(1 for x in L if x >= a.max_length) / len(L) * 100
        print(f"| {name} | {sum(L) / len(L):.0f} | {cut:.0f} | {(slots - sum(L)) / slots * 100:.1f} | {len(b)} | {len(p)} | {sum(L) / (len(p) * a.token_budget) * 100:.1f} |")


def write(res, path, final):
    res["attention"] = attention.used()
    res["complete"] = final
    out = json.dumps(res, indent=1)
    if path == "-":
        if final:
            print(out)
        return
    with open(path + ".tmp", "w") as f:
        f.write(out + "\n")
    os.replace(path + ".tmp", path)

if __name__ == "__main__":
    main()
