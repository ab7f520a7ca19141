"""python3 -m runners.hf_torch {embed,serve} --checkpoint DIR ...

Hub-layout sentence-transformers checkpoints in our own PyTorch code: encoders (BERT/BGE/E5/GTE/MiniLM,
XLM-RoBERTa, MPNet, NomicBert: runners/hf_torch/encoder.py) and decoders (MistralModel / Qwen2Model and their
*ForCausalLM layouts: e5-mistral, SFR-Embedding-Mistral, gte-Qwen2: decoder.py). Tokenization, max_seq_length,
prompts, pooling and normalisation come from the checkpoint's files. Encoders prefix the checkpoint's query /
passage prompt by role (--role, or the request's input_type); decoders prefix queries with `--template` and the
instruction, documents with nothing.
embed: JSONL in ({"text": ...} per line, or plain lines), JSONL {"text", "embedding"} out, input order.
serve: OpenAI-compatible POST /v1/embeddings (runners/nvembed_torch/server.py; `instruction` extra field).
Default device: all visible GPUs in bf16, else CPU in float64 (the reference).
"""
import argparse
import json
import sys

from .embed import HfRunner


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m runners.hf_torch")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--checkpoint", required=True)
        p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
        p.add_argument("--dtype", choices=["fp16", "bf16", "fp32", "fp64"], default=None)
        p.add_argument("--max-length", type=int, default=None, help="default: sentence_bert_config.json max_seq_length")
        p.add_argument("--token-budget", type=int, default=16384, help="tokens per pack (packed) or per padded batch")
        p.add_argument("--packing", choices=["auto", "on", "off"], default="auto",
                       help="texts packed end to end without padding (varlen attention); auto: on for CUDA, off on CPU")
        p.add_argument("--compile", choices=["off", "compile", "cuda-graphs"], default="off",
                       help="torch.compile the packed forward (CUDA, torch >= 2; ignored on CPU)")
        p.add_argument("--template", default="Instruct: {instruction}\nQuery: ", help="query prefix; {instruction} is replaced")
        p.add_argument("--query-prompt", default=None, help="encoders: query prefix (default: the checkpoint's own prompts)")
        p.add_argument("--passage-prompt", default=None, help="encoders: passage prefix (default: the checkpoint's own prompts)")
        p.add_argument("--attention", choices=["config", "causal", "bidirectional"], default="config",
                       help="config: causal unless config.json says is_causal=false")
        if name == "embed":
            p.add_argument("--input", default="-")
            p.add_argument("--output", default="-")
            p.add_argument("--instruction", default="")
            p.add_argument("--role", choices=["query", "passage"], default=None)
        else:
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--model-name", default="hf")
    a = ap.parse_args(argv)
    causal = {"config": None, "causal": True, "bidirectional": False}[a.attention]
    runner = HfRunner(a.checkpoint, a.device, a.dtype, a.max_length, a.token_budget, a.template, causal, a.packing, a.compile)
    for role, prompt in (("query", a.query_prompt), ("passage", a.passage_prompt)):
        if prompt is not None:
            runner.prompts[role] = prompt
    if a.cmd == "serve":
        from runners.nvembed_torch.server import serve

        return serve(runner, a.host, a.port, a.model_name)
    src = sys.stdin if a.input == "-" else open(a.input, encoding="utf-8")
    texts = [json.loads(ln)["text"] if ln.lstrip().startswith("{") else ln for ln in src.read().splitlines() if ln.strip()]
    vecs = runner.embed(texts, a.instruction, a.role)
    dst = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    for t, v in zip(texts, vecs):
        dst.write(json.dumps({"text": t, "embedding": v}) + "\n")
    dst.flush()


if __name__ == "__main__":
    main()
