import { readFileSync } from 'node:fs';
import type * as ortTypes from 'onnxruntime-node';
import { MtebError } from '../../core/errors.js';
import { loadOnnxruntime } from '../../native/optional-module.js';
import { checkProvider, sessionOptions, type Device } from '../nvembed/session.js';

/** What needs onnxruntime-node here, for the error when it is not installed. */
export const HF_FEATURE = 'Hugging Face models (model spec hf:)';

/**
 * Opens a graph on `dev`. With `externalDir` (shards symlinked next to the model, which onnxruntime's path check
 * rejects) the model goes in as bytes with cwd switched to the checkpoint for the load, as nvembed's loader does.
 */
export async function openHfSession(modelPath: string, dev: Device, externalDir?: string): Promise<ortTypes.InferenceSession> {
  const ort = await loadOnnxruntime(HF_FEATURE);
  checkProvider(dev, ort);
  try {
    if (!externalDir) return await ort.InferenceSession.create(modelPath, sessionOptions(dev));
    const bytes = readFileSync(modelPath);
    const cwd = process.cwd();
    process.chdir(externalDir);
    try {
      return await ort.InferenceSession.create(bytes, sessionOptions(dev));
    } finally {
      process.chdir(cwd);
    }
  } catch (e) {
    const msg = ((e as Error).message ?? String(e)).split('\n')[0];
    throw new MtebError('E_MODEL_LOAD', `onnxruntime could not load ${modelPath}: ${msg}`, { file: modelPath }, { cause: e });
  }
}
