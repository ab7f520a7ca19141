#!/usr/bin/env python3
"""The NV-Embed ONNX graph on a GPU through onnxruntime's Python package, when the device machine has one
(it has no Node.js, so onnxruntime-node cannot run there). Compares each golden case of the tiny checkpoint
(fixtures/golden/nvembed/tiny-golden.json: token ids + pool mask + float64 PyTorch reference embedding) with
the graph's output on every available execution provider, and times a larger batch.

    python3 bench/gpu/ort-python-check.py GRAPHS_DIR OUT.json
GRAPHS_DIR holds tiny-fp32/model.onnx, tiny-fp16/model.onnx, tiny-fp32-mha/model.onnx (bench/gpu/prepare-carry.sh
plus `build-onnx --attention mha`). Every failure is recorded; nothing needs network.
"""
import json, os, sys, time

out = {}
try:
    import numpy as np
    import onnxruntime as ort
except Exception as e:  # noqa: BLE001
    json.dump({"onnxruntime": f"absent: {e}"}, open(sys.argv[2], "w"), indent=1)
    sys.exit(0)
graphs, dest = sys.argv[1], sys.argv[2]
out["onnxruntime"] = ort.__version__
out["providers"] = ort.get_available_providers()
g = json.load(open("fixtures/golden/nvembed/tiny-golden.json"))
results = {}
for graph in ("tiny-fp32", "tiny-fp16", "tiny-fp32-mha"):
    path = os.path.join(graphs, graph, "model.onnx")
    if not os.path.exists(path):
        results[graph] = "graph absent"
        continue
    for ep in [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in out["providers"]]:
        key = f"{graph}/{ep}"
        try:
            s = ort.InferenceSession(path, providers=[ep])
            worst = 0.0
            for c in g["cases"]:
                ids = np.asarray([c["input_ids"]], dtype=np.int64)
                feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "pool_mask": np.asarray([c["pool_mask"]], dtype=np.int64)}
                names = {i.name: i for i in s.get_inputs()}
                for n, i in names.items():
                    if "int32" in i.type:
                        feed[n] = feed[n].astype(np.int32)
                e = s.run(["sentence_embeddings"], {k: v for k, v in feed.items() if k in names})[0][0]
                worst = max(worst, float(np.max(np.abs(e.astype(np.float64) - np.asarray(c["embedding"])))))
            # throughput on a padded batch: 64 x 512 tokens
            ids = np.random.RandomState(0).randint(3, 30000, size=(64, 512)).astype(np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "pool_mask": np.ones_like(ids)}
            s.run(["sentence_embeddings"], feed)
            t = time.time(); n = 3
            for _ in range(n):
                s.run(["sentence_embeddings"], feed)
            dt = (time.time() - t) / n
            results[key] = {"max_abs_diff_vs_torch_float64": worst, "tokens_per_s_64x512": round(64 * 512 / dt), "providers_used": s.get_providers()}
        except Exception as e:  # noqa: BLE001
            results[key] = f"failed: {str(e)[:400]}"
out["results"] = results
json.dump(out, open(dest, "w"), indent=1)
print(json.dumps(out, indent=1))
