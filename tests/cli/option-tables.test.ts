import { describe, test, expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ArgsOf, type OptionTable } from '../../src/cli/option-table.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { isGroup } from '../../src/cli/command.js';
import { FORMATS } from '../../src/cli/options/formats.js';
import { ALLOWABLE_MISMATCH_NAMES, GATE_DEFAULTS, gateOptions } from '../../src/cli/options/gate.js';
import { runOptions, runSpec, type RunArgs } from '../../src/cli/options/run.js';
import { cacheOptions } from '../../src/cli/options/cache.js';
import { reportOptions } from '../../src/cli/options/report.js';
import { formatsFor } from '../../reports/index.js';
import { ALLOWABLE_MISMATCHES, DEFAULT_GATE_RULES } from '../../src/gate/gate.js';
import { ENGINE_NAMES } from '../../src/search/score-engine.js';
import { REPO_ROOT } from '../../src/registry/index.js';

const usageError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as any).code, field: (e as any).location?.field, message: (e as Error).message };
  }
  throw new Error('no error thrown');
};

describe('parseArgs: values from outside become the handler type once', () => {
  test('defaults filled, kebab-case flags read as camelCase fields, booleans without default false', () => {
    const a = parseArgs(runOptions, { model: 'hash:8', 'cache-dir': 'none', tasks: 'DemoSTS' });
    expect(a).toEqual({
      model: 'hash:8', tasks: ['DemoSTS'], output: 'results', format: 'table', cacheDir: 'none', batchSize: 32, search: 'exact', searchEngine: 'auto',
      sklearn: 'modern', savePredictions: false, quiet: false, overwrite: false, overwriteStrategy: 'only-missing',
    });
    // yargs hands over both spellings; a hand-built object may use the camelCase one.
    expect(parseArgs(cacheOptions, { action: 'info', cacheDir: '/c' }).cacheDir).toBe('/c');
  });
  test('repeatable flags are lists whether given once or several times', () => {
    expect(parseArgs(reportOptions, { results: ['a'], prefer: 'external' }).prefer).toEqual(['external']);
    expect(parseArgs(reportOptions, { results: ['a'], prefer: ['x', 'external'] }).prefer).toEqual(['x', 'external']);
    expect(parseArgs(reportOptions, { results: ['a'] }).prefer).toBeUndefined();
  });
  test('each violation is one E_USAGE error naming the flag', () => {
    expect(usageError(() => parseArgs(runOptions, { model: 'hash:8', limit: NaN }))).toEqual({ code: 'E_USAGE', field: 'limit', message: '--limit must be a number, got NaN' });
    expect(usageError(() => parseArgs(runOptions, { model: 'hash:8', limit: 0 })).message).toBe('--limit must be a positive integer, got 0');
    expect(usageError(() => parseArgs(runOptions, { model: 'hash:8', 'batch-size': 2.5 })).message).toBe('--batch-size must be a positive integer, got 2.5');
    expect(usageError(() => parseArgs(runOptions, { model: 'hash:8', 'search-engine': 'faiss' })).message).toBe('--search-engine must be one of auto, blas, onnx, js; got "faiss"');
    expect(usageError(() => parseArgs(runOptions, { model: ['a', 'b'] })).message).toBe('--model was given 2 times; give it once');
    expect(usageError(() => parseArgs(runOptions, {}))).toEqual({ code: 'E_USAGE', field: 'model', message: '--model is required' });
    expect(usageError(() => parseArgs(cacheOptions, { action: 'drop' })).message).toBe('action must be one of info, verify, prune; got "drop"');
    expect(usageError(() => parseArgs(gateOptions, { baseline: 'a', candidate: 'b', strict: 'yes' as unknown as boolean })).message).toBe('--strict is a switch (true or false), got "yes"');
  });
  test('checks across options run after conversion (run: --shard needs a cache; names stay inside the output folder)', () => {
    const check = (raw: Record<string, unknown>) => usageError(() => runSpec.check!(parseArgs(runOptions, raw)));
    expect(check({ model: 'hash:8', shard: '0/2', 'cache-dir': 'none' }).message).toMatch(/^--shard needs a shared embedding cache/);
    expect(check({ model: 'hash:8', 'model-revision': 'a/b' })).toEqual({ code: 'E_USAGE', field: 'model-revision', message: '--model-revision "a/b" would place results outside the output folder' });
  });
  test('the handler type comes from the table (compile-time: tsc fails if these lines stop holding)', () => {
    const a: RunArgs = parseArgs(runOptions, { model: 'm' });
    const engine: 'auto' | 'blas' | 'onnx' | 'js' = a.searchEngine;
    const tasks: string[] | undefined = a.tasks;
    // @ts-expect-error limit is optional (no default): a number | undefined, not a number
    const limit: number = a.limit;
    // @ts-expect-error no such option
    void a.notAnOption;
    const t = { n: { type: 'number', default: 3 }, 'two-words': { type: 'string', choices: ['x', 'y'] } } as const satisfies OptionTable;
    const b: ArgsOf<typeof t> = { n: 1, twoWords: 'y' };
    expect([engine, tasks, limit, b]).toEqual(['auto', undefined, undefined, { n: 1, twoWords: 'y' }]);
  });
});

