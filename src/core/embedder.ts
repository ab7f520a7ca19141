import type { Matrix } from './matrix.js';

/** Which side of an asymmetric task a text is on. Symmetric tasks embed everything as 'query' with the task instruction, as NV-Embed does. */
export type Role = 'query' | 'passage';

export interface EmbedOptions {
  role: Role;
  /** The task instruction (not the template): each embedder applies its own template, e.g. NV-Embed's `Instruct: {instruction}\nQuery: `. */
  instruction?: string;
  /** Called with the number of texts finished so far, for progress reporting. */
  onProgress?: (done: number) => void;
}

/** What an embedder may look at to pick a task's instruction (the task file's name, type and protocol). */
export interface InstructionTask {
  name: string;
  type: string;
  protocol?: string;
}

/**
 * The one interface every model backend implements (precomputed vectors, baselines, NV-Embed on
 * onnxruntime, OpenAI-compatible servers). tests/embedders/conformance.ts checks each one.
 */
export interface Embedder {
  /** Model name as it appears in results, e.g. `nvidia/NV-Embed-v2`. */
  readonly name: string;
  /** Model revision, or `no_revision_available`. */
  readonly revision: string;
  /** Output dimension. */
  readonly dimension: number;
  /** Stable identity of the weights/config (used as the embedding-cache key); defaults to name@revision. */
  readonly fingerprint?: string;
  /** Largest batch the backend wants at once (the caller may send fewer). */
  readonly maxBatchSize?: number;
  /**
   * Optional: how many `embed` calls the backend can serve at once (a server fleet: requests in flight over all
   * its URLs). The run keeps that many batches in flight (src/run/embed-texts.ts); absent = 1, one at a time.
   */
  readonly maxInFlight?: number;
  /** Embeds texts in order; returns texts.length rows of `dimension` finite floats. */
  embed(texts: string[], options: EmbedOptions): Promise<Matrix>;
  /**
   * Optional: refuse up front, before any batch is embedded, texts this embedder cannot embed — `precomputed:`
   * names how many of a task's texts have no vector and the first few, instead of failing at the first one.
   */
  preflight?(texts: string[], options: EmbedOptions): void;
  /**
   * Optional: the instruction this model gets for a task's role, given the task file's (NV-Embed's) instruction
   * (`undefined` = none). Models whose registry entry carries instructions of their own (mteb's per-task texts
   * for e5-mistral, SFR, gte-Qwen2) answer with those; without the hook the task file's instruction is used.
   * The runner embeds, caches and records the result identity with the answer.
   */
  instructionFor?(task: InstructionTask, role: Role, fileInstruction: string | undefined): string | undefined;
  /** Optional metadata for model_meta.json. */
  meta?(): Partial<ModelMeta>;
  /** Persist anything buffered (the embedding cache's pending rows); the runner calls it after every task. */
  flush?(): Promise<void>;
  close?(): Promise<void>;
}

/** The model_meta.json fields mteb writes next to results. */
export interface ModelMeta {
  name: string;
  revision: string;
  release_date: string | null;
  languages: string[] | null;
  n_parameters: number | null;
  max_tokens: number | null;
  embed_dim: number | null;
  license: string | null;
  open_weights: boolean | null;
  public_training_code: string | null;
  framework: string[];
  reference: string | null;
  similarity_fn_name: string | null;
  use_instructions: boolean | null;
  training_datasets: Record<string, string[]> | null;
  adapted_from: string | null;
  superseded_by: string | null;
  loader: string | null;
}
