import path from 'node:path';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { cacheInfo, pruneCache, verifyCache } from '../../cache/maintenance.js';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** `mteb-ts cache info|verify|prune`: look after the shared embedding cache (docs/scaling.md). */
export const cacheCommand: CliCommand = {
  command: 'cache <action>',
  describe: 'Inspect (info), check (verify) or clean (prune) the embedding cache',
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ['info', 'verify', 'prune'] as const, describe: 'what to do' })
      .option('cache-dir', { type: 'string', default: '.mteb-ts-cache', describe: 'embedding cache folder' })
      .option('fix', { type: 'boolean', default: false, describe: 'verify: set corrupt chunks aside (re-embedded on next use)' })
      .option('keep-fingerprint', { type: 'string', array: true, describe: 'prune: keep only these model fingerprints (name@revision)' })
      .option('older-than', { type: 'number', describe: 'prune: drop namespaces untouched for this many days' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'prune: list what would go' })
      .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
  handler: async (args) => {
    const dir = path.resolve(args['cache-dir'] as string);
    const out = (s: string) => process.stdout.write(s + '\n');
    if (args.action === 'info') {
      const info = await cacheInfo(dir);
      if (args.json) return out(JSON.stringify(info, null, 2)), 0;
      for (const n of info) {
        const i = n.info;
        out(`${n.key}  ${i ? `${i.fingerprint} role=${i.role} instruction=${JSON.stringify(i.instruction)}` : '(no namespace.json)'}`);
        out(`  ${n.rows} vectors x ${n.dim ?? '?'} dims in ${n.chunks} chunks, ${mb(n.bytes)}${n.junk ? `, ${n.junk} leftover file(s) (run prune)` : ''}`);
      }
      process.stderr.write(`${info.length} namespace(s) in ${dir}\n`);
      return 0;
    }
    if (args.action === 'verify') {
      const rep = await verifyCache(dir, { fix: args.fix as boolean });
      if (args.json) out(JSON.stringify(rep, null, 2));
      else {
        for (const f of rep.corrupt) out(`corrupt: ${f}${args.fix ? ' (set aside)' : ''}`);
        for (const f of rep.badIndexes) out(`bad index: ${f}${args.fix ? ' (rebuilt)' : ''}`);
        process.stderr.write(`${rep.checked} chunk(s) checked, ${rep.corrupt.length} corrupt, ${rep.badIndexes.length} bad index(es)\n`);
      }
      return (rep.corrupt.length || rep.badIndexes.length) && !args.fix ? 1 : 0;
    }
    const rep = await pruneCache(dir, {
      keepFingerprints: args['keep-fingerprint'] as string[] | undefined,
      olderThanDays: args['older-than'] as number | undefined,
      dryRun: args['dry-run'] as boolean,
    });
    if (args.json) out(JSON.stringify(rep, null, 2));
    else {
      for (const f of rep.removed) out(`${args['dry-run'] ? 'would remove' : 'removed'}: ${f}`);
      process.stderr.write(`${rep.removed.length} path(s), ${mb(rep.bytes)}\n`);
    }
    return 0;
  },
};
