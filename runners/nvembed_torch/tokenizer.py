"""Tokenizer for NV-Embed's tokenizer.json (Mistral/Llama BPE with byte fallback).

Uses the `tokenizers` package when installed; otherwise a small pure-Python implementation of exactly the
pieces Mistral's tokenizer.json uses (added-token split, Prepend/Replace normalizer, BPE by merge rank,
byte fallback, `<s>` template). Both give the same ids; the TS side uses @huggingface/tokenizers, so the
goldens also cross-check two independent implementations.
"""
import json
import os


class PyBpeTokenizer:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        m = spec["model"]
        if m["type"] != "BPE":
            raise ValueError(f"{path}: model.type {m['type']} is not BPE")
        self.vocab = m["vocab"]
        merges = m["merges"]
        self.ranks = {}
        for i, mg in enumerate(merges):
            a, b = mg.split(" ", 1) if isinstance(mg, str) else mg
            self.ranks[(a, b)] = i
        self.byte_fallback = m.get("byte_fallback", False)
        self.unk = m.get("unk_token")
        self.added = {t["content"]: t["id"] for t in spec.get("added_tokens", [])}
        self.normalizers = self._flatten(spec.get("normalizer"))
        if spec.get("pre_tokenizer") is not None:
            raise ValueError("pre_tokenizer not supported by the pure-Python fallback; install `tokenizers`")
        post = spec.get("post_processor") or {}
        self.prefix_ids = []
        self.suffix_ids = []
        if post.get("type") == "TemplateProcessing":
            seen_a = False
            for piece in post["single"]:
                if "Sequence" in piece:
                    seen_a = True
                else:
                    tid = post["special_tokens"][piece["SpecialToken"]["id"]]["ids"]
                    (self.suffix_ids if seen_a else self.prefix_ids).extend(tid)

    @staticmethod
    def _flatten(n):
        if n is None:
            return []
        if n["type"] == "Sequence":
            out = []
            for x in n["normalizers"]:
                out.extend(PyBpeTokenizer._flatten(x))
            return out
        return [n]

    def _normalize(self, s):
        for n in self.normalizers:
            if n["type"] == "Prepend":
                s = n["prepend"] + s if s else s
            elif n["type"] == "Replace":
                s = s.replace(n["pattern"]["String"], n["content"])
            else:
                raise ValueError(f"normalizer {n['type']} not supported by the fallback")
        return s

    def _split_added(self, text):
        parts = []
        i = 0
        start = 0
        keys = sorted(self.added, key=len, reverse=True)
        while i < len(text):
            hit = next((k for k in keys if text.startswith(k, i)), None)
            if hit:
                if start < i:
                    parts.append((text[start:i], False))
                parts.append((hit, True))
                i += len(hit)
                start = i
            else:
                i += 1
        if start < len(text):
            parts.append((text[start:], False))
        return parts

    def _bpe(self, word):
        syms = []
        for ch in word:
            if ch in self.vocab:
                syms.append(ch)
            elif self.byte_fallback:
                syms.extend(f"<0x{b:02X}>" for b in ch.encode("utf-8"))
            else:
                syms.append(self.unk)
        while len(syms) > 1:
            best = None
            for j in range(len(syms) - 1):
                r = self.ranks.get((syms[j], syms[j + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, j)
            if best is None:
                break
            j = best[1]
            syms[j : j + 2] = [syms[j] + syms[j + 1]]
        return [self.vocab[s] for s in syms]

    def encode(self, text, add_special_tokens=True):
        ids = []
        for part, special in self._split_added(text):
            if special:
                ids.append(self.added[part])
            else:
                ids.extend(self._bpe(self._normalize(part)))
        if add_special_tokens:
            ids = self.prefix_ids + ids + self.suffix_ids
        return ids


class HfTokenizer:
    def __init__(self, path):
        from tokenizers import Tokenizer  # type: ignore

        self.tok = Tokenizer.from_file(path)

    def encode(self, text, add_special_tokens=True):
        return self.tok.encode(text, add_special_tokens=add_special_tokens).ids


def load_tokenizer(folder, prefer_python=False):
    path = os.path.join(folder, "tokenizer.json")
    if not prefer_python:
        try:
            return HfTokenizer(path)
        except ImportError:
            pass
    return PyBpeTokenizer(path)


def instruction_prefix(instruction):
    return f"Instruct: {instruction}\nQuery: " if instruction else ""


def encode_rows(tok, texts, instruction="", max_length=4096, eos="</s>"):
    """NV-Embed's encode(): prefix + text + "</s>", BOS from the template, truncation from the right
    after the EOS was appended, pool mask zeroing the first len(tokenize(prefix)) positions."""
    prefix = instruction_prefix(instruction)
    n_mask = len(tok.encode(prefix, add_special_tokens=False)) if prefix else 0
    rows = []
    for t in texts:
        ids = tok.encode(prefix + t + eos, add_special_tokens=True)[:max_length]
        pool = [0 if j < n_mask else 1 for j in range(len(ids))]
        rows.append((ids, pool))
    return rows
