import type { GraphBuilder } from '../../../onnx/graph-builder.js';

/**
 * The inputs every encoder graph takes (input_ids, attention_mask: int64 [batch, sequence]) and the dynamic-shape
 * helpers its layers use, added to the graph in one fixed order (so graphs built from it keep their bytes).
 */
export function encoderInputs(g: GraphBuilder) {
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const attn = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const shapeBL = g.op('Shape', [ids]);
  return {
    ids,
    attn,
    shapeBL,
    seqLen: g.op('Gather', [shapeBL, g.ints([1])], { axis: 0 }),
    /** A scalar float constant. */
    scalar: (v: number) => g.floats([v]),
    /** [batch, sequence, ...tail] as a shape tensor. */
    shape: (...tail: number[]) => g.op('Concat', [shapeBL, g.ints(tail)], { axis: 0 }),
    /** The first `end` rows of a table (positions up to the sequence length). */
    rows: (t: string, end: string) => g.op('Slice', [t, g.ints([0]), end, g.ints([0])]),
  };
}
