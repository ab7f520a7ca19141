import { promises as fs, writeFileSync, renameSync, mkdirSync, openSync, fsyncSync, closeSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Test-only crash injection: with `MTEB_TS_TEST_CRASH_AT=<stage>:<file name>` (stage `before-rename` — the temp
 * file is complete but not yet renamed — or `after-rename`), the process kills itself with SIGKILL at that point
 * of the atomic write of the file with that base name (`*` matches any characters), as `kill -9` would
 * (tests/hostile/results-unit.test.ts, tests/hostile/kill-shards.test.ts).
 * Unset, it costs one environment lookup per write.
 */
export function crashPoint(stage: 'before-rename' | 'after-rename', file: string): void {
  const at = process.env.MTEB_TS_TEST_CRASH_AT;
  if (!at) return;
  const i = at.indexOf(':');
  if (at.slice(0, i) === stage && crashNameMatches(at.slice(i + 1), path.basename(file))) process.kill(process.pid, 'SIGKILL');
}

/** `*` in a crash point's file name matches any run of characters (cache chunk names carry a time and a pid). */
function crashNameMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/**
 * This machine, as it appears in temp names: shards of one run on several machines write into one shared output
 * folder, and a process id means something only on the machine that owns it.
 */
const HOST = os.hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'host';

/** The temp name every atomic writer here uses: `<file>.tmp-<host>-<pid>-<8 hex>`, in the file's own folder. */
export function tempNameFor(file: string): string {
  return `${file}.tmp-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** host (absent in names written before hosts were recorded) and pid of a temp name. */
const TEMP_RE = /\.tmp-(?:([A-Za-z0-9]+)-)?(\d+)-[0-9a-f]{8}$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files a killed writer left in `dir` (not recursive): those named by tempNameFor whose process
 * is no longer running on this machine. A live writer's temp file (another run into the same folder, e.g. a
 * shard) is left alone. Returns the files removed.
 */
export function sweepOrphanTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = TEMP_RE.exec(n);
    // Another machine's writer (a shard on a shared file system) may be alive: its temp file is left alone.
    if (!m || (m[1] !== undefined && m[1] !== HOST) || processAlive(Number(m[2]))) continue;
    const f = path.join(dir, n);
    try {
      rmSync(f, { force: true });
      removed.push(f);
    } catch {
      // Not ours to fight over (permissions): the next sweep tries again.
    }
  }
  return removed;
}

/**
 * Write-then-rename so a crash or Ctrl-C never leaves a half-written file under the final name: readers see
 * either the old complete file or the new complete one. The temp file sits in the same folder so rename is atomic.
 * `fill` writes the content through the open temp file (whole or streamed); it is synced before the rename.
 */
export async function writeAtomicWith(file: string, fill: (handle: fs.FileHandle) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  const handle = await fs.open(tmp, 'w');
  try {
    await fill(handle);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  crashPoint('before-rename', file);
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  crashPoint('after-rename', file);
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeAtomicWith(file, (handle) => handle.writeFile(data));
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  crashPoint('before-rename', file);
  renameSync(tmp, file);
  crashPoint('after-rename', file);
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}
