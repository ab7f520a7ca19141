/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnnxCommand } from '../../src/cli/commands/build-onnx.js';
import { embedCommand, readTexts } from '../../src/cli/commands/embed.js';
import { cleanupTmp, golden, tmp, TINY } from './helpers.js';

afterAll(cleanupTmp);

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  let out = '';
  (process.stdout as any).write = (s: string) => ((out += s), true);
  (process.stderr as any).write = () => true;
  try {
    return { code: await fn(), out };
  } finally {
    (process.stdout as any).write = orig;
    (process.stderr as any).write = origErr;
  }
}

describe('CLI: build-onnx and embed', () => {
  test('readTexts mixes plain lines and JSONL, skips blanks, reports bad JSON with its line', async () => {
    const d = tmp('cli');
    const f = join(d, 'in.txt');
    writeFileSync(f, 'plain text\n\n{"text": "from json"}\n{"text": ""}\n');
    expect(await readTexts(f)).toEqual(['plain text', 'from json', '']);
    writeFileSync(f, 'ok\n{"text": oops}\n');
    await expect(readTexts(f)).rejects.toMatchObject({ code: 'E_PARSE', location: { line: 2 } });
  });

  test('build-onnx writes model.onnx and reports the in-place shards', async () => {
    const out = join(tmp('cli-build'), 'onnx');
    const r = await capture(() => buildOnnxCommand.handler({ checkpoint: TINY, out, dtype: 'fp32', link: 'hardlink', json: true }));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
    expect(j.external.map((e: any) => [e.file, e.tensors])).toEqual([['model-00001-of-00002.safetensors', 15], ['model-00002-of-00002.safetensors', 19]]);
  });

  test('embed: JSONL out in input order, equal to the reference', async () => {
    process.env.MTEB_TS_CACHE = tmp('cli-cache');
    const G = golden().cases.filter((c) => c.max_length === 512 && c.instruction === '');
    const d = tmp('cli-embed');
    const f = join(d, 'in.jsonl');
    writeFileSync(f, G.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n');
    const r = await capture(() => embedCommand.handler({ model: `nvembed:${TINY}?max_length=512`, input: f, role: 'passage', instruction: '' }));
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.text)).toEqual(G.map((c) => c.text));
    lines.forEach((l, i) => {
      const diff = Math.max(...l.embedding.map((v: number, j: number) => Math.abs(v - G[i].embedding[j])));
      expect(diff).toBeLessThan(1e-5);
    });
  });
});
