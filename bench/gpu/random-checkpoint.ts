// A full-size-shaped NV-Embed checkpoint with random fp16 weights (the real NV-Embed-v2 config: 32 layers,
// hidden 4096, FFN 14336, 512 latents; ~15.7 GB), plus the token ids both runners are timed on
// (inputs.json), so the WebGPU graph and the PyTorch runner see the same checkpoint and the same inputs.
// Weights as runners/nvembed_torch/bench_random.py draws them: norms 1, biases 0, the rest N(0, 1/fan_in)
// (embeddings and latents N(0, 1)), taken from a 64 Mi-value Gaussian pool at random offsets so that
// writing 15.7 GB costs disk time, not RNG time. Tokenizer files are the tiny fixture's (its ids are < 32000).
//   node bin/run-ts.js bench/gpu/random-checkpoint.ts OUT_DIR [--layers N] [--shapes 16x512,4x2048] [--check 4x128]
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expectedShapes, readNvEmbedConfig } from '../../src/embedders/nvembed/config.js';

const [out] = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const LAYOUT = 'fixtures/models/nv-embed-v2-layout';
const TINY = 'fixtures/models/nv-embed-tiny';
const SHARD_BYTES = 4 * 2 ** 30;
if (!out) throw new Error('usage: random-checkpoint.ts OUT_DIR [--layers N] [--shapes BxL,...] [--check BxL]');
mkdirSync(out, { recursive: true });

const cfg = JSON.parse(readFileSync(join(LAYOUT, 'config.json'), 'utf8'));
if (process.argv.includes('--layers')) cfg.text_config.num_hidden_layers = Number(arg('layers', '32'));
writeFileSync(join(out, 'config.json'), JSON.stringify(cfg, null, 2));
for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(TINY, f), join(out, f));
const dims = readNvEmbedConfig(out);
const shapes = expectedShapes(dims);

// seeded xorshift + Box-Muller into an fp16 pool (one pool, std 1; other stds by scaling during the copy)
let s = 0x9e3779b9 >>> 0;
const rnd = () => {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return (s + 0.5) / 2 ** 32;
};
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const e = ((b >>> 23) & 0xff) - 127 + 15;
  if (e <= 0) return sign;
  if (e >= 31) return sign | 0x7bff;
  return sign | (e << 10) | ((b >>> 13) & 0x3ff);
}
const POOL = 1 << 26;
const pools = new Map<number, Uint16Array>();
function pool(std: number): Uint16Array {
  let p = pools.get(std);
  if (!p) {
    p = new Uint16Array(POOL);
    for (let i = 0; i < POOL; i += 2) {
      const r = Math.sqrt(-2 * Math.log(rnd())) * std;
      const t = 2 * Math.PI * rnd();
      p[i] = toHalf(r * Math.cos(t));
      p[i + 1] = toHalf(r * Math.sin(t));
    }
    pools.set(std, p);
  }
  return p;
}
function fill(name: string, shape: number[]): Uint16Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = new Uint16Array(n);
  if (/norm(_context)?\.weight$|layernorm\.weight$/.test(name)) t.fill(0x3c00);
  else if (name.endsWith('.bias')) t.fill(0);
  else {
    const std = /embed_tokens|latents$/.test(name) ? 1 : 1 / Math.sqrt(shape[shape.length - 1]);
    const p = pool(std);
    for (let o = 0; o < n; ) {
      const len = Math.min(n - o, POOL >> 1);
      const from = Math.floor(rnd() * (POOL - len));
      t.set(p.subarray(from, from + len), o);
      o += len;
    }
  }
  return t;
}

// shards of ~4 GiB in name order, each written header first then tensor by tensor
const names = [...shapes.keys()].sort();
const groups: string[][] = [[]];
let acc = 0;
for (const n of names) {
  const bytes = shapes.get(n)!.reduce((a, b) => a * b, 1) * 2;
  if (acc + bytes > SHARD_BYTES && groups[groups.length - 1].length) {
    groups.push([]);
    acc = 0;
  }
  groups[groups.length - 1].push(n);
  acc += bytes;
}
const weightMap: Record<string, string> = {};
const t0 = performance.now();
let total = 0;
groups.forEach((g, gi) => {
  const file = `model-${String(gi + 1).padStart(5, '0')}-of-${String(groups.length).padStart(5, '0')}.safetensors`;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const n of g) {
    const shape = shapes.get(n)!;
    const len = shape.reduce((a, b) => a * b, 1) * 2;
    header[n] = { dtype: 'F16', shape, data_offsets: [off, off + len] };
    off += len;
    weightMap[n] = file;
  }
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  const fd = openSync(join(out, file), 'w');
  writeSync(fd, len);
  writeSync(fd, h);
  for (const n of g) {
    const t = fill(n, shapes.get(n)!);
    const b = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
    for (let o = 0; o < b.length; ) o += writeSync(fd, b, o, Math.min(b.length - o, 1 << 30));
  }
  closeSync(fd);
  total += off;
});
writeFileSync(join(out, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 1));

// the timed inputs: random ids in [3, vocab), every row full length (no padding), and a small check batch
const ids = (B: number, L: number) => Array.from({ length: B }, () => Array.from({ length: L }, (_, j) => (j === 0 ? 1 : 3 + Math.floor(rnd() * (dims.vocab - 3)))));
const parse = (spec: string) => spec.split(',').map((x) => x.split('x').map(Number) as [number, number]);
const runs = parse(arg('shapes', '16x512,4x2048')).map(([B, L]) => ({ batch: B, seq: L, ids: ids(B, L) }));
const [[cb, cl]] = parse(arg('check', '4x128'));
writeFileSync(join(out, 'inputs.json'), JSON.stringify({ runs, check: { batch: cb, seq: cl, ids: ids(cb, cl) } }));
const summary = { out, layers: dims.layers, hidden: dims.hidden, intermediate: dims.intermediate, tensors: names.length, shards: groups.length, bytes: total, write_s: Math.round((performance.now() - t0) / 100) / 10 };
process.stdout.write(JSON.stringify(summary) + '\n');
