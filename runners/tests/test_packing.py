"""Packed (no padding) vs padded embeddings on every tiny checkpoint, in float32 on the CPU (max abs diff <= 1e-5),
plus the packer, the packed attention kernels and the double-buffering pipeline.
Run from the repository root: /usr/bin/python3 -m unittest runners.tests.test_packing
"""
import os
import threading
import time
import unittest

import torch

from runners.hf_torch.embed import HfRunner
from runners.nvembed_torch.embed import Runner
from runners.packing import attention
from runners.packing.packs import Pack, pack_rows
from runners.packing.pipeline import prefetched, run_overlapped

TEXTS = [
    "x",
    "hello world",
    "A much longer passage that keeps going on about rivers, mountains and the weather in the valley. " * 4,
    "medium length sentence about embeddings",
    "short",
    "The quick brown fox jumps over the lazy dog near the riverbank at dawn.",
    "",
]
HF = ["bert-tiny", "xlmr-tiny", "mpnet-tiny", "nomic-tiny", "e5-mistral-tiny", "gte-qwen2-tiny"]
TOL = 1e-5


def max_diff(a, b):
    return max(abs(x - y) for u, v in zip(a, b) for x, y in zip(u, v))


class PackRowsTest(unittest.TestCase):
    def test_budget_and_cover(self):
        lengths = [7, 3, 9, 2, 5, 5, 1, 12]
        packs = pack_rows(lengths, 12)
        self.assertEqual(packs, [[7], [2, 1], [0, 4], [5, 3, 6]])  # first-fit decreasing, worked by hand
        self.assertEqual(sorted(i for p in packs for i in p), list(range(8)))
        self.assertTrue(all(sum(lengths[i] for i in p) <= 12 for p in packs))

    def test_row_over_budget_gets_its_own_pack(self):
        self.assertEqual(pack_rows([30, 4, 4], 10), [[0], [1, 2]])

    def test_pack_layout(self):
        pk = Pack([[5, 6, 7], [8], [9, 10]], [[0, 1, 1], [1], [1, 1]])
        self.assertEqual(pk.ids.tolist(), [5, 6, 7, 8, 9, 10])
        self.assertEqual(pk.positions.tolist(), [0, 1, 2, 0, 0, 1])  # restart per sequence
        self.assertEqual(pk.seg.tolist(), [0, 0, 0, 1, 2, 2])
        self.assertEqual(pk.cu_seqlens.tolist(), [0, 3, 4, 6])
        self.assertEqual(pk.max_len, 3)
        self.assertEqual(pk.unpack(pk.ids, -1).tolist(), [[5, 6, 7], [8, -1, -1], [9, 10, -1]])
        self.assertEqual(pk.last_tokens(pk.ids).tolist(), [7, 8, 10])
        self.assertEqual(pk.padded_mask("cpu").tolist(), [[1, 1, 1], [1, 0, 0], [1, 1, 0]])
        self.assertEqual(pk.extra.tolist(), [0, 1, 1, 1, 1, 1])


class PackedAttentionTest(unittest.TestCase):
    def _check(self, causal):
        lens = [4, 1, 7]
        pk = Pack([[1] * n for n in lens])
        g = torch.Generator().manual_seed(1)
        q, k, v = (torch.randn(1, 2, pk.total, 8, generator=g, dtype=torch.float64) for _ in range(3))
        got = attention.packed_attention(q, k, v, pk, causal)
        start = 0
        for n in lens:  # each sequence alone, plain softmax attention
            sl = slice(start, start + n)
            s = q[:, :, sl] @ k[:, :, sl].transpose(-1, -2) / 8 ** 0.5
            if causal:
                s = s.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), float("-inf"))
            want = torch.softmax(s, -1) @ v[:, :, sl]
            self.assertLess(float((got[:, :, sl] - want).abs().max()), 1e-12)
            start += n

    def test_bidirectional(self):
        self._check(False)

    def test_causal(self):
        self._check(True)

    def test_kernel_is_reported(self):
        self._check(False)
        rep = attention.used()
        self.assertTrue(set(rep["used"]) <= set(attention.ORDER) and rep["used"])
        if not hasattr(torch.nn.functional, "scaled_dot_product_attention"):
            self.assertEqual(rep["used"], ["manual_mask"])  # torch 1.13: the block-diagonal mask fallback


