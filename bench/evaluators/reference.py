# The Python reference side of bench/evaluators/run.ts: times the same evaluator cores on the same inputs with
# scikit-learn / numpy (what mteb runs), on this machine, in the same bench run. Not needed by any test.
#   python3 bench/evaluators/reference.py <case.json>   -> prints {"seconds": s, ...} on stdout
# Bitext has two references: "bitext" (numpy, one GEMM per 256 queries: stricter than mteb) and "bitext-mteb"
# (mteb 1.12's own protocol on torch, as BitextMiningEvaluator runs it).
import json
import os
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
        t, c = time.perf_counter(), time.process_time()
        clf = LogisticRegression(max_iter=100).fit(X, y)
        pred = clf.predict(Xt)
        s, cs = time.perf_counter() - t, time.process_time() - c
        out = {"seconds": s, "cpu_seconds": cs, "n_iter": int(clf.n_iter_[0]), "predictions": pred[:20].tolist(), "all_predictions": pred.tolist()}
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
    elif kind in ("bitext", "bitext-mteb"):
        a, b = load(meta, "emb1"), load(meta, "emb2")

        def top1_numpy():
            # A stricter baseline than mteb's own: both sides normalised once, one float32 GEMM per 256-row
            # query block and its argmax (no per-query Python objects).
            an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
            bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
            return np.concatenate([np.argmax(an[i:i + 256] @ bn.T, axis=1) for i in range(0, len(an), 256)])

        def top1_mteb():
            # mteb 1.12's BitextMiningEvaluator._similarity_search(emb1, emb2, top_k=1), the same operations
            # (our own code): torch tensors over the numpy arrays; query chunks of 100 x corpus chunks of
            # 500,000; each chunk pair's cos_sim L2-normalises BOTH chunks again (torch.nn.functional.normalize,
            # eps 1e-12) and multiplies them (torch.mm); torch.topk(k=1, sorted=False); values and indices to
            # Python lists; one {"corpus_id", "score"} dict per hit in a per-query list; then each query's list
            # sorted by score, descending, and cut to top_k; the prediction is the first hit's corpus_id.
            import torch
            import torch.nn.functional as F
            q, c = torch.from_numpy(a), torch.from_numpy(b)
            hits = [[] for _ in range(len(q))]
            for qs in range(0, len(q), 100):
                for cs in range(0, len(c), 500_000):
                    qn = F.normalize(q[qs:qs + 100], p=2, dim=1)
                    cn = F.normalize(c[cs:cs + 500_000], p=2, dim=1)
                    scores = torch.mm(qn, cn.transpose(0, 1))
                    vals, idx = torch.topk(scores, min(1, len(scores[0])), dim=1, largest=True, sorted=False)
                    vals, idx = vals.cpu().tolist(), idx.cpu().tolist()
                    for r in range(len(scores)):
                        for j, v in zip(idx[r], vals[r]):
                            hits[qs + r].append({"corpus_id": cs + j, "score": v})
            for i in range(len(hits)):
                hits[i] = sorted(hits[i], key=lambda h: h["score"], reverse=True)[0:1]
            return np.array([h[0]["corpus_id"] for h in hits])

        top1 = top1_numpy
        if kind == "bitext-mteb":
            import torch
            # torch's own default here is ONE intra-op thread (it counts this VM's cores as 1); mteb would run
            # with that default, but the bench gives every side the same cores: the thread count the bench asks
            # for (OMP_NUM_THREADS under --threads), else all cores. torch.mm runs on the system OpenBLAS.
            default_threads = torch.get_num_threads()
            torch.set_num_threads(int(meta.get("threads") or os.cpu_count()))
            top1 = top1_mteb

        if meta.get("serve"):
            # One process for all rounds (bench/evaluators/run.ts interleaves them with its own): each stdin line
            # runs one round and answers {"seconds", "cpu_seconds", "accuracy"}; the inputs are loaded (and numpy
            # imported) once, outside every timing, as the bench's own side has its inputs in memory.
            # The first answer also carries the predictions (the top-1 index of every sentence1), to compare with ours.
            ready = {"ready": True}
            if kind == "bitext-mteb":
                ready.update(torch_version=torch.__version__, torch_default_threads=default_threads, torch_threads=torch.get_num_threads())
            print(json.dumps(ready), flush=True)
            first = True
            for _ in sys.stdin:
                t, c = time.perf_counter(), time.process_time()
                pred = top1()
                s, cs = time.perf_counter() - t, time.process_time() - c
                answer = {"seconds": s, "cpu_seconds": cs, "accuracy": float(np.mean(pred == np.arange(len(pred))))}
                if first:
                    answer["predictions"] = pred.tolist()
                    first = False
                print(json.dumps(answer), flush=True)
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
