import { describe, test, expect } from '@jest/globals';
import { join } from 'node:path';
import { resolveDatasetSource, FolderSource } from '../../src/data/index.js';
import { sourceConformance } from './source-conformance.js';
import { fixtureDir, makeDataDir, makeHfCache, rejected, spec, tmp } from './helpers.js';

const NO_ENV = { HF_HOME: '/nonexistent-hf-home' };

sourceConformance('local folder (task file)', {
  beir: () => resolveDatasetSource(spec('Retrieval', { dataset: { path: './beir-mini' }, source_dir: join(fixtureDir('beir-mini'), '..') }), { env: NO_ENV }),
  multi: () => resolveDatasetSource(spec('Classification', { dataset: { path: 'clf-multi-mini' }, source_dir: join(fixtureDir('beir-mini'), '..') }), { env: NO_ENV }),
});

const beirData = makeDataDir('mteb/beir-mini', 'beir-mini', 'rev-a');
const multiData = makeDataDir('mteb/clf-multi-mini', 'clf-multi-mini', 'rev-m');
sourceConformance('--data-dir', {
  beir: () => resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-a' } }), { dataDir: beirData, env: NO_ENV }),
  multi: () => resolveDatasetSource(spec('Classification', { dataset: { path: 'mteb/clf-multi-mini', revision: 'rev-m' } }), { dataDir: multiData, env: NO_ENV }),
});

const beirCache = makeHfCache('mteb/beir-mini', 'beir-mini', ['rev-a', 'rev-b'], 'rev-b');
const multiCache = makeHfCache('mteb/clf-multi-mini', 'clf-multi-mini', ['rev-m']);
sourceConformance('HF hub cache snapshot', {
  beir: () => resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-a' } }), { env: { HF_HUB_CACHE: beirCache } }),
  multi: () => resolveDatasetSource(spec('Classification', { dataset: { path: 'mteb/clf-multi-mini', revision: 'rev-m' } }), { env: { HF_HUB_CACHE: multiCache } }),
});

describe('resolveDatasetSource', () => {
  test('HF cache: pinned revision chosen; HF_HOME/hub is the default cache', () => {
    const s = resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-a' } }), { env: { HF_HUB_CACHE: beirCache } });
    expect([s.kind, s.revision, s.warnings, s.root.endsWith(join('snapshots', 'rev-a'))]).toEqual(['hf-cache', 'rev-a', [], true]);
    const home = tmp('hfhome-');
    makeHfCache('mteb/beir-mini', 'beir-mini', ['rev-c'], 'rev-c', join(home, 'hub'));
    const viaHome = resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-c' } }), { env: { HF_HOME: home } });
    expect([viaHome.root, viaHome.warnings]).toEqual([join(home, 'hub', 'datasets--mteb--beir-mini', 'snapshots', 'rev-c'), []]);
  });

  test('HF cache: other revision used with a warning (refs/main first)', () => {
    const s = resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-z' } }), { env: { HF_HUB_CACHE: beirCache } });
    expect(s.revision).toBe('rev-b');
    expect(s.warnings).toEqual([
      'mteb/beir-mini: pinned revision rev-z is not in the HF cache; using rev-b (present: rev-a, rev-b); scores may differ from mteb\'s',
    ]);
  });

  test('--data-dir wins over the HF cache unless only the cache holds the pinned revision; a mismatch warns', () => {
    const exact = resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-b' } }), {
      dataDir: beirData,
      env: { HF_HUB_CACHE: beirCache },
    });
    expect([exact.kind, exact.revision, exact.warnings]).toEqual(['hf-cache', 'rev-b', []]);
    const s = resolveDatasetSource(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'rev-z' } }), {
      dataDir: beirData,
      env: { HF_HUB_CACHE: beirCache },
    });
    expect(s).toBeInstanceOf(FolderSource);
    expect([s.kind, s.revision]).toEqual(['data-dir', 'rev-a']);
    expect(s.warnings[0]).toContain('holds revision rev-a, the task pins rev-z');
  });

  test('not found: E_DATASET_NOT_FOUND naming the places looked and the download command', async () => {
    const e = await rejected(
      (async () => resolveDatasetSource(spec('Retrieval', { name: 'Nope', dataset: { path: 'mteb/nope', revision: 'r' } }), { dataDir: '/dd', env: { HF_HUB_CACHE: '/hc' } }))(),
    );
    expect(e.code).toBe('E_DATASET_NOT_FOUND');
    expect(e.message).toBe(
      'dataset mteb/nope@r not found; looked in: /dd/mteb/nope, /hc/datasets--mteb--nope/snapshots/r. Fetch it with `mteb-ts download --tasks Nope --data-dir /dd`.',
    );
  });

  test('local folder missing / aggregate task', async () => {
    const e = await rejected((async () => resolveDatasetSource(spec('STS', { dataset: { path: './missing' }, source_dir: '/tmp' }), { env: NO_ENV }))());
    expect([e.code, e.message]).toEqual(['E_DATASET_NOT_FOUND', 'dataset folder not found: /tmp/missing']);
    const a = await rejected((async () => resolveDatasetSource(spec('Retrieval', { aggregate_of: ['A', 'B'] })))());
    expect(a.code).toBe('E_USAGE');
  });
});
