"""python3 -m runners.hf_torch {embed,serve} --checkpoint DIR ...

Decoder embedders (MistralModel / Qwen2Model and their *ForCausalLM layouts: e5-mistral, SFR-Embedding-Mistral,
gte-Qwen2) in our own PyTorch code (runners/hf_torch/decoder.py). Tokenization, max_seq_length, pooling and
normalisation come from the checkpoint's files; queries get `--template` with the instruction, documents none.
embed: JSONL in ({"text": ...} per line, or plain lines), JSONL {"text", "embedding"} out, input order.
serve: OpenAI-compatible POST /v1/embeddings (runners/nvembed_torch/server.py; `instruction` extra field).
Default device: all visible GPUs in bf16, else CPU in float64 (the reference).
"""
import argparse
import json
import sys

from .embed import DecoderRunner


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m runners.hf_torch")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--checkpoint", required=True)
        p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
        p.add_argument("--dtype", choices=["fp16", "bf16", "fp32", "fp64"], default=None)
        p.add_argument("--max-length", type=int, default=None, help="default: sentence_bert_config.json max_seq_length")
        p.add_argument("--token-budget", type=int, default=16384)
        p.add_argument("--template", default="Instruct: {instruction}\nQuery: ", help="query prefix; {instruction} is replaced")
        p.add_argument("--attention", choices=["config", "causal", "bidirectional"], default="config",
                       help="config: causal unless config.json says is_causal=false")
        if name == "embed":
            p.add_argument("--input", default="-")
            p.add_argument("--output", default="-")
            p.add_argument("--instruction", default="")
        else:
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--model-name", default="hf-decoder")
    a = ap.parse_args(argv)
    causal = {"config": None, "causal": True, "bidirectional": False}[a.attention]
    runner = DecoderRunner(a.checkpoint, a.device, a.dtype, a.max_length, a.token_budget, a.template, causal)
    if a.cmd == "serve":
        from runners.nvembed_torch.server import serve

        return serve(runner, a.host, a.port, a.model_name)
    src = sys.stdin if a.input == "-" else open(a.input, encoding="utf-8")
    texts = [json.loads(ln)["text"] if ln.lstrip().startswith("{") else ln for ln in src.read().splitlines() if ln.strip()]
    vecs = runner.embed(texts, a.instruction)
    dst = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    for t, v in zip(texts, vecs):
        dst.write(json.dumps({"text": t, "embedding": v}) + "\n")
    dst.flush()


if __name__ == "__main__":
    main()
