import type { Ort } from '../../native/optional-module.js';
import { OnnxEngine } from './onnx-engine.js';
import { InProcessRunner } from './onnx-inprocess.js';
import { WorkerRunner } from './onnx-worker.js';

/**
 * The onnx engine on the calling thread when onnxruntime works there, else (inside a vm sandbox such as jest's)
 * the same graphs in a worker thread.
 */
export async function openOnnxEngine(ort: Ort, threads: number): Promise<OnnxEngine> {
  const inProcess = new OnnxEngine(new InProcessRunner(ort, threads));
  if (await inProcess.works()) return inProcess;
  await inProcess.close();
  return new OnnxEngine(await WorkerRunner.create(threads));
}
