"""Checks the runner (python3 -m runners.hf_torch) against the committed goldens of every tiny checkpoint: token ids
and batched embeddings (the goldens embed each text alone). Needs torch; run from the repository root:
  /usr/bin/python3 runners/hf_torch/check_goldens.py   (exit 1 when a family differs by more than 1e-12)
"""
import json
import sys
sys.path.insert(0, '.')
from runners.hf_torch.embed import HfRunner

bad = False
for name in ['e5-mistral-tiny', 'gte-qwen2-tiny']:
    g = json.load(open(f'fixtures/golden/decoders/{name}.json'))
    r = HfRunner(f'fixtures/models/{name}', device='cpu', token_budget=64)
    assert [r.tok.encode(t) for t in g['texts']] == g['ids'], name
    v = r.embed(g['texts'])
    d = max(abs(a - b) for x, y in zip(v, g['causal']) for a, b in zip(x, y))
    bad |= d > 1e-12
    print(name, 'ids equal; max diff', d)
for name in ['bert-tiny', 'xlmr-tiny', 'mpnet-tiny', 'nomic-tiny']:
    g = json.load(open(f'fixtures/models/hf-golden/{name}-golden.json'))
    r = HfRunner(f'fixtures/models/{name}', device='cpu', token_budget=200)
    mode = r.modes[0]
    cases = g['cases']
    worst = 0
    r.prompts = {'query': next((c['prompt'] for c in cases if c['role'] == 'query'), ''), 'passage': next((c['prompt'] for c in cases if c['role'] == 'passage'), '')}
    for role in [None, 'query', 'passage']:
        cs = [c for c in cases if c['role'] == role]
        v = r.embed([c['text'] for c in cs], '', role)
        for c, e in zip(cs, v):
            assert r.tok.encode(c['prompt'] + c['text']) == c['input_ids'], (name, c['name'])
            key = mode if r.normalize else 'mean_unnormalized'
            worst = max(worst, max(abs(a - b) for a, b in zip(e, c['embeddings'][key])))
    bad |= worst > 1e-12
    print(name, mode, 'ids equal; max diff', worst)
sys.exit(1 if bad else 0)
