"""python3 -m runners.nvembed_torch {embed,serve} --checkpoint DIR ...

embed: JSONL in ({"text": ...} per line, or plain lines), JSONL {"text", "embedding"} out, input order.
serve: OpenAI-compatible POST /v1/embeddings (see server.py).
Default device: all visible GPUs in bf16, else CPU in float64 (the reference).
"""
import argparse
import json
import sys

from .embed import Runner


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m runners.nvembed_torch")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--checkpoint", required=True)
        p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
        p.add_argument("--dtype", choices=["fp16", "bf16", "fp32", "fp64"], default=None)
        p.add_argument("--max-length", type=int, default=4096)
        p.add_argument("--token-budget", type=int, default=16384, help="tokens per pack (packed) or per padded batch")
        p.add_argument("--packing", choices=["auto", "on", "off"], default="auto",
                       help="texts packed end to end without padding (varlen attention); auto: on for CUDA, off on CPU")
        p.add_argument("--compile", choices=["off", "compile", "cuda-graphs"], default="off",
                       help="torch.compile the packed forward (CUDA, torch >= 2; ignored on CPU)")
        if name == "embed":
            p.add_argument("--input", default="-")
            p.add_argument("--output", default="-")
            p.add_argument("--instruction", default="")
        else:
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--model-name", default="nv-embed")
    a = ap.parse_args(argv)
    runner = Runner(a.checkpoint, a.device, a.dtype, a.max_length, a.token_budget, a.packing, a.compile)
    if a.cmd == "serve":
        from .server import serve

        return serve(runner, a.host, a.port, a.model_name)
    src = sys.stdin if a.input == "-" else open(a.input, encoding="utf-8")
    texts = []
    for ln in src.read().splitlines():
        if not ln.strip():
            continue
        texts.append(json.loads(ln)["text"] if ln.lstrip().startswith("{") else ln)
    vecs = runner.embed(texts, a.instruction)
    dst = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    for t, v in zip(texts, vecs):
        dst.write(json.dumps({"text": t, "embedding": v}) + "\n")
    dst.flush()


if __name__ == "__main__":
    main()
