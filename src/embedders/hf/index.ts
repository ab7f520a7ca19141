/** `hf:PATH` in-process Hugging Face encoders: public surface (the model-spec parser imports this lazily). */
export { createHfEmbedder, type HfEmbedderOptions } from './embedder.js';
export { readHfCheckpoint, type HfCheckpoint } from './checkpoint.js';
export { locateCheckpoint } from './hub-path.js';
export { HfTextEncoder, padRows } from './inputs.js';
export { poolRow, parsePoolingConfig, POOLING_MODES, type PoolingConfig, type PoolingMode } from './pooling.js';
export { choosePrompts, type PromptChoice, type PromptOverride } from './prompts.js';
export { SUPPORTED_MODEL_TYPES, planArchitecture } from './arch/architectures.js';
