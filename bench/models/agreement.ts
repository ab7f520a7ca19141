// Agreement of every tiny `hf:` checkpoint with its float64 PyTorch golden (the figures docs/models.md quotes;
// the tests assert <= 1e-5): worst |ours - golden| over the golden texts, each text alone and all in one
// mixed-length batch (token budget 64, so several batches with padding).
//   node bin/run-ts.js bench/models/agreement.ts
import { readFileSync } from 'node:fs';
import { createHfEmbedder } from '../../src/embedders/hf/embedder.js';
import type { Embedder, Role } from '../../src/core/embedder.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

async function worst(e: Embedder, items: { text: string; role: Role; want: number[] }[]): Promise<{ alone: number; batched: number }> {
  let alone = 0;
  for (const it of items) alone = Math.max(alone, maxDiff((await e.embed([it.text], { role: it.role })).data, it.want));
  let batched = 0;
  for (const role of ['query', 'passage'] as const) {
    const group = items.filter((it) => it.role === role);
    if (!group.length) continue;
    const m = await e.embed(group.map((it) => it.text), { role });
    group.forEach((it, i) => (batched = Math.max(batched, maxDiff(m.data.subarray(i * m.dim, (i + 1) * m.dim), it.want))));
  }
  return { alone, batched };
}

const rows: string[] = [];
for (const name of ['bert-tiny', 'xlmr-tiny', 'mpnet-tiny', 'nomic-tiny']) {
  const g = read(`fixtures/models/hf-golden/${name}-golden.json`);
  // The golden's prompts per role (no-prompt cases embedded as passages with an empty passage prompt).
  const prompts = { query: g.cases.find((c: { role: string | null }) => c.role === 'query')?.prompt ?? '', passage: '', source: 'golden' };
  const e = await createHfEmbedder(`fixtures/models/${name}`, { prompts, tokenBudget: 64 });
  const items = g.cases
    .filter((c: { role: string | null }) => c.role !== 'passage')
    .map((c: { text: string; role: string | null; embeddings: { mean: number[] } }) => ({ text: c.text, role: (c.role ?? 'passage') as Role, want: c.embeddings.mean }));
  const w = await worst(e, items);
  await e.close?.();
  rows.push(`| ${name} | ${items.length} | ${w.alone.toExponential(1)} | ${w.batched.toExponential(1)} |`);
}
for (const [name, attention] of [['e5-mistral-tiny', 'causal'], ['gte-qwen2-tiny', 'causal'], ['gte-qwen2-tiny', 'bidirectional']] as const) {
  const g = read(`fixtures/golden/decoders/${name}.json`);
  const e = await createHfEmbedder(`fixtures/models/${name}`, { attention, tokenBudget: 64 });
  const w = await worst(e, g.texts.map((text: string, i: number) => ({ text, role: 'passage' as Role, want: g[attention][i] })));
  await e.close?.();
  rows.push(`| ${name} (${attention}) | ${g.texts.length} | ${w.alone.toExponential(1)} | ${w.batched.toExponential(1)} |`);
}
process.stdout.write(['| checkpoint | texts | max abs diff alone | max abs diff batched |', '|---|---|---|---|', ...rows].join('\n') + '\n');
