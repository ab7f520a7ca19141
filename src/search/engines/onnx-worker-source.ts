/**
 * Fallback for vm sandboxes such as jest's, where onnxruntime-node's instanceof checks on the native typed
 * arrays it returns fail: the same sessions in a worker thread (a plain Node realm). Costs one copy per chunk.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const sessions = new Map();
let corpus;
parentPort.on('message', async (msg) => {
  try {
    if (msg.op === 'session') {
      sessions.set(msg.key, await ort.InferenceSession.create(msg.graph, workerData.options));
      parentPort.postMessage({ id: msg.id });
    } else if (msg.op === 'chunk') {
      corpus = msg.f16 ? new ort.Tensor('float16', msg.data, [msg.n, msg.dim]) : new ort.Tensor('float32', msg.data, [msg.n, msg.dim]);
      parentPort.postMessage({ id: msg.id });
    } else if (msg.op === 'run') {
      const feeds = { queries: new ort.Tensor('float32', msg.q, [msg.m, msg.dim]), corpus };
      if (msg.kk) feeds.k = new ort.Tensor('int64', BigInt64Array.of(BigInt(msg.kk)), [1]);
      const out = await sessions.get(msg.key).run(feeds);
      const reply = { id: msg.id };
      for (const [name, key] of [['values', 'values'], ['indices', 'indices'], ['scores', 'scores'], ['q_sq', 'qSq'], ['c_sq', 'cSq']]) {
        if (out[name]) reply[key] = out[name].data;
      }
      parentPort.postMessage(reply, Object.values(reply).filter((v) => v && v.buffer).map((v) => v.buffer));
    } else if (msg.op === 'close') {
      for (const s of sessions.values()) await s.release();
      parentPort.postMessage({ id: msg.id });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.stack) || e) });
  }
});
`;

