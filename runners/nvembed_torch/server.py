"""OpenAI-compatible embeddings endpoint: POST /v1/embeddings.

Body: {"input": str | [str], "model": any, "instruction": str?, "role": "query"|"passage"?}
`instruction`/`role` (or `input_type`, what mteb-ts's openai: embedder sends) are top-level extra fields, which is
what the OpenAI client's `extra_body=` sends. The runner decides what they mean: NV-Embed applies an instruction
whenever it is non-empty (QuoraRetrieval-style tasks send it for passages too) and ignores the role; the hf runner
prefixes encoders' role prompts and instructs decoders' queries only.
"""
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(runner, host="127.0.0.1", port=8000, model_name="nv-embed"):
    lock = __import__("threading").Lock()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, code, obj):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.rstrip("/") == "/v1/models":
                return self._send(200, {"object": "list", "data": [{"id": model_name, "object": "model"}]})
            self._send(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if self.path.rstrip("/") != "/v1/embeddings":
                return self._send(404, {"error": {"message": "not found"}})
            try:
                req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                inp = req["input"]
                texts = [inp] if isinstance(inp, str) else list(inp)
                if not all(isinstance(t, str) for t in texts):
                    raise ValueError("input must be a string or a list of strings (token arrays are not supported)")
                extra = req.get("extra_body") or {}
                instr = req.get("instruction") or extra.get("instruction") or ""
                role = req.get("input_type") or req.get("role") or extra.get("input_type") or extra.get("role")
                if role not in (None, "query", "passage"):
                    raise ValueError(f"input_type must be query or passage, got {role!r}")
            except (KeyError, ValueError, TypeError) as e:
                return self._send(400, {"error": {"message": f"bad request: {e}", "type": "invalid_request_error"}})
            # Tokenised here, in this request's own thread: request i+1 is tokenised (and request i's JSON written)
            # while the model lock holds request i on the device.
            rows = runner.tokenize(texts, instr, role)
            with lock:
                vecs = runner.embed_rows(rows)
            n_tok = sum(len(runner.tok.encode(t)) for t in texts)
            self._send(200, {
                "object": "list",
                "model": req.get("model", model_name),
                "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vecs)],
                "usage": {"prompt_tokens": n_tok, "total_tokens": n_tok},
            })

        def log_message(self, fmt, *args):
            pass

    httpd = ThreadingHTTPServer((host, port), Handler)
    print(f"serving {model_name} on http://{host}:{port}/v1/embeddings", flush=True)
    httpd.serve_forever()
