#!/usr/bin/env bash
# The launcher tests/shard/slurm.test.ts puts into its plan: the dev CLI, except that the array element named by
# MTEB_TS_TEST_FAIL_SHARD exits 1 the first time it starts (MTEB_TS_TEST_FAIL_MARKER remembers it did), as a
# node failure or an out-of-memory kill would. Every other start, the retry included, is the real `mteb-ts`.
set -euo pipefail
if [ -n "${MTEB_TS_TEST_FAIL_SHARD:-}" ] && [ "${SLURM_ARRAY_TASK_ID:-}" = "$MTEB_TS_TEST_FAIL_SHARD" ] && [ ! -e "$MTEB_TS_TEST_FAIL_MARKER" ]; then
  touch "$MTEB_TS_TEST_FAIL_MARKER"
  echo "flaky-mteb-ts: shard $SLURM_ARRAY_TASK_ID fails this once" >&2
  exit 1
fi
exec node "$(dirname "$0")/../../../bin/mteb-ts-dev.js" "$@"