class KernelSelfCheckTest(unittest.TestCase):
    """A kernel is trusted only after matching the masked softmax on a small pack: wrong ones are rejected, a correct
    one computed in bf16 (8-bit mantissa, as on the GPU) is not."""

    def tearDown(self):
        attention.KERNELS.pop("leaky", None)
        attention.KERNELS.pop("acausal", None)

    def test_leaking_kernel_is_rejected(self):
        def leaky(q, k, v, pack, causal, bias=None):  # attends across sequences
            return torch.softmax(q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5, -1) @ v

        attention.KERNELS["leaky"] = leaky
        with self.assertRaisesRegex(ValueError, "max abs diff"):
            attention._self_check("leaky", "cpu", torch.float32, 2, 16, False)

    def test_kernel_ignoring_causality_is_rejected(self):
        attention.KERNELS["acausal"] = lambda q, k, v, pack, causal, bias=None: attention._manual(q, k, v, pack, False)
        attention._self_check("acausal", "cpu", torch.float32, 2, 16, False)  # right when bidirectional
        with self.assertRaisesRegex(ValueError, "max abs diff"):
            attention._self_check("acausal", "cpu", torch.float32, 2, 16, True)

    def test_correct_kernel_in_bf16_passes(self):
        for causal in (False, True):
            attention._self_check("manual_mask", "cpu", torch.bfloat16, 32, 128, causal)


class PipelineTest(unittest.TestCase):
    def test_order_and_bounded_lookahead(self):
        built, seen = [], []
        lock = threading.Lock()

        def build(i):
            with lock:
                built.append(i)
            return i * 10

        for x in prefetched(list(range(8)), build, depth=2):
            time.sleep(0.02)  # the producer fills the queue meanwhile, but no further than depth (+1 in hand)
            with lock:
                self.assertLessEqual(len(built) - len(seen), 4)
            seen.append(x)
        self.assertEqual(seen, [0, 10, 20, 30, 40, 50, 60, 70])

    def test_error_in_producer_is_raised_at_its_item(self):
        got = []

        def build(i):
            if i == 3:
                raise ValueError("bad row 3")
            return i

        with self.assertRaisesRegex(ValueError, "bad row 3"):
            for x in prefetched(list(range(6)), build):
                got.append(x)
        self.assertEqual(got, [0, 1, 2])

    def test_run_overlapped_finishes_every_item_in_order(self):
        done = []
        run_overlapped([[0, 1], [2]], lambda idx: torch.tensor(idx), lambda t: t * 2, lambda idx, t: done.append((idx, t.tolist())), "cpu")
        self.assertEqual(done, [([0, 1], [0, 2]), ([2], [4])])


class PackedEqualsPaddedTest(unittest.TestCase):
    """fp32 on CPU; a small token budget so the texts spread over several packs of mixed lengths."""

    def test_nvembed_tiny(self):
        for instruction in ["", "Given a question, retrieve passages that answer it"]:
            pad = Runner("fixtures/models/nv-embed-tiny", "cpu", "fp32", 512, packing="off").embed(TEXTS, instruction)
            pk = Runner("fixtures/models/nv-embed-tiny", "cpu", "fp32", 512, token_budget=96, packing="on").embed(TEXTS, instruction)
            self.assertEqual(len(pk), len(TEXTS))
            self.assertLessEqual(max_diff(pad, pk), TOL, instruction)
            self.assertGreater(max_diff(pk[:1], pk[1:2]), 1e-3)  # different texts stay different (the test can fail)

    def test_nvembed_instruction_tokens_are_not_pooled(self):
        r = Runner("fixtures/models/nv-embed-tiny", "cpu", "fp32", 512, token_budget=96, packing="on")
        rows = r.tokenize(TEXTS[1:3], "Retrieve")
        self.assertEqual(rows[0][1][0], 0)  # the instruction's first token is outside the pool mask
        all_in = [(ids, [1] * len(ids)) for ids, _ in rows]
        self.assertGreater(max_diff(r.embed_rows(rows), r.embed_rows(all_in)), 1e-4)

    def test_hf_tiny_checkpoints(self):
        for name in HF:
            for role, instruction in [(None, ""), ("query", "Find the passage"), ("passage", "")]:
                pad = HfRunner(f"fixtures/models/{name}", "cpu", "fp32", packing="off").embed(TEXTS, instruction, role)
                pk = HfRunner(f"fixtures/models/{name}", "cpu", "fp32", token_budget=80, packing="on").embed(TEXTS, instruction, role)
                with self.subTest(model=name, role=role):
                    self.assertLessEqual(max_diff(pad, pk), TOL)
                    self.assertGreater(max_diff(pk[1:2], pk[3:4]), 1e-4)

    def test_packed_fp64_matches_decoder_goldens(self):
        import json

        for name in ["e5-mistral-tiny", "gte-qwen2-tiny"]:
            with open(f"fixtures/golden/decoders/{name}.json") as f:
                g = json.load(f)
            v = HfRunner(f"fixtures/models/{name}", "cpu", "fp64", token_budget=64, packing="on").embed(g["texts"])
            self.assertLess(max_diff(v, g["causal"]), 1e-12, name)


if __name__ == "__main__":
    unittest.main()
