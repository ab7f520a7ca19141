# numpy/OpenBLAS reference timings for bench/search/run.ts, on the very arrays the TS side searches.
# Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/search/numpy_search.py Q.npy C.npy K [bare]
# Prints one JSON object: seconds of one bare matmul pass and of one matmul + argpartition top-k pass (+ sort
# of the k), and of normalise + matmul (cosine as mteb's cos_sim computes it), chunked by 50,000 docs like mteb, plus
# the BLAS kernel threadpoolctl reports ('bare': the bare matmul only). run.ts calls it
# several times, interleaved with its own runs, and keeps the best of each (the dev box is shared).
import json
import sys
import time

import numpy as np

q = np.load(sys.argv[1])
c = np.load(sys.argv[2])
K = int(sys.argv[3])
N = c.shape[0]
CHUNK = 50_000


def bare():
    for s in range(0, N, CHUNK):
        q @ c[s : s + CHUNK].T


def cos():
    # what mteb's cos_sim does per chunk: normalise both sides (torch.nn.functional.normalize), then matmul
    qn = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    for s in range(0, N, CHUNK):
        cc = c[s : s + CHUNK]
        qn @ (cc / np.maximum(np.linalg.norm(cc, axis=1, keepdims=True), 1e-12)).T


def topk():
    best_v = None
    for s in range(0, N, CHUNK):
        sc = q @ c[s : s + CHUNK].T
        kk = min(K, sc.shape[1])
        idx = np.argpartition(-sc, kk - 1, axis=1)[:, :kk]
        v = np.take_along_axis(sc, idx, axis=1)
        best_v = v if best_v is None else np.concatenate([best_v, v], axis=1)
        if best_v.shape[1] > K:
            j = np.argpartition(-best_v, K - 1, axis=1)[:, :K]
            best_v = np.take_along_axis(best_v, j, axis=1)
    np.sort(best_v, axis=1)


def once(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


try:
    from threadpoolctl import threadpool_info

    kernel = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info()]
except Exception as e:  # threadpoolctl missing
    kernel = [f"unknown ({e})"]
q[:8] @ c[:1000].T  # start the BLAS threads
out = {"numpy": np.__version__, "kernel": kernel, "bare_s": once(bare)}
if sys.argv[4:] != ["bare"]:
    out["cos_s"] = once(cos)
    out["topk_s"] = once(topk)
print(json.dumps(out))
