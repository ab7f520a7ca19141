"""The PyTorch NV-Embed runner on the checkpoint and inputs bench/gpu/random-checkpoint.ts wrote, for the
comparison with the in-process graph (bench/gpu/graph-throughput.ts) in the same device call.

python3 bench/gpu/torch-same-inputs.py CKPT_DIR --out torch.json --reference ref.json [--dtypes fp16,bf16] [--iters 3]
- ref.json: the check batch's embeddings from the fp32 model (the reference graph-throughput.ts compares with;
  float64 does not fit an 80 GB card at full size)
- torch.json: tokens/s per batch shape for each timed dtype, CUDA events, same ids as the graph, no padding
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.getcwd())
from runners.nvembed_torch.model import NvEmbed, NvEmbedConfig  # noqa: E402
from runners.nvembed_torch.safetensors_io import load_checkpoint  # noqa: E402

DT = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpt")
    ap.add_argument("--out", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--dtypes", default="fp16,bf16")
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = ap.parse_args()
    dev = a.device
    cuda = dev.startswith("cuda")
    inputs = json.load(open(os.path.join(a.ckpt, "inputs.json")))
    cfg = NvEmbedConfig.load(a.ckpt)
    t = time.time()
    weights = load_checkpoint(a.ckpt)
    res = {"torch": torch.__version__, "device": dev, "gpu": torch.cuda.get_device_name(0) if cuda else None, "load_s": round(time.time() - t, 2), "runs": []}

    def feeds(ids):
        x = torch.tensor(ids, device=dev)
        ones = torch.ones_like(x)
        return x, ones, ones.clone()

    def save():
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)

    # fp32 reference first, then free it before the timed dtypes
    with torch.inference_mode():
        m = NvEmbed(cfg, weights, torch.float32, dev)
        e = m.forward(*feeds(inputs["check"]["ids"])).to(torch.float64).cpu()
        with open(a.reference, "w") as f:
            json.dump({"dtype": "fp32", "embeddings": e.tolist()}, f)
        del m, e
        if cuda:
            torch.cuda.empty_cache()
        save()
        for name in a.dtypes.split(","):
            try:
                m = NvEmbed(cfg, weights, DT[name], dev)
            except Exception as ex:  # noqa: BLE001 - e.g. fp16 LayerNorm on an old CPU torch: record, go on
                res["runs"].append({"dtype": name, "error": f"{type(ex).__name__}: {str(ex)[:300]}"})
                print(json.dumps(res["runs"][-1]), file=sys.stderr, flush=True)
                save()
                continue
            for r in inputs["runs"]:
                run = {"dtype": name, "batch": r["batch"], "seq": r["seq"]}
                try:
                    f = feeds(r["ids"])
                    m.forward(*f)
                    if cuda:
                        torch.cuda.synchronize()
                        s0, s1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                        s0.record()
                    t0 = time.time()
                    for _ in range(a.iters):
                        m.forward(*f)
                    if cuda:
                        s1.record()
                        torch.cuda.synchronize()
                        sec = s0.elapsed_time(s1) / 1000 / a.iters
                    else:
                        sec = (time.time() - t0) / a.iters
                    run.update(seconds=round(sec, 4), tokens_per_s=round(r["batch"] * r["seq"] / sec))
                except Exception as ex:  # noqa: BLE001 - record OOM etc. and go on
                    run["error"] = f"{type(ex).__name__}: {str(ex)[:300]}"
                res["runs"].append(run)
                print(json.dumps(run), file=sys.stderr, flush=True)
                save()
            del m
            if cuda:
                torch.cuda.empty_cache()
    save()


if __name__ == "__main__":
    main()
