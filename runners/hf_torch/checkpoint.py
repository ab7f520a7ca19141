"""What a hub-layout checkpoint says about tokenization, prompts and pooling, read from its own files.

Special tokens: transformers' LlamaTokenizerFast rebuilds the post-processor from tokenizer_config.json's
add_bos_token / add_eos_token (transformers < 5; e5-mistral's tokenizer.json itself only adds <s>, and mteb
forces add_bos_token + add_eos_token for it); every other tokenizer keeps tokenizer.json's own template (gte-Qwen2's
appends <|endoftext|>). Truncation: special tokens count towards max_seq_length and are kept.
"""
import json
import os

from runners.nvembed_torch.tokenizer import HfTokenizer, PyBpeTokenizer

from .bytelevel_bpe import ByteLevelBpe
from .encoder_tokenizers import Unigram, WordPiece

LLAMA_CLASSES = {"LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast"}


def read_json(folder, name, default=None):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class CheckpointTokenizer:
    def __init__(self, folder, max_length=None):
        path = os.path.join(folder, "tokenizer.json")
        spec = read_json(folder, "tokenizer.json")
        tc = read_json(folder, "tokenizer_config.json", {})
        try:
            self.tok = HfTokenizer(path)
        except ImportError:
            self.tok = _python_tokenizer(path, spec)
        vocab = spec["model"]["vocab"]
        if isinstance(vocab, list):  # Unigram: [piece, score] pairs, the id is the position
            vocab = {piece: i for i, (piece, _) in enumerate(vocab)}
        added = {t["content"]: t["id"] for t in spec.get("added_tokens", [])}

        def tid(name):
            t = tc.get(name)
            t = t.get("content") if isinstance(t, dict) else t
            return None if t is None else added.get(t, vocab.get(t))

        self.bos, self.eos, pad = tid("bos_token"), tid("eos_token"), tid("pad_token")
        self.pad_id = pad if pad is not None else (self.eos if self.eos is not None else 0)
        self.llama_rule = tc.get("tokenizer_class") in LLAMA_CLASSES and ("add_eos_token" in tc or "add_bos_token" in tc)
        self.add_bos = bool(tc.get("add_bos_token", True)) if self.llama_rule else None
        self.add_eos = bool(tc.get("add_eos_token", False)) if self.llama_rule else None
        st = read_json(folder, "sentence_bert_config.json", {})
        self.max_length = max_length or st.get("max_seq_length") or tc.get("model_max_length") or 512

    def encode(self, text):
        # sentence-transformers' Transformer.tokenize strips every text (prompt included) before tokenizing.
        text = text.strip()
        if not self.llama_rule:
            full = self.tok.encode(text, add_special_tokens=True)
            plain = self.tok.encode(text, add_special_tokens=False)
            # The template's tokens around the text: count them to truncate the text only.
            pre = next(i for i in range(len(full) + 1) if full[i : i + len(plain)] == plain)
            head, tail = full[:pre], full[pre + len(plain):]
        else:
            plain = self.tok.encode(text, add_special_tokens=False)
            head = [self.bos] if self.add_bos else []
            tail = [self.eos] if self.add_eos else []
        keep = max(0, self.max_length - len(head) - len(tail))
        return head + plain[:keep] + tail


class _TemplateTokenizer:
    """A pure-Python WordPiece / Unigram tokenizer plus tokenizer.json's [CLS] ... [SEP] / <s> ... </s> template."""

    def __init__(self, tkz, spec):
        self.tkz = tkz
        pp = spec.get("post_processor") or {}
        if pp.get("type") in ("RobertaProcessing", "BertProcessing"):
            self.head, self.tail = [pp["cls"][1]], [pp["sep"][1]]
        else:
            st = [x["SpecialToken"]["id"] for x in pp.get("single", []) if "SpecialToken" in x]
            ids = [pp["special_tokens"][t]["ids"][0] for t in st]
            self.head, self.tail = ids[:1], ids[1:]

    def encode(self, text, add_special_tokens=True):
        ids = self.tkz.ids(text)
        return self.head + ids + self.tail if add_special_tokens else ids


def _python_tokenizer(path, spec):
    m = spec["model"]
    if m["type"] == "WordPiece":
        return _TemplateTokenizer(WordPiece(m["vocab"], unk=m["unk_token"]), spec)
    if m["type"] == "Unigram":
        return _TemplateTokenizer(Unigram(m["vocab"], m["unk_id"]), spec)
    return ByteLevelBpe(path) if spec.get("pre_tokenizer") else PyBpeTokenizer(path)


def pooling(folder):
    """(modes, include_prompt, normalize) from modules.json + the Pooling module's config.json."""
    mods = read_json(folder, "modules.json", [])
    cfg, normalize = None, False
    for m in mods:
        if m["type"].endswith("Pooling"):
            cfg = read_json(os.path.join(folder, m["path"]), "config.json", {})
        if m["type"].endswith("Normalize"):
            normalize = True
    if cfg is None:
        raise SystemExit(f"{folder}: modules.json lists no Pooling module (not a sentence-transformers checkpoint)")
    names = [("cls_token", "cls"), ("max_tokens", "max"), ("mean_tokens", "mean"), ("mean_sqrt_len_tokens", "mean_sqrt_len"),
             ("weightedmean_tokens", "weightedmean"), ("lasttoken", "lasttoken")]
    modes = [mode for key, mode in names if cfg.get("pooling_mode_" + key)]
    if not modes:
        raise SystemExit(f"{folder}: the Pooling config selects no mode")
    return modes, cfg.get("include_prompt", True), normalize


def role_prompts(folder):
    """Query / passage prompts from config_sentence_transformers.json (query|search_query, passage|document|search_document)."""
    p = (read_json(folder, "config_sentence_transformers.json", {}) or {}).get("prompts") or {}
    pick = lambda names: next((p[n] for n in names if n in p), "")  # noqa: E731
    return {"query": pick(["query", "search_query"]), "passage": pick(["passage", "document", "search_document"])}
