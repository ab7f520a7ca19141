import path from 'node:path';
import { defineCommand } from '../command.js';
import { cacheInfo, pruneCache, verifyCache } from '../../cache/maintenance.js';
import { cacheSpec, type CacheArgs } from '../options/cache.js';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** `mteb-ts cache info|verify|prune`: look after the shared embedding cache (docs/scaling.md). */
export async function cache(args: CacheArgs): Promise<number> {
  const dir = path.resolve(args.cacheDir);
  const out = (s: string) => process.stdout.write(s + '\n');
  const json = args.json || args.format === 'json';
  if (args.action === 'info') {
    const info = await cacheInfo(dir);
    if (json) return out(JSON.stringify(info, null, 2)), 0;
    for (const n of info) {
      const i = n.info;
      out(`${n.key}  ${i ? `${i.fingerprint} role=${i.role} instruction=${JSON.stringify(i.instruction)}` : '(no namespace.json)'}`);
      out(`  ${n.rows} vectors x ${n.dim ?? '?'} dims in ${n.chunks} chunks, ${mb(n.bytes)}${n.junk ? `, ${n.junk} leftover file(s) (run prune)` : ''}`);
    }
    process.stderr.write(`${info.length} namespace(s) in ${dir}\n`);
    return 0;
  }
  if (args.action === 'verify') {
    const rep = await verifyCache(dir, { fix: args.fix });
    if (json) out(JSON.stringify(rep, null, 2));
    else {
      for (const f of rep.corrupt) out(`corrupt: ${f}${args.fix ? ' (set aside)' : ''}`);
      for (const f of rep.badIndexes) out(`bad index: ${f}${args.fix ? ' (rebuilt)' : ''}`);
      process.stderr.write(`${rep.checked} chunk(s) checked, ${rep.corrupt.length} corrupt, ${rep.badIndexes.length} bad index(es)\n`);
    }
    return (rep.corrupt.length || rep.badIndexes.length) && !args.fix ? 1 : 0;
  }
  const rep = await pruneCache(dir, { keepFingerprints: args.keepFingerprint, olderThanDays: args.olderThan, dryRun: args.dryRun });
  if (json) out(JSON.stringify(rep, null, 2));
  else {
    for (const f of rep.removed) out(`${args.dryRun ? 'would remove' : 'removed'}: ${f}`);
    process.stderr.write(`${rep.removed.length} path(s), ${mb(rep.bytes)}\n`);
  }
  return 0;
}

export const cacheCommand = defineCommand(cacheSpec, cache);
