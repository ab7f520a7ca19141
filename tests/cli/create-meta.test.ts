// `create-meta` (issue 20): the model card front matter mteb 1.39.7's `create_meta` writes, byte for byte.
// Goldens: fixtures/golden/create-meta/make_golden.py runs mteb's own create_meta.py (tag 1.39.7) with the real
// PyYAML; pyyaml-cases.json holds PyYAML's output for each scalar style and folding rule.
import { describe, test, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildModelIndex } from '../../src/meta/model-index.js';
import { pyyamlDump } from '../../src/meta/pyyaml-dump.js';
import { parseJsonKeepingInts, pyFloatRepr } from '../../src/meta/python-values.js';
import { runMain } from './support/run-main.js';

const GOLDEN = 'fixtures/golden/create-meta';
const NVEMBED = 'fixtures/results/official/mteb-results/nvidia__NV-Embed-v2/7604d305b621f14095a1aa23d351674c2859553a';
const EDGE = `${GOLDEN}/edge-results`;

describe('create-meta', () => {
  test.each([
    ['nvembed-v2', NVEMBED, 'nvidia/NV-Embed-v2', 27],
    ['edge', EDGE, 'PLACEHOLDER', 13],
  ])('%s: the text mteb 1.39.7 writes, byte for byte', (name, folder, model, files) => {
    const card = buildModelIndex(folder);
    expect(card.text).toBe(readFileSync(`${GOLDEN}/${name}.model_card.md`, 'utf8'));
    expect([card.modelName, card.files.length]).toEqual([model, files]);
  });

  test('the edge folder: combined CQADupstack entry, ints stay ints, NaN, quoted revisions, a folded name', () => {
    const text = buildModelIndex(EDGE).text;
    expect(text).toContain('      name: MTEB CQADupstackRetrieval (default)\n      revision: CQADupstackRetrieval_is_a_combined_dataset\n');
    expect(text).toContain('    - type: pearson\n      value: 100\n');
    expect(text).toContain('    - type: pearson\n      value: .nan\n');
    expect(text).toContain("      revision: '1'\n");
    expect(text).toContain("      config: 'yes'\n");
    expect(text).toContain('      name: MTEB STS22 (a very long subset name that makes the dataset name pass eighty\n        columns)\n');
    // <Task>.items.json and *_predictions.json are not results.
    expect(buildModelIndex(EDGE).files.map((f) => path.basename(f))).not.toContain('STS22.items.json');
  });

  test('PyYAML cases: every scalar style, float form and fold as yaml.dump writes them', () => {
    const { cases } = JSON.parse(readFileSync(`${GOLDEN}/pyyaml-cases.json`, 'utf8')) as { cases: { json: string; yaml: string }[] };
    expect(cases.length).toBe(69);
    const wrong = cases.filter((c) => pyyamlDump(parseJsonKeepingInts(c.json)) !== c.yaml).map((c) => c.json);
    expect(wrong).toEqual([]);
  });

  test("Python's float repr", () => {
    expect([1, 100, 1e16, 1e-5, 0.0001, 52.62500000000001, 1.5e300, -2.5e-7, 0.1 + 0.2].map(pyFloatRepr)).toEqual([
      '1.0', '100.0', '1e+16', '1e-05', '0.0001', '52.62500000000001', '1.5e+300', '-2.5e-07', '0.30000000000000004',
    ]);
  });

  test('CLI: writes the card, refuses to replace it without --overwrite, --format json, stdout with "-"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'create-meta-'));
    const out = path.join(dir, 'README.md');
    const r = await runMain(['create-meta', '--results-folder', EDGE, '--output-path', out]);
    expect([r.code, r.stdout]).toEqual([0, `${out}: model-index for PLACEHOLDER, 16 entries from 13 result files\n`]);
    expect(r.stderr).not.toContain('error');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(`${GOLDEN}/edge.model_card.md`, 'utf8'));
    const again = await runMain(['create-meta', '--results-folder', EDGE, '--output-path', out]);
    expect([again.code, again.stderr.split('\n')[0]]).toEqual([2, `error[E_USAGE] ${out} field "overwrite": the output path already exists; use --overwrite to replace it`]);
    writeFileSync(out, 'old');
    const j = await runMain(['create-meta', '--results-folder', NVEMBED, '--output-path', out, '--overwrite', '-f', 'json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ model: 'nvidia/NV-Embed-v2', output: out, entries: 287 });
    const s = await runMain(['create-meta', '--results-folder', EDGE, '--output-path=-']);
    expect([s.code, s.stdout]).toEqual([0, readFileSync(`${GOLDEN}/edge.model_card.md`, 'utf8')]);
  });

  test('CLI: a model folder instead of a revision folder names the revision folders; a missing folder is exit 2', async () => {
    const r = await runMain(['create-meta', '--results-folder', path.dirname(NVEMBED), '--output-path=-']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('it holds folders (7604d305b621f14095a1aa23d351674c2859553a, external)');
    const m = await runMain(['create-meta', '--results-folder', 'no/such/folder', '--output-path=-']);
    expect([m.code, m.stderr.split('\n')[0]]).toEqual([2, 'error[E_FILE_MISSING] no/such/folder: results folder not found']);
    expect(existsSync('model_card.md')).toBe(false);
  });
});

describe('create-meta --from-existing', () => {
  test("merged into a README as mteb 1.39.7's merge_yamls does, byte for byte (golden from mteb's code)", () => {
    const card = buildModelIndex(EDGE, { fromExisting: `${GOLDEN}/existing-README.md` });
    expect(card.text).toBe(readFileSync(`${GOLDEN}/edge-into-existing.model_card.md`, 'utf8'));
  });

  test('refused: not .md, another model name, YAML the reader does not take (the line named)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'from-existing-'));
    const other = path.join(dir, 'README.md');
    writeFileSync(other, '---\nmodel-index:\n- name: someone/else\n  results: []\n---\ntext\n');
    const r = await runMain(['create-meta', '--results-folder', EDGE, '--output-path=-', '--from-existing', other]);
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', `error[E_RESULTS] ${other} field "model-index": model names do not match: the README has "someone/else", the results "PLACEHOLDER"`]);
    const block = path.join(dir, 'block.md');
    writeFileSync(block, '---\nlicense: mit\ndescription: |\n  two\n  lines\n---\n');
    const b = await runMain(['create-meta', '--results-folder', EDGE, '--output-path=-', '--from-existing', block]);
    expect([b.code, b.stderr.split('\n')[0]]).toEqual([2, `error[E_PARSE] ${block}:3: front matter: "|" (block scalar, anchor, alias, tag or flow mapping) (this reader takes the block YAML model cards use)`]);
    const txt = path.join(dir, 'README.txt');
    writeFileSync(txt, 'x');
    const t = await runMain(['create-meta', '--results-folder', EDGE, '--output-path=-', '--from-existing', txt]);
    expect([t.code, t.stderr.split('\n')[0]]).toEqual([2, `error[E_USAGE] ${txt} field "from-existing": the existing README must be a markdown file ending in .md`]);
  });
});
