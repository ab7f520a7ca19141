/**
 * The PyTorch runners' sequence packing (issue 17): runners/tests/test_packing.py checks packed (no padding) against
 * padded embeddings on every tiny checkpoint in float32 on the CPU (<= 1e-5), plus the packer, the packed attention
 * and the double-buffering pipeline. It needs Debian's python3-torch and python3-regex (the hf_torch runner's
 * byte-level BPE; .ci/run installs both when it can); without either the suite skips with the reason printed.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// MTEB_TS_TEST_PYTHON: another interpreter (e.g. one without torch, to see the skip).
const PY = process.env.MTEB_TS_TEST_PYTHON ?? '/usr/bin/python3';
// The runners' third-party imports (runners/requirements.txt): torch, and regex for hf_torch's byte-level BPE.
const probe = existsSync(PY) ? spawnSync(PY, ['-c', 'import torch, regex; print(torch.__version__)'], { encoding: 'utf8' }) : null;
const TORCH = probe?.status === 0 ? probe.stdout.trim() : null;
const reason = !probe
  ? `${PY} not found`
  : `${PY} cannot import torch and regex (apt-get install -y python3-torch python3-regex): ${probe.stderr.trim().split('\n').pop()}`;

describe('runners: packed = padded embeddings (python unittest)', () => {
  if (!TORCH) console.warn(`SKIP runners/tests/test_packing.py: ${reason}`);
  (TORCH ? it : it.skip)('runners.tests.test_packing passes, all 16 tests run', () => {
    const res = spawnSync(PY, ['-m', 'unittest', '-v', 'runners.tests.test_packing'], { encoding: 'utf8', timeout: 300_000 });
    const out = `${res.stdout}\n${res.stderr}`;
    expect(out).toMatch(/Ran 16 tests in/);
    expect(out).not.toMatch(/skipped|FAILED/);
    // The runner names the attention kernel it used (on a line of its own, maybe inside a test's status line).
    expect(out).toMatch(/packed attention kernel: (varlen|njt|sdpa_mask|manual_mask)/);
    expect(out).toMatch(/test_hf_tiny_checkpoints \(.*\) \.\.\. (packed attention kernel: [^\n]*\n)?ok/);
    expect(out).toMatch(/test_nvembed_tiny \(.*\) \.\.\. (packed attention kernel: [^\n]*\n)?ok/);
    expect(res.status).toBe(0);
  });
});
