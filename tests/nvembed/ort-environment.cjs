// onnxruntime-node creates output tensors with the host realm's typed arrays, and onnxruntime-common
// checks `instanceof` against the test sandbox's own constructors, which jest gives a separate realm.
// Sharing the host constructors makes both sides agree (the usual fix for jest + onnxruntime-node).
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

class OrtEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'Uint8ClampedArray']) {
      this.global[name] = globalThis[name];
    }
  }
}
module.exports = OrtEnvironment;
