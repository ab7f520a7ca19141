// CPU throughput of the tiny NV-Embed on onnxruntime-node, and the padding fraction, on a realistic length
// mix: length-sorted token-budget batches vs input-order batches with the same budget, in the same run.
//   node bin/run-ts.js bench/nvembed/bench-cpu.ts [--texts 800] [--budget 8192] [--json out.json]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/index.js';
import { fixedOrderBatches, paddingFraction, tokenBudgetBatches } from '../../src/embedders/nvembed/batching.js';
import { NvEmbedEncoder } from '../../src/embedders/nvembed/inputs.js';
import { loadHfTokenizer } from '../../src/tokenize/hf-tokenizer.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('texts', '800'));
const BUDGET = Number(arg('budget', '8192'));
const MAXLEN = 512;
const CKPT = 'fixtures/models/nv-embed-tiny';

// Deterministic length mix shaped like a BEIR run: short queries, MS MARCO-like passages, some long documents.
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const WORDS = 'the of and to in is was for on that with as by at from his her an are which this be or has had it not were have their one all also its new first after been two more who other into time would some can most only than over year years later city world between during state school such film made when many out about government where used under then known people up may these while part well since any both three each'.split(' ');
const texts = Array.from({ length: N }, () => {
  const r = rand();
  const words = r < 0.4 ? 4 + Math.floor(rand() * 12) : r < 0.9 ? 30 + Math.floor(rand() * 120) : 200 + Math.floor(rand() * 400);
  return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
});

const enc = new NvEmbedEncoder(loadHfTokenizer(CKPT), MAXLEN);
const lengths = texts.map((t) => enc.encode(t).ids.length);
const realTokens = lengths.reduce((a, b) => a + b, 0);
const cacheDir = mkdtempSync(join(tmpdir(), 'nvembed-bench-'));
const results: Record<string, unknown>[] = [];
for (const batching of ['input-order', 'sorted', 'input-order', 'sorted'] as const) {
  const e = await createNvEmbedEmbedder(CKPT, { cacheDir, maxLength: MAXLEN, tokenBudget: BUDGET, batching });
  await e.embed(texts.slice(0, 16), { role: 'passage' }); // warm-up
  const t0 = performance.now();
  await e.embed(texts, { role: 'passage' });
  const s = (performance.now() - t0) / 1000;
  const batches = batching === 'sorted' ? tokenBudgetBatches(lengths, BUDGET) : fixedOrderBatches(lengths, BUDGET);
  const r = { batching, texts: N, real_tokens: realTokens, batches: batches.length, padding_fraction: +paddingFraction(batches, lengths).toFixed(4), seconds: +s.toFixed(3), tokens_per_s: Math.round(realTokens / s) };
  results.push(r);
  process.stderr.write(JSON.stringify(r) + '\n');
  await e.close?.();
}
const out = arg('json', '');
if (out) writeFileSync(out, JSON.stringify({ machine: `${process.platform} ${process.arch}, node ${process.version}`, budget: BUDGET, max_length: MAXLEN, results }, null, 1) + '\n');
