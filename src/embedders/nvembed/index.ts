/** NV-Embed on onnxruntime-node: public surface (the model-spec parser imports this lazily). */
export { createNvEmbedEmbedder, type NvEmbedOptions } from './embedder.js';
export { buildOnnx, ensureOnnx, checkpointFingerprint, defaultCacheDir, type BuildOnnxOptions, type BuildOnnxResult } from './build-onnx.js';
export { buildNvEmbedGraph, type AttentionImpl, type GraphDtype } from './build-graph.js';
export { readNvEmbedConfig, expectedShapes, checkTensors, type NvEmbedDims } from './config.js';
export { readCheckpointTensors, readShardHeader, type TensorRef, type CheckpointTensors } from './safetensors.js';
export { NvEmbedEncoder, instructionPrefix, padBatch } from './inputs.js';
export { tokenBudgetBatches, fixedOrderBatches, paddingFraction, type Batch } from './batching.js';
export { parseDevice, checkProvider, CUDA_INSTALL_HINT } from './session.js';
