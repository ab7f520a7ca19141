import { describe, test, expect } from '@jest/globals';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTypeSwitches, scanTree } from './type-switch-checker.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** Where per-type code lives: the task-type folders and their table. */
const ALLOWED = ['task-types'];

describe('no file in src/ switches on a task type outside src/task-types', () => {
  test('src/ has no type switch outside the task-type table', () => {
    const found = scanTree(SRC, ALLOWED).map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`);
    expect(found).toEqual([]);
  });

  test('the checker finds each kind of switch (planted lines)', () => {
    const planted = [
      "switch (spec.type) {",
      "  case 'Clustering':",
      "if (spec.type === 'Retrieval') return x;",
      "const v1 = 'Reranking' !== t.category;",
      "const SEARCH = new Set(['Retrieval']);",
      "if (['Classification', 'Clustering'].includes(spec.type)) {}",
      "const METRIC: Record<Category, string[]> = {",
      "  BitextMining: ['f1'],",
      "  STS: COS_SPEARMAN,",
    ];
    const hits = findTypeSwitches('planted.ts', planted.join('\n'));
    expect(hits.map((h) => [h.line, h.rule])).toEqual([
      [1, 'switch on a type'],
      [2, 'case with a type name'],
      [3, 'comparison with a type name'],
      [4, 'comparison with a type name'],
      [5, 'membership test on type names'],
      [6, 'membership test on type names'],
      [8, 'object literal keyed by type names'],
      [9, 'object literal keyed by type names'],
    ]);
  });

  test('comments, plain lists, type-name arguments and other `type` fields are not findings', () => {
    const clean = [
      "// if (spec.type === 'Retrieval') was here",
      "/* case 'STS': */",
      "export const ORDER = ['Classification', 'Clustering', 'STS'];",
      "checkSameShape(a, b, 'STS');",
      "if (f.type === 'file') listing.push(f);",
      "const entry = taskType(spec.type);",
      "| 'Summarization'",
      "const categories: Partial<Record<Category, number | null>> = {};",
    ];
    expect(findTypeSwitches('clean.ts', clean.join('\n'))).toEqual([]);
  });

  test('a switch planted in a copy of src/ is caught, with file and line; inside src/task-types it is allowed', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'type-switch-')), 'src');
    cpSync(SRC, copy, { recursive: true });
    writeFileSync(join(copy, 'run', 'planted.ts'), "export const k = (spec: { type: string }) =>\n  spec.type === 'Reranking' ? 1 : 0;\n");
    writeFileSync(join(copy, 'task-types', 'planted.ts'), "export const k = (spec: { type: string }) => spec.type === 'Reranking';\n");
    expect(scanTree(copy, ALLOWED).map((f) => [f.file, f.line, f.rule])).toEqual([['run/planted.ts', 2, 'comparison with a type name']]);
  });
});
