// Removes the per-run temporary folder tmpdir-setup.js made (only that one: the name is checked).
import { rmSync } from 'node:fs';
import path from 'node:path';

export default function teardown() {
  const dir = process.env.MTEB_TS_TEST_TMPDIR;
  if (dir && path.basename(dir).startsWith('mteb-ts-test-')) rmSync(dir, { recursive: true, force: true });
}
