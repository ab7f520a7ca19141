import type * as ortTypes from 'onnxruntime-node';
import { createSession, type Device } from '../nvembed/session.js';

/** What needs onnxruntime-node here, for the error when it is not installed. */
export const HF_FEATURE = 'Hugging Face models (model spec hf:)';

/**
 * Opens a graph on `dev` through the one session loader (src/embedders/nvembed/session.ts: providers, the
 * `externalDir` load for symlinked shards, typed errors), naming hf: when onnxruntime-node is missing.
 */
export function openHfSession(modelPath: string, dev: Device, externalDir?: string): Promise<ortTypes.InferenceSession> {
  return createSession(modelPath, dev, externalDir, HF_FEATURE);
}
