"""Pure-Python WordPiece (BERT) and Unigram (SentencePiece, XLM-R) tokenizers, written from transformers'
tokenization_bert.py and the Rust `tokenizers` crate's Unigram/Metaspace rules, reading only the vocab from
tokenizer.json. Used by the golden script (fixtures/models/hf-golden/make_hf_golden.py: ids independent of the
@huggingface/tokenizers library the TypeScript side uses) and by the runner when `tokenizers` is not installed.
"""
import math
import re
import unicodedata


# ---------------------------------------------------------------- WordPiece (tokenization_bert.py)
def _is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def _is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def _is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    def __init__(self, vocab, unk="[UNK]", max_chars=100, lower=True):
        self.vocab, self.unk, self.max_chars, self.lower = vocab, unk, max_chars, lower

    def basic(self, text):
        out = []
        for c in text:
            cp = ord(c)
            if cp == 0 or cp == 0xFFFD or _is_control(c):
                continue
            out.append(" " if _is_whitespace(c) else (f" {c} " if _is_cjk(cp) else c))
        words = []
        for w in "".join(out).split():
            if self.lower:
                w = "".join(ch for ch in unicodedata.normalize("NFD", w.lower()) if unicodedata.category(ch) != "Mn")
            cur = ""
            for ch in w:
                if _is_punctuation(ch):
                    if cur:
                        words.append(cur)
                    words.append(ch)
                    cur = ""
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def wordpiece(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                s = word[start:end] if start == 0 else "##" + word[start:end]
                if s in self.vocab:
                    found = s
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def ids(self, text):
        return [self.vocab[p] for w in self.basic(text) for p in self.wordpiece(w)]


# ---------------------------------------------------------------- Unigram (tokenizers/src/models/unigram)
class Unigram:
    def __init__(self, vocab, unk_id):
        self.score = {p: sc for p, sc in vocab}
        self.id = {p: i for i, (p, _) in enumerate(vocab)}
        self.unk_id = unk_id
        self.unk_score = min(sc for _, sc in vocab) - 10.0
        self.max_len = max(len(p) for p, _ in vocab)

    @staticmethod
    def pre(text):
        t = re.sub(" {2,}", " ", unicodedata.normalize("NFKC", text))
        if not t:
            return []
        t = t.replace(" ", "\u2581")
        if not t.startswith("\u2581"):
            t = "\u2581" + t
        starts = [i for i, c in enumerate(t) if c == "\u2581"]
        return [t[a:b] for a, b in zip(starts, starts[1:] + [len(t)])]

    def viterbi(self, w):
        n = len(w)
        best = [(-math.inf, None, None)] * (n + 1)  # (score, start, id)
        best[0] = (0.0, None, None)
        for i in range(n):
            if best[i][0] == -math.inf:
                continue
            single = False
            for j in range(i + 1, min(n, i + self.max_len) + 1):
                p = w[i:j]
                if p in self.score:
                    sc = best[i][0] + self.score[p]
                    if sc > best[j][0]:
                        best[j] = (sc, i, self.id[p])
                    single = single or j == i + 1
            if not single:
                sc = best[i][0] + self.unk_score
                if sc > best[i + 1][0]:
                    best[i + 1] = (sc, i, self.unk_id)
        out, j = [], n
        while j > 0:
            _, i, tid = best[j]
            out.append(tid)
            j = i
        out.reverse()
        fused = []
        for tid in out:
            if not (tid == self.unk_id and fused and fused[-1] == self.unk_id):
                fused.append(tid)
        return fused

    def ids(self, text):
        return [t for w in self.pre(text) for t in self.viterbi(w)]
