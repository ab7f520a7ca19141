/**
 * The evaluation identity: everything that can change a task's scores, recorded in its result file
 * (`mteb_ts.identity`). `run` reuses an existing result only when the identity it would record now is the same
 * (docs/reliability.md, "Results"). A new field is one line in evaluationIdentity and one row in
 * tests/hostile/results-unit.test.ts.
 */
import type { Embedder } from '../core/embedder.js';
import type { TaskSpec } from '../task-types/spec.js';
import type { SklearnFlavour } from '../task-types/adapter.js';
import { embedderFingerprint } from '../cache/keys.js';
import { PROTOCOL_MTEB_VERSION } from '../output/result-file.js';
import { instructionFor } from './embed-texts.js';
import { taskType } from '../task-types/index.js';

export type IdentityValue = string | number | null;
export type EvaluationIdentity = Record<string, IdentityValue>;

/** Search options that change no score: the exact engines all return the canonical scores (src/search/canonical). */
const SCORE_NEUTRAL_SEARCH = new Set(['backend', 'engine', 'blasLibrary', 'recallSample']);
/** HnswSearch's defaults (src/search/hnsw.ts), so an option left unset and the same value given are one identity. */
const HNSW_DEFAULTS: Record<string, unknown> = { M: 16, efConstruction: 200, efSearch: 64, space: 'ip' };

/** The search backend as one string: `exact`, or e.g. `hnsw:M=16,efConstruction=200,efSearch=64,space=ip`. */
export function searchIdentity(search: Record<string, unknown> | undefined): string {
  const backend = String(search?.backend ?? 'exact');
  if (backend === 'exact') return 'exact';
  const cfg: Record<string, unknown> = { ...(backend === 'hnsw' ? HNSW_DEFAULTS : {}) };
  for (const [k, v] of Object.entries(search ?? {})) if (v !== undefined && !SCORE_NEUTRAL_SEARCH.has(k)) cfg[k] = v;
  return `${backend}:${Object.keys(cfg).sort().map((k) => `${k}=${cfg[k]}`).join(',')}`;
}

export interface IdentityInputs {
  spec: TaskSpec;
  embedder: Embedder;
  /** The dataset revision the scores would be computed on (openDataset's answer). */
  datasetRevision: string;
  limit?: number;
  search?: Record<string, unknown>;
  sklearn?: SklearnFlavour;
}

export function evaluationIdentity(i: IdentityInputs): EvaluationIdentity {
  const protocol = i.spec.protocol;
  // Which run options a type's scores depend on is a property of its entry in the task-type table.
  const dependsOn = taskType(i.spec.type).scoresDependOn;
  return {
    // The model's weights and every setting its backend folds into the fingerprint (max length, dtype, seed,
    // client-side templates, --model-revision).
    model: embedderFingerprint(i.embedder),
    dataset_revision: i.datasetRevision,
    protocol,
    mteb_version: PROTOCOL_MTEB_VERSION[protocol] ?? null,
    limit: i.limit ?? null,
    instruction_query: instructionFor(i.spec, 'query', i.embedder) ?? null,
    instruction_passage: instructionFor(i.spec, 'passage', i.embedder) ?? null,
    search: dependsOn.searchBackend ? searchIdentity(i.search) : null,
    sklearn: dependsOn.sklearnFlavour ? (i.sklearn ?? 'modern') : null,
  };
}

/** `field: recorded → now` for every field that differs (a field one side lacks counts as differing). */
export function identityDiff(recorded: EvaluationIdentity, now: EvaluationIdentity): string[] {
  const keys = [...new Set([...Object.keys(now), ...Object.keys(recorded)])];
  const show = (v: IdentityValue | undefined) => (v === undefined ? '(not recorded)' : JSON.stringify(v));
  return keys.filter((k) => recorded[k] !== now[k]).map((k) => `${k}: ${show(recorded[k])} → ${show(now[k])}`);
}
