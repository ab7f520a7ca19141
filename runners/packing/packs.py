"""Sequence packing without padding: many texts laid end to end in one row of `budget` tokens at most.

A Pack carries what every packed forward needs: the flat token ids, positions that restart at 0 for each
sequence (absolute and rotary embeddings see each text as if it were alone), the segment id of every token (for
the block-diagonal mask of the fallback kernel), cu_seqlens / max_len (for the varlen kernels), and the
(row, column) of every token in the padded layout, so pooling can reuse the padded code unchanged.
"""
import torch


def pack_rows(lengths, budget):
    """First-fit decreasing: lists of row indices whose lengths sum to <= budget. A row longer than the budget
    gets a pack of its own (the budget bounds packing, never truncates). Deterministic: ties keep input order."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    packs, room = [], []
    for i in order:
        n = max(lengths[i], 1)
        for p in range(len(packs)):
            if room[p] >= n:
                packs[p].append(i)
                room[p] -= n
                break
        else:
            packs.append([i])
            room.append(budget - n)
    return packs


class Pack:
    """Rows (lists of token ids) packed into one sequence. Tensors are built on the CPU, pinned when asked (so the
    host-to-device copy can run asynchronously), and moved with .to(device)."""

    def __init__(self, rows, extra=None, pin=False):
        lens = [len(r) for r in rows]
        if min(lens) < 1:
            raise ValueError("a packed row needs at least one token")
        self.lengths = lens
        self.n = len(rows)
        self.max_len = max(lens)
        self.total = sum(lens)
        flat = [t for r in rows for t in r]
        self.ids = torch.tensor(flat, dtype=torch.long)
        self.positions = torch.cat([torch.arange(n, dtype=torch.long) for n in lens])
        self.seg = torch.repeat_interleave(torch.arange(self.n), torch.tensor(lens))
        self.cu_seqlens = torch.tensor([0] + lens, dtype=torch.int32).cumsum(0, dtype=torch.int32)
        # Per-token values that travel with the pack (NV-Embed's pool mask: 0 on instruction tokens).
        self.extra = None if extra is None else torch.tensor([v for e in extra for v in e], dtype=torch.long)
        if pin:
            for name in ("ids", "positions", "seg", "cu_seqlens", "extra"):
                t = getattr(self, name)
                if t is not None:
                    setattr(self, name, t.pin_memory())

    def to(self, device):
        """A copy on `device`; non_blocking from pinned memory, so the copy overlaps the running batch."""
        out = object.__new__(Pack)
        out.__dict__.update(self.__dict__)
        for name in ("ids", "positions", "seg", "cu_seqlens", "extra"):
            t = getattr(self, name)
            if t is not None:
                setattr(out, name, t.to(device, non_blocking=True))
        return out

    def padded_mask(self, device):
        """[n, max_len] 1 where a token exists: the attention mask of the same rows padded on the right."""
        return (torch.arange(self.max_len, device=device)[None, :] < torch.tensor(self.lengths, device=device)[:, None]).long()

    def unpack(self, x, fill=0.0):
        """x [T, ...] per packed token -> [n, max_len, ...] right-padded (pad = fill): the layout pooling expects."""
        out = x.new_full((self.n, self.max_len) + tuple(x.shape[1:]), fill)
        out[self.seg, self.positions] = x
        return out

    def last_tokens(self, x):
        """x [T, ...] -> [n, ...]: each sequence's last token (last-token pooling)."""
        return x[self.cu_seqlens[1:].long() - 1]
