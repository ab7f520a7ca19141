# numpy/OpenBLAS reference timings for bench/search/run.ts (same shapes).
# Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/search/numpy_search.py M D N K REPS
# Prints one JSON object: best-of-REPS seconds for the bare matmul and for matmul + argpartition top-k (+ sort
# of the k), chunked by 50,000 docs like mteb, plus the BLAS kernel threadpoolctl reports.
import json
import sys
import time

import numpy as np

M, D, N, K, REPS = (int(x) for x in sys.argv[1:6])
rng = np.random.default_rng(0)
q = rng.standard_normal((M, D), dtype=np.float32)
c = rng.standard_normal((N, D), dtype=np.float32)
CHUNK = 50_000


def bare():
    for s in range(0, N, CHUNK):
        q @ c[s : s + CHUNK].T


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


def best(f):
    f()
    times = []
    for _ in range(REPS):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


try:
    from threadpoolctl import threadpool_info

    kernel = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info()]
except Exception as e:  # threadpoolctl missing
    kernel = [f"unknown ({e})"]
flops = 2.0 * M * D * N
tb = best(bare)
tt = best(topk)
print(json.dumps({"numpy": np.__version__, "kernel": kernel, "bare_s": tb, "bare_gflops": flops / tb / 1e9, "topk_s": tt, "topk_gflops": flops / tt / 1e9}))
