"""python3 -m runners.nvembed_torch {embed,serve} --checkpoint DIR ...

embed: JSONL in ({"text": ...} per line, or plain lines), JSONL {"text", "embedding"} out, input order.
serve: OpenAI-compatible POST /v1/embeddings (see server.py).
Default device: all visible GPUs in bf16, else CPU in float64 (the reference).
"""
from runners.packing.cli import build_parser, embed_jsonl

from .embed import Runner


def main(argv=None):
    ap = build_parser("python3 -m runners.nvembed_torch", 4096, None, "nv-embed")
    a = ap.parse_args(argv)
    runner = Runner(a.checkpoint, a.device, a.dtype, a.max_length, a.token_budget, a.packing, a.compile)
    if a.cmd == "serve":
        from .server import serve

        return serve(runner, a.host, a.port, a.model_name)
    embed_jsonl(a, lambda texts: runner.embed(texts, a.instruction))


if __name__ == "__main__":
    main()