describe('the light option tables agree with the library they stand in for', () => {
  test('formats are the reporters registry\'s', () => {
    for (const kind of ['leaderboard', 'comparison', 'gate'] as const) expect([...FORMATS[kind]]).toEqual(formatsFor(kind));
  });
  test('gate defaults and allowable mismatches are src/gate/gate.ts\'s', () => {
    expect(GATE_DEFAULTS).toEqual({ maxTaskDrop: DEFAULT_GATE_RULES.maxTaskDrop, maxCategoryDrop: DEFAULT_GATE_RULES.maxCategoryDrop, maxAverageDrop: DEFAULT_GATE_RULES.maxAverageDrop });
    expect([...ALLOWABLE_MISMATCH_NAMES]).toEqual([...ALLOWABLE_MISMATCHES]);
  });
  test('--search-engine choices are the score engines', () => {
    expect([...runOptions['search-engine'].choices]).toEqual([...ENGINE_NAMES]);
  });
  test('every command has a table; names and aliases are unique within it', () => {
    const all = COMMANDS.flatMap((c) => (isGroup(c) ? c.subcommands : [c]));
    expect(all.map((c) => c.command.split(' ')[0])).toEqual(['run', 'demo', 'report', 'compare', 'gate', 'tasks', 'benchmarks', 'models', 'download', 'embed', 'export-texts', 'create-meta', 'build-onnx', 'retrieval', 'merge', 'plan', 'cache', 'serve']);
    for (const c of all) {
      const names = Object.entries(c.options as OptionTable).flatMap(([n, o]) => [n, ...(o.alias ? [o.alias] : [])]);
      expect({ command: c.command, dup: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ command: c.command, dup: [] });
    }
  });
});

describe('import boundaries', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const rel = (f: string) => path.relative(REPO_ROOT, f);
  // Static (`import … from 'x'`, `export … from 'x'`) and dynamic (`import('x')`) imports.
  const imports = (f: string) => {
    const text = readFileSync(f, 'utf8');
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
  };
  const usesYargs = (f: string) => imports(f).some((s) => s === 'yargs' || s.startsWith('yargs/'));

  test('only src/cli imports yargs (the library, leaderboard included, stays CLI-free)', () => {
    const all = [...files(path.join(REPO_ROOT, 'src')), ...files(path.join(REPO_ROOT, 'reports'))].filter(usesYargs).map(rel);
    // Control: the scan does see the CLI's own static and dynamic yargs imports.
    expect(all).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/yargs-options.ts']));
    expect(all.filter((f) => !f.startsWith('src/cli/'))).toEqual([]);
  });
  test('the option tables import only other tables, the CLI types and a few constant modules', () => {
    const allowed = /^(\.\/[\w-]+\.js|\.\.\/(command|option-table)\.js|\.\.\/\.\.\/core\/errors\.js|\.\.\/\.\.\/data\/resolve\.js|\.\.\/\.\.\/metrics\/retrieval\/types\.js)$/;
    const bad = files(path.join(REPO_ROOT, 'src', 'cli', 'options')).flatMap((f) => imports(f).filter((s) => !allowed.test(s)).map((s) => `${rel(f)}: ${s}`));
    expect(bad).toEqual([]);
  });
});
