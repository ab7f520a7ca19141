"""Byte-level BPE (GPT-2 / Qwen2 style tokenizer.json) in pure Python.

Written from the tokenizer.json format (added-token split, NFC normalizer, Split(regex, Isolated) +
ByteLevel(use_regex=false) pre-tokenizer, BPE by merge rank, TemplateProcessing), so golden ids do not come
from the same library the TypeScript side uses (@huggingface/tokenizers). Needs the `regex` package
(Debian python3-regex) for the \\p{L} classes of the split pattern.
"""
import json
import unicodedata

import regex

# The pre-tokenizer pattern of Qwen2's tokenizer.json (same as tiktoken cl100k's, digits one at a time).
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_CHARS = bytes_to_unicode()


def byte_chars(piece):
    return "".join(BYTE_CHARS[b] for b in piece.encode("utf-8"))


def pretokenize(text, pattern=QWEN2_SPLIT):
    return regex.findall(pattern, text)


def bpe(word, ranks):
    parts = list(word)
    while len(parts) > 1:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get((parts[i], parts[i + 1]))
            if r is not None and (best is None or r < best[0]):
                best = (r, i)
        if best is None:
            break
        i = best[1]
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
    return parts


class ByteLevelBpe:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        m = spec["model"]
        if m["type"] != "BPE":
            raise ValueError(f"{path}: model.type {m['type']} is not BPE")
        self.vocab = m["vocab"]
        self.ranks = {}
        for i, mg in enumerate(m["merges"]):
            a, b = mg.split(" ", 1) if isinstance(mg, str) else mg
            self.ranks[(a, b)] = i
        self.added = {t["content"]: t["id"] for t in spec.get("added_tokens", [])}
        pre = spec["pre_tokenizer"]
        splits = [p for p in pre.get("pretokenizers", [pre]) if p["type"] == "Split"]
        self.pattern = splits[0]["pattern"]["Regex"] if splits else QWEN2_SPLIT
        self.nfc = (spec.get("normalizer") or {}).get("type") == "NFC"
        post = spec.get("post_processor") or {}
        self.suffix_ids, self.prefix_ids = [], []
        if post.get("type") == "TemplateProcessing":
            seen_a = False
            for piece in post["single"]:
                if "Sequence" in piece:
                    seen_a = True
                    continue
                ids = post["special_tokens"][piece["SpecialToken"]["id"]]["ids"]
                (self.suffix_ids if seen_a else self.prefix_ids).extend(ids)

    def _split_added(self, text):
        out, i = [], 0
        names = sorted(self.added, key=len, reverse=True)
        while i < len(text):
            hit = next((n for n in names if text.startswith(n, i)), None)
            if hit is None:
                j = i + 1
                while j < len(text) and not any(text.startswith(n, j) for n in names):
                    j += 1
                out.append((False, text[i:j]))
                i = j
            else:
                out.append((True, hit))
                i += len(hit)
        return out

    def encode(self, text, add_special_tokens=True):
        ids = []
        for is_added, part in self._split_added(text):
            if is_added:
                ids.append(self.added[part])
                continue
            if self.nfc:
                part = unicodedata.normalize("NFC", part)
            for piece in regex.findall(self.pattern, part):
                for tok in bpe(byte_chars(piece), self.ranks):
                    ids.append(self.vocab[tok])
        return (self.prefix_ids + ids + self.suffix_ids) if add_special_tokens else ids

    def n_special(self):
        return len(self.prefix_ids) + len(self.suffix_ids)


def train_merges(corpus, n_merges, pattern=QWEN2_SPLIT):
    """Greedy BPE training (most frequent pair first, ties by the pair's text): enough for a tiny vocab."""
    words = {}
    for line in corpus:
        for piece in regex.findall(pattern, unicodedata.normalize("NFC", line)):
            w = tuple(byte_chars(piece))
            words[w] = words.get(w, 0) + 1
    merges = []
    for _ in range(n_merges):
        counts = {}
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + c
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], p))
        if counts[best] < 2:
            break
        merges.append(best)
        nw = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            nw[tuple(out)] = nw.get(tuple(out), 0) + c
        words = nw
    return merges
