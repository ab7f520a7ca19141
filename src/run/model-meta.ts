import type { Embedder, ModelMeta } from '../core/embedder.js';

/** model_meta.json as mteb writes it next to results; unknown facts stay null rather than guessed. */
export function buildModelMeta(embedder: Embedder, name: string, revision: string): ModelMeta {
  const m = embedder.meta?.() ?? {};
  return {
    name,
    revision,
    release_date: m.release_date ?? null,
    languages: m.languages ?? null,
    n_parameters: m.n_parameters ?? null,
    max_tokens: m.max_tokens ?? null,
    embed_dim: m.embed_dim ?? embedder.dimension,
    license: m.license ?? null,
    open_weights: m.open_weights ?? null,
    public_training_code: m.public_training_code ?? null,
    framework: m.framework ?? ['mteb-ts'],
    reference: m.reference ?? null,
    similarity_fn_name: m.similarity_fn_name ?? 'cosine',
    use_instructions: m.use_instructions ?? null,
    training_datasets: m.training_datasets ?? null,
    adapted_from: m.adapted_from ?? null,
    superseded_by: m.superseded_by ?? null,
    loader: m.loader ?? null,
  };
}
