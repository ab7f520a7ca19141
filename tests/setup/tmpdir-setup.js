// Every test's temporary files go under one folder per jest run, removed at the end (tmpdir-teardown.js):
// many tests make temp dirs with os.tmpdir() and some spawn the CLI, Chromium or Slurm jobs that write there too,
// so scoping TMPDIR is the one place that keeps a test run from leaving gigabytes behind in /tmp.
// Set before jest starts its workers, so they and every process they spawn inherit it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mteb-ts-test-'));
  process.env.MTEB_TS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
