"""What a hub-layout decoder checkpoint says about tokenization and pooling, read from its own files.

Special tokens: transformers' LlamaTokenizerFast rebuilds the post-processor from tokenizer_config.json's
add_bos_token / add_eos_token (transformers < 5; e5-mistral's tokenizer.json itself only adds <s>, and mteb
forces add_bos_token + add_eos_token for it); every other tokenizer keeps tokenizer.json's own template (gte-Qwen2's
appends <|endoftext|>). Truncation: special tokens count towards max_seq_length and are kept.
"""
import json
import os

from runners.nvembed_torch.tokenizer import HfTokenizer, PyBpeTokenizer

from .bytelevel_bpe import ByteLevelBpe

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
            self.tok = ByteLevelBpe(path) if spec.get("pre_tokenizer") else PyBpeTokenizer(path)
        vocab = spec["model"]["vocab"]
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


def pooling_and_normalize(folder):
    mods = read_json(folder, "modules.json", [])
    pool_cfg, normalize = {}, False
    for m in mods:
        if m["type"].endswith("Pooling"):
            pool_cfg = read_json(os.path.join(folder, m["path"]), "config.json", {})
        if m["type"].endswith("Normalize"):
            normalize = True
    if not pool_cfg.get("pooling_mode_lasttoken", False):
        raise SystemExit(f"{folder}: only lasttoken pooling is served for decoder checkpoints (modules.json: {pool_cfg})")
    return normalize
