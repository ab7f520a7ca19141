"""Issue 16's second reference: the tiny decoder checkpoints through transformers' OWN MistralModel / Qwen2Model
(AutoModel, as sentence-transformers loads them for mteb), compared with the committed float64 goldens that our
PyTorch re-implementation made (fixtures/golden/decoders/*.json, causal attention, last-token pooling, normalised).
transformers is not installable on the CPU dev machines (no PyPI); the accelerator image has it, so this runs as a
step of bench/gpu/run-gpu-checks.sh (CPU is enough: the checkpoints are tiny). Each text alone, then the texts as
one batch padded on the right and on the left (attention mask; last real token per row).
  python3 bench/gpu/transformers_check.py [--out transformers-check.json]    (exit 1 when a case differs > 1e-5)
"""
import json
import sys

import torch
import torch.nn.functional as F

out_path = sys.argv[sys.argv.index('--out') + 1] if '--out' in sys.argv else None
result = {}
try:
    import transformers
    from transformers import AutoModel
    result['transformers'] = transformers.__version__
except Exception as e:  # the step records why and the script goes on
    result['error'] = f'transformers unavailable: {e}'
    print(json.dumps(result))
    if out_path:
        json.dump(result, open(out_path, 'w'), indent=1)
    sys.exit(0)

TOL = 1e-5
bad = False
for name in ['e5-mistral-tiny', 'gte-qwen2-tiny']:
    g = json.load(open(f'fixtures/golden/decoders/{name}.json'))
    want = torch.tensor(g['causal'], dtype=torch.float64)
    row = {}
    for dtype in [torch.float64, torch.float32]:
        try:  # eager attention: the plain softmax(QK^T)V of the modules, in this dtype on every device
            model = AutoModel.from_pretrained(f'fixtures/models/{name}', torch_dtype=dtype, attn_implementation='eager')
        except TypeError:  # transformers older than 4.36
            model = AutoModel.from_pretrained(f'fixtures/models/{name}', torch_dtype=dtype)
        model.eval()
        with torch.no_grad():
            alone = []
            for ids in g['ids']:
                h = model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long)).last_hidden_state
                alone.append(h[0, -1])
            alone = F.normalize(torch.stack(alone).double(), dim=-1)
            diffs = {'alone': float((alone - want).abs().max())}
            n = max(len(i) for i in g['ids'])
            for side in ['right', 'left']:
                ids = torch.full((len(g['ids']), n), g['pad_id'], dtype=torch.long)
                mask = torch.zeros_like(ids)
                for r, t in enumerate(g['ids']):
                    sl = slice(0, len(t)) if side == 'right' else slice(n - len(t), n)
                    ids[r, sl] = torch.tensor(t)
                    mask[r, sl] = 1
                h = model(input_ids=ids, attention_mask=mask).last_hidden_state
                last = [len(t) - 1 if side == 'right' else n - 1 for t in g['ids']]
                pooled = F.normalize(torch.stack([h[r, last[r]] for r in range(len(last))]).double(), dim=-1)
                diffs[f'batch_{side}_padded'] = float((pooled - want).abs().max())
        row[str(dtype).replace('torch.', '')] = diffs
        bad |= max(diffs.values()) > TOL
    result[name] = row
    print(name, json.dumps(row))
result['tolerance'] = TOL
result['ok'] = not bad
if out_path:
    json.dump(result, open(out_path, 'w'), indent=1)
sys.exit(1 if bad else 0)
