import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const buildOnnxOptions = {
  checkpoint: { type: 'string', demandOption: true, describe: 'checkpoint folder (config.json, *.safetensors, tokenizer.json)' },
  out: { type: 'string', demandOption: true, describe: 'output folder for model.onnx (shards are linked next to it)' },
  dtype: { type: 'string', choices: ['fp32', 'fp16'], default: 'fp32', describe: 'compute dtype of the graph (fp16 for GPUs)' },
  attention: {
    type: 'string',
    choices: ['standard', 'mha'],
    default: 'standard',
    describe: 'self-attention: standard ONNX ops, or com.microsoft MultiHeadAttention (fused GPU kernels)',
  },
  link: { type: 'string', choices: ['hardlink', 'symlink'], default: 'hardlink', describe: 'how shards are placed next to model.onnx' },
  format: { type: 'string', alias: 'f', choices: ['text', 'json'], default: 'text', describe: 'the build summary as lines, or one JSON object' },
  json: { type: 'boolean', default: false, describe: 'same as --format json' },
} as const satisfies OptionTable;

export type BuildOnnxArgs = ArgsOf<typeof buildOnnxOptions>;

export const buildOnnxSpec: CommandSpec<typeof buildOnnxOptions> = {
  command: 'build-onnx',
  describe: 'Build the ONNX graph of an NV-Embed checkpoint (weights read in place from its safetensors shards)',
  options: buildOnnxOptions,
};
