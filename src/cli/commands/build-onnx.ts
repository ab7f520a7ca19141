import { defineCommand } from '../command.js';
import { buildOnnx } from '../../embedders/nvembed/build-onnx.js';
import { buildOnnxSpec, type BuildOnnxArgs } from '../options/build-onnx.js';

/** `mteb-ts build-onnx`: writes the NV-Embed ONNX graph for a checkpoint folder (weights stay in the shards). */
export async function buildOnnxGraph(args: BuildOnnxArgs): Promise<number> {
  const t0 = Date.now();
  const r = buildOnnx(args.checkpoint, args.out, { dtype: args.dtype, attention: args.attention, link: args.link });
  if (args.json || args.format === 'json') {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const gb = (b: number) => `${(b / 1e9).toFixed(3)} GB`;
  process.stdout.write(
    [
      `wrote ${r.modelPath} (${r.dtype}, ${r.attention} attention, ${r.onnxBytes} bytes, ${r.nodeCount} nodes, ${r.initializerCount} initializers) in ${Date.now() - t0} ms`,
      `checkpoint fingerprint ${r.fingerprint}; shards placed as ${r.linkKind}`,
      ...r.external.map((e) => `  ${e.file}: ${e.tensors} tensors, ${gb(e.bytes)} read in place`),
    ].join('\n') + '\n',
  );
  return 0;
}

export const buildOnnxCommand = defineCommand(buildOnnxSpec, buildOnnxGraph);
