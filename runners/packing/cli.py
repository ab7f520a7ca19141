"""The command line both runners share: `{embed,serve} --checkpoint DIR` with the same runtime options (device,
dtype, token budget, packing, compile), and the `embed` subcommand's JSONL in / JSONL out. Each runner adds its own
model options through `extra(parser, name)` and builds its runner from the parsed arguments."""
import argparse
import json
import sys


def build_parser(prog, max_length_default, max_length_help, model_name, extra=None):
    ap = argparse.ArgumentParser(prog=prog)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--checkpoint", required=True)
        p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
        p.add_argument("--dtype", choices=["fp16", "bf16", "fp32", "fp64"], default=None)
        p.add_argument("--max-length", type=int, default=max_length_default, help=max_length_help)
        p.add_argument("--token-budget", type=int, default=16384, help="tokens per pack (packed) or per padded batch")
        p.add_argument("--packing", choices=["auto", "on", "off"], default="auto",
                       help="texts packed end to end without padding (varlen attention); auto: on for CUDA, off on CPU")
        p.add_argument("--compile", choices=["off", "compile", "cuda-graphs"], default="off",
                       help="torch.compile the packed forward (CUDA, torch >= 2; ignored on CPU)")
        if extra:
            extra(p, name)
        if name == "embed":
            p.add_argument("--input", default="-")
            p.add_argument("--output", default="-")
            p.add_argument("--instruction", default="")
        else:
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--model-name", default=model_name)
    return ap


def embed_jsonl(a, embed):
    """Reads texts ({"text": ...} per line, or plain lines; blank lines skipped), writes {"text", "embedding"}
    lines in input order. `embed(texts)` returns one vector per text."""
    src = sys.stdin if a.input == "-" else open(a.input, encoding="utf-8")
    texts = [json.loads(ln)["text"] if ln.lstrip().startswith("{") else ln for ln in src.read().splitlines() if ln.strip()]
    vecs = embed(texts)
    dst = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    for t, v in zip(texts, vecs):
        dst.write(json.dumps({"text": t, "embedding": v}) + "\n")
    dst.flush()
