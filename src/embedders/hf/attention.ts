/**
 * A decoder's attention setting. Its own module, free of the graph code: HfEmbedderOptions (a published type)
 * names it, and importing it from decoder-config.ts would pull the ONNX builder's typings (onnx-proto) into the
 * package's .d.ts (tests/package/pack-install.test.ts compiles a consumer against them).
 */
export type DecoderAttention = 'causal' | 'bidirectional';
export const DECODER_ATTENTIONS: readonly DecoderAttention[] = ['causal', 'bidirectional'];
