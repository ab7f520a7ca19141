# The Python reference side of bench/evaluators/run.ts: times the same evaluator cores on the same inputs with
# scikit-learn / numpy (what mteb runs), on this machine, in the same bench run. Not needed by any test.
#   python3 bench/evaluators/reference.py <case.json>   -> prints {"seconds": s, ...} on stdout
import json
import sys
import time

import numpy as np


def load(meta, name):
    a = np.fromfile(meta[name]["file"], dtype=np.float32)
    return a.reshape(meta[name]["rows"], meta[name]["dim"])


def main():
    meta = json.load(open(sys.argv[1]))
    kind = meta["kind"]
    if kind == "classification":
        from sklearn.linear_model import LogisticRegression
        X, Xt = load(meta, "train"), load(meta, "test")
        y = np.array(meta["y"])
        t = time.perf_counter()
        clf = LogisticRegression(max_iter=100).fit(X, y)
        pred = clf.predict(Xt)
        s = time.perf_counter() - t
        out = {"seconds": s, "n_iter": int(clf.n_iter_[0]), "predictions": pred[:20].tolist()}
    elif kind == "clustering":
        from sklearn.cluster import MiniBatchKMeans
        X = load(meta, "data")
        t, c = time.perf_counter(), time.process_time()
        km = MiniBatchKMeans(n_clusters=meta["k"], batch_size=500, n_init="auto", random_state=42).fit(X)
        s, cs = time.perf_counter() - t, time.process_time() - c
        out = {"seconds": s, "cpu_seconds": cs, "n_steps": int(km.n_steps_)}
    elif kind == "clustering-fast":
        # mteb 2.x _evaluate_clustering_bootstrapped: each round clusters a bootstrap sample (rows gathered by
        # the index list) with MiniBatchKMeans(batch_size=512, n_init=1, random_state=seed).
        from sklearn.cluster import MiniBatchKMeans
        X = np.fromfile(meta["data"]["file"], dtype=np.float32).reshape(meta["data"]["rows"], meta["data"]["dim"])
        idx = np.fromfile(meta["idx"], dtype=np.int32).reshape(meta["rounds"], meta["sample"])
        t, c = time.perf_counter(), time.process_time()
        steps = []
        for r in range(meta["rounds"]):
            km = MiniBatchKMeans(n_clusters=meta["k"], batch_size=512, init="k-means++", n_init=1, random_state=42).fit(X[idx[r]])
            steps.append(int(km.n_steps_))
        s, cs = time.perf_counter() - t, time.process_time() - c
        out = {"seconds": s, "cpu_seconds": cs, "n_steps": steps}
    elif kind == "bitext":
        a, b = load(meta, "emb1"), load(meta, "emb2")

        def top1():
            # mteb: cos_sim (normalise, then one float32 matmul) and top-1 per row, in query blocks.
            an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
            bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
            return np.concatenate([np.argmax(an[i:i + 256] @ bn.T, axis=1) for i in range(0, len(an), 256)])

        if meta.get("serve"):
            # One process for all rounds (bench/evaluators/run.ts interleaves them with its own): each stdin line
            # runs one round and answers {"seconds", "cpu_seconds", "accuracy"}; the inputs are loaded (and numpy
            # imported) once, outside every timing, as the bench's own side has its inputs in memory.
            print(json.dumps({"ready": True}), flush=True)
            for _ in sys.stdin:
                t, c = time.perf_counter(), time.process_time()
                pred = top1()
                s, cs = time.perf_counter() - t, time.process_time() - c
                print(json.dumps({"seconds": s, "cpu_seconds": cs, "accuracy": float(np.mean(pred == np.arange(len(pred))))}), flush=True)
            return
        seconds = []
        for _ in range(meta.get("rounds", 1)):
            t = time.perf_counter()
            pred = top1()
            seconds.append(time.perf_counter() - t)
        out = {"seconds": seconds, "accuracy": float(np.mean(pred == np.arange(len(pred))))}
    else:
        raise SystemExit(f"unknown kind {kind}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
