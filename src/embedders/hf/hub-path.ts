import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { hfHubCacheDir } from '../../data/resolve.js';

export interface CheckpointLocation {
  dir: string;
  /** The hub id when the checkpoint came from the HF cache (or the path looks like one), else null. */
  hubId: string | null;
  revision: string | null;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * `hf:PATH`: a local checkpoint folder, else a hub model id looked up in the Hugging Face cache as datasets are
 * ($HF_HUB_CACHE, else $HF_HOME/hub): `models--org--name/snapshots/<revision>`, the revision given, else the one
 * refs/main names, else the only snapshot. Nothing is downloaded.
 */
export function locateCheckpoint(path: string, opts: { revision?: string; env?: Record<string, string | undefined> } = {}): CheckpointLocation {
  const local = resolve(path);
  if (existsSync(local) && statSync(local).isDirectory()) return { dir: local, hubId: null, revision: null };
  if (!HUB_ID.test(path)) throw new MtebError('E_FILE_MISSING', 'checkpoint folder not found (and not a hub model id org/name)', { file: local });
  const repo = join(hfHubCacheDir(opts.env), `models--${path.replace('/', '--')}`);
  const snapshots = join(repo, 'snapshots');
  let rev = opts.revision ?? null;
  if (!rev && existsSync(join(repo, 'refs', 'main'))) rev = readFileSync(join(repo, 'refs', 'main'), 'utf8').trim();
  if (!rev && existsSync(snapshots)) {
    const all = readdirSync(snapshots);
    if (all.length === 1) rev = all[0];
  }
  const dir = rev ? join(snapshots, rev) : '';
  if (!dir || !existsSync(dir)) {
    throw new MtebError('E_FILE_MISSING', `model ${path} is neither a local folder nor in the Hugging Face cache${rev ? ` at revision ${rev}` : ''} (looked in ${local} and ${snapshots}); download it with \`huggingface-cli download ${path}\``, {
      file: dir || snapshots,
    });
  }
  return { dir, hubId: path, revision: rev };
}
