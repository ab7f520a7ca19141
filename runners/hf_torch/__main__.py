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
from runners.packing.cli import build_parser, embed_jsonl

from .embed import HfRunner


def _model_args(p, name):
    p.add_argument("--template", default="Instruct: {instruction}\nQuery: ", help="query prefix; {instruction} is replaced")
    p.add_argument("--query-prompt", default=None, help="encoders: query prefix (default: the checkpoint's own prompts)")
    p.add_argument("--passage-prompt", default=None, help="encoders: passage prefix (default: the checkpoint's own prompts)")
    p.add_argument("--attention", choices=["config", "causal", "bidirectional"], default="config",
                   help="config: causal unless config.json says is_causal=false")
    if name == "embed":
        p.add_argument("--role", choices=["query", "passage"], default=None)


def main(argv=None):
    ap = build_parser("python3 -m runners.hf_torch", None, "default: sentence_bert_config.json max_seq_length", "hf", _model_args)
    a = ap.parse_args(argv)
    causal = {"config": None, "causal": True, "bidirectional": False}[a.attention]
    runner = HfRunner(a.checkpoint, a.device, a.dtype, a.max_length, a.token_budget, a.template, causal, a.packing, a.compile)
    for role, prompt in (("query", a.query_prompt), ("passage", a.passage_prompt)):
        if prompt is not None:
            runner.prompts[role] = prompt
    if a.cmd == "serve":
        from runners.nvembed_torch.server import serve

        return serve(runner, a.host, a.port, a.model_name)
    embed_jsonl(a, lambda texts: runner.embed(texts, a.instruction, a.role))


if __name__ == "__main__":
    main()
