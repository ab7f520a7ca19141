import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { buildOnnx } from '../../embedders/nvembed/build-onnx.js';

/** `mteb-ts build-onnx`: writes the NV-Embed ONNX graph for a checkpoint folder (weights stay in the shards). */
export const buildOnnxCommand: CliCommand = {
  command: 'build-onnx',
  describe: 'Build the ONNX graph of an NV-Embed checkpoint (weights read in place from its safetensors shards)',
  builder: (y: Argv) =>
    y
      .option('checkpoint', { type: 'string', demandOption: true, describe: 'checkpoint folder (config.json, *.safetensors, tokenizer.json)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder for model.onnx (shards are linked next to it)' })
      .option('dtype', { choices: ['fp32', 'fp16'] as const, default: 'fp32', describe: 'compute dtype of the graph (fp16 for GPUs)' })
      .option('attention', { choices: ['standard', 'mha'] as const, default: 'standard', describe: 'self-attention: standard ONNX ops, or com.microsoft MultiHeadAttention (fused GPU kernels)' })
      .option('link', { choices: ['hardlink', 'symlink'] as const, default: 'hardlink', describe: 'how shards are placed next to model.onnx' })
      .option('json', { type: 'boolean', default: false, describe: 'print the build summary as JSON' }),
  handler: async (args) => {
    if (!args.checkpoint || !args.out) throw new MtebError('E_USAGE', '--checkpoint and --out are required');
    const t0 = Date.now();
    const r = buildOnnx(args.checkpoint as string, args.out as string, { dtype: args.dtype, attention: args.attention, link: args.link });
    if (args.json) {
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
  },
};
