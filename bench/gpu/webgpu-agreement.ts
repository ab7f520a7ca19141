// Every tiny checkpoint on one onnxruntime device against its float64 PyTorch golden: NV-Embed (fp32 and fp16
// graphs, standard and mha attention) and the hf: families (encoders and decoders). Worst |ours - golden| over
// the golden texts, each text alone and all in one padded batch. Used for the WebGPU rows of docs/nvembed.md
// (lavapipe here, the NVIDIA card on the device machine); `cpu` gives the baseline the same way.
//   node bin/run-ts.js bench/gpu/webgpu-agreement.ts [--device webgpu] [--json out.json] [--quick]
// --quick (tests/embedders/webgpu.test.ts): NV-Embed fp32 + fp16 standard, bert-tiny and e5-mistral-tiny, each
// text of the first golden length alone for NV-Embed fp32 only, the rest as padded batches (every new shape
// costs a shader compile on lavapipe, seconds each).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder, Role } from '../../src/core/embedder.js';
import { createHfEmbedder } from '../../src/embedders/hf/embedder.js';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/embedder.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const device = arg('device', 'webgpu');
const jsonOut = arg('json', '');
const quick = process.argv.includes('--quick');

interface Item {
  text: string;
  role: Role;
  instruction?: string;
  want: number[];
}
interface Row {
  model: string;
  variant: string;
  texts: number;
  alone?: number;
  batched?: number;
  ms?: number;
  error?: string;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
};
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

async function worst(e: Embedder, items: Item[], skipAlone = false): Promise<{ alone?: number; batched: number }> {
  let alone = 0;
  if (!skipAlone) for (const it of items) alone = Math.max(alone, maxDiff((await e.embed([it.text], { role: it.role, instruction: it.instruction })).data, it.want));
  let batched = 0;
  // one batch per (role, instruction): the texts of a call share both
  const groups = new Map<string, Item[]>();
  for (const it of items) groups.set(`${it.role}\u0000${it.instruction ?? ''}`, [...(groups.get(`${it.role}\u0000${it.instruction ?? ''}`) ?? []), it]);
  for (const group of groups.values()) {
    const m = await e.embed(group.map((it) => it.text), { role: group[0].role, instruction: group[0].instruction });
    group.forEach((it, i) => (batched = Math.max(batched, maxDiff(m.data.subarray(i * m.dim, (i + 1) * m.dim), it.want))));
  }
  return skipAlone ? { batched } : { alone, batched };
}

async function measure(model: string, variant: string, items: Item[], open: () => Promise<Embedder>, skipAlone = quick): Promise<Row> {
  const row: Row = { model, variant, texts: items.length };
  const t0 = performance.now();
  let e: Embedder | undefined;
  try {
    e = await open();
    Object.assign(row, await worst(e, items, skipAlone));
  } catch (err) {
    row.error = String((err as Error)?.message ?? err).split('\n')[0].slice(0, 600);
  } finally {
    await e?.close?.();
  }
  row.ms = Math.round(performance.now() - t0);
  process.stderr.write(JSON.stringify(row) + '\n');
  return row;
}

const rows: Row[] = [];
const cacheDir = mkdtempSync(join(tmpdir(), 'mteb-ts-agreement-'));
try {
  // NV-Embed tiny: each max_length of the golden is its own embedder (truncation is part of the case).
  const nv = read('fixtures/golden/nvembed/tiny-golden.json');
  for (const dtype of ['fp32', 'fp16'] as const) {
    for (const attention of quick ? (['standard'] as const) : (['standard', 'mha'] as const)) {
      const lengths = [...new Set<number>(nv.cases.map((c: { max_length: number }) => c.max_length))].slice(0, quick ? 1 : undefined);
      const parts: Row[] = [];
      for (const ml of lengths) {
        const items: Item[] = nv.cases
          .filter((c: { max_length: number }) => c.max_length === ml)
          .map((c: { text: string; instruction: string; embedding: number[] }) => ({ text: c.text, role: c.instruction ? 'query' : 'passage', instruction: c.instruction || undefined, want: c.embedding }));
        const skipAlone = quick && dtype !== 'fp32';
        parts.push(await measure('nv-embed-tiny', `${dtype} ${attention} L${ml}`, items, () => createNvEmbedEmbedder('fixtures/models/nv-embed-tiny', { device, dtype, attention, maxLength: ml, cacheDir }), skipAlone));
      }
      const bad = parts.find((p) => p.error);
      rows.push({
        model: 'nv-embed-tiny',
        variant: `${dtype} ${attention}`,
        texts: parts.reduce((a, p) => a + p.texts, 0),
        ...(bad ? { error: bad.error } : { alone: parts.some((p) => p.alone === undefined) ? undefined : Math.max(...parts.map((p) => p.alone!)), batched: Math.max(...parts.map((p) => p.batched!)) }),
        ms: parts.reduce((a, p) => a + (p.ms ?? 0), 0),
      });
    }
  }
  for (const name of quick ? ['bert-tiny'] : ['bert-tiny', 'xlmr-tiny', 'mpnet-tiny', 'nomic-tiny']) {
    const g = read(`fixtures/models/hf-golden/${name}-golden.json`);
    const prompts = { query: g.cases.find((c: { role: string | null }) => c.role === 'query')?.prompt ?? '', passage: '', source: 'golden' };
    const items: Item[] = g.cases
      .filter((c: { role: string | null }) => c.role !== 'passage')
      .map((c: { text: string; role: string | null; embeddings: { mean: number[] } }) => ({ text: c.text, role: (c.role ?? 'passage') as Role, want: c.embeddings.mean }));
    rows.push(await measure(name, 'fp32', items, () => createHfEmbedder(`fixtures/models/${name}`, { device, prompts, tokenBudget: 64, cacheDir })));
  }
  const decoders = [['e5-mistral-tiny', 'causal'], ['gte-qwen2-tiny', 'causal'], ['gte-qwen2-tiny', 'bidirectional']] as const;
  for (const [name, attention] of quick ? decoders.slice(0, 1) : decoders) {
    const g = read(`fixtures/golden/decoders/${name}.json`);
    const items: Item[] = g.texts.map((text: string, i: number) => ({ text, role: 'passage' as Role, want: g[attention][i] }));
    rows.push(await measure(name, `fp32 ${attention}`, items, () => createHfEmbedder(`fixtures/models/${name}`, { device, attention, tokenBudget: 64, cacheDir })));
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
const fmt = (x?: number) => (x === undefined ? '-' : x.toExponential(1));
process.stdout.write(
  [`device ${device}`, '| checkpoint | graph | texts | max abs diff alone | max abs diff batched |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.model} | ${r.variant} | ${r.texts} | ${r.error ? `error: ${r.error}` : fmt(r.alone)} | ${fmt(r.batched)} |`)].join('\n') + '\n',
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ device, node: process.version, rows }, null, 1) + '\n');
