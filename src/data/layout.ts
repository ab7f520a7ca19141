import { basename } from 'node:path';
import { MtebError } from '../core/errors.js';
import { dataExtension } from './readers/rows.js';
import type { DatasetSource } from './source.js';
import { globToRegExp, parseCardConfigs, type CardConfig } from './hf-configs.js';

/**
 * Maps a hub repo's files to (config, split) the way the hub's default layouts name them:
 *   `<split>.<ext>`, `<split>-00000-of-00002.<ext>`          -> (default, split)   e.g. test.jsonl, test.json.gz
 *   `data/<split>-*.parquet`, `default/<split>-*.parquet`     -> (default, split)
 *   `<config>/<split>.<ext>`, `<config>/<split>-*.<ext>`      -> (config, split)    e.g. qrels/test.tsv, en/test.jsonl
 *   `data/<config>/<split>.<ext>`                             -> (config, split)
 *   `<config>/<split>/0000.parquet` (refs/convert/parquet)    -> (config, split)
 *   `<name>.<ext>` at the root is also config `<name>` with one unnamed split (BEIR corpus.jsonl, queries.jsonl)
 * Shards of one (config, split) are returned in file-name order.
 */
export interface ConfigSplits {
  /** split -> files ('' = the unnamed split of a root `<config>.<ext>` file). */
  splits: Map<string, string[]>;
}

const SHARD = /-\d{3,5}-of-\d{3,5}.*$|-\d{5}(-[0-9a-f]+)?$/;

function splitName(stem: string): string {
  return stem.replace(SHARD, '');
}

export function layoutOf(files: string[], card?: CardConfig[] | null): Map<string, ConfigSplits> {
  const out = new Map<string, ConfigSplits>();
  const add = (config: string, split: string, file: string) => {
    let c = out.get(config);
    if (!c) out.set(config, (c = { splits: new Map() }));
    const l = c.splits.get(split) ?? [];
    l.push(file);
    c.splits.set(split, l);
  };
  for (const f of files) {
    const ext = dataExtension(f);
    if (!ext) continue;
    const segs = f.split('/');
    const stem = basename(f).slice(0, -(ext.length + 1));
    if (segs.length === 1) {
      add('default', splitName(stem), f);
      add(stem, '', f);
    } else if (segs.length === 2) {
      add(segs[0] === 'data' ? 'default' : segs[0], splitName(stem), f);
    } else if (segs.length === 3) {
      if (segs[0] === 'data') add(segs[1], splitName(stem), f);
      else add(segs[0], segs[1], f);
    }
  }
  // The dataset card's `configs:` block is how the hub itself resolves files; it overrides the name rules.
  for (const cfg of card ?? []) {
    const splits = new Map<string, string[]>();
    for (const [split, globs] of cfg.data_files) {
      const res = globs.map(globToRegExp);
      const hit = files.filter((f) => res.some((r) => r.test(f)));
      if (hit.length) splits.set(split, hit);
    }
    if (splits.size) out.set(cfg.config_name, { splits });
  }
  for (const c of out.values()) for (const [split, l] of c.splits) c.splits.set(split, oneFormatPerStem(l).sort());
  return out;
}

/** Preference when the same file exists in several formats (e.g. test.jsonl next to test.jsonl.gz). */
const FORMAT_PREFERENCE = ['parquet', 'jsonl', 'jsonl.gz', 'json', 'json.gz', 'tsv', 'tsv.gz', 'csv'];

/**
 * One file per stem: the same rows stored twice (an uncompressed copy beside the .gz, leftovers of another
 * download) must not be read twice. Shards (`test-00000-of-00002.parquet`) have distinct stems and all stay.
 */
function oneFormatPerStem(files: string[]): string[] {
  const best = new Map<string, string>();
  for (const f of files) {
    const ext = dataExtension(f) ?? '';
    const stem = f.slice(0, f.length - ext.length);
    const cur = best.get(stem);
    if (!cur || FORMAT_PREFERENCE.indexOf(ext) < FORMAT_PREFERENCE.indexOf(dataExtension(cur) ?? '')) best.set(stem, f);
  }
  return [...best.values()];
}

/** Layout of a source, using its dataset card when it has a parseable `configs:` block. */
export function sourceLayout(source: DatasetSource): Map<string, ConfigSplits> {
  const text = source.cardText?.();
  return layoutOf(source.listFiles(), text ? parseCardConfigs(text) : null);
}

export interface FoundSplit {
  config: string;
  split: string;
  files: string[];
}

/**
 * Files of `split` in the first of `configs` present. With `anySplit` (corpus/queries: mteb takes the only or
 * first split) a config without that split still answers with its single split. Throws E_SPLIT_MISSING listing
 * the splits that exist, or E_FILE_MISSING listing the data files when none of the configs exists.
 */
export function findSplit(
  source: DatasetSource,
  configs: string[],
  split: string,
  opts: { anySplit?: boolean; what?: string; task?: string } = {},
): FoundSplit {
  const layout = sourceLayout(source);
  const what = opts.what ?? configs[0];
  let missing: MtebError | null = null;
  for (const config of configs) {
    const c = layout.get(config);
    if (!c) continue;
    const hit = c.splits.get(split);
    if (hit) return { config, split, files: hit };
    if (opts.anySplit) {
      const named = [...c.splits.keys()];
      if (named.length >= 1) {
        const s = named.includes('') ? '' : named.sort()[0];
        return { config, split: s, files: c.splits.get(s)! };
      }
    }
    missing ??= new MtebError(
      'E_SPLIT_MISSING',
      `split "${split}" not found for ${what} (config "${config}") in ${source.id}; splits present: ${[...c.splits.keys()].filter(Boolean).sort().join(', ') || '(none)'}`,
      { file: source.root, field: 'eval_splits', task: opts.task },
    );
  }
  if (missing) throw missing;
  const data = source.listFiles().filter((f) => dataExtension(f));
  throw new MtebError(
    'E_FILE_MISSING',
    `no ${what} files in ${source.id} (looked for config ${configs.map((c) => JSON.stringify(c)).join(' or ')} in ${source.root}); data files present: ${data.slice(0, 12).join(', ') || '(none)'}${data.length > 12 ? `, … (${data.length})` : ''}`,
    { file: source.root, task: opts.task },
  );
}

/** Whether any of `configs` exists (e.g. the optional `top_ranked` config). */
export function hasConfig(source: DatasetSource, configs: string[]): boolean {
  const layout = sourceLayout(source);
  return configs.some((c) => layout.has(c));
}
