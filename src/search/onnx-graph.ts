import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type CorpusDtype = 'float32' | 'float16';

export interface SearchGraphSpec {
  /** TopK outputs (values, indices) instead of the raw score matrix. */
  withTopK: boolean;
  corpusDtype: CorpusDtype;
  /** L2-normalise query and corpus rows first (cosine), as torch.nn.functional.normalize(eps=1e-12). */
  normalize: boolean;
  /**
   * Map NaN scores to -1 (mteb) with an extra pass over the score matrix. The fast variant skips it and instead
   * outputs per-row squared norms `q_sq`/`c_sq`: when all are finite no score can be NaN and its result is
   * final; otherwise the caller reruns the chunk with this safe variant.
   */
  nanSafe: boolean;
}

export function graphKey(s: SearchGraphSpec): string {
  return `${s.withTopK ? 'topk' : 'scores'}-${s.normalize ? 'cos' : 'dot'}-${s.corpusDtype}-${s.nanSafe ? 'safe' : 'fast'}`;
}

/**
 * The tiny graphs exact search runs, so onnxruntime does every pass over the corpus at native speed with its
 * own threads and no JS-side copy: optional fp16→fp32 Cast, optional row L2-normalisation, scores = Q · Cᵀ
 * (one Gemm → MLAS SGEMM), NaN → -1 (mteb), then TopK along the corpus axis. The `scores` variant is the same
 * graph without TopK; it is only run when ties straddle the top-k cut, and the same ops on the same shapes give
 * the same float32 scores bit for bit.
 */
export function buildSearchGraph(spec: SearchGraphSpec): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const A = onnx.AttributeProto.AttributeType;
  const tensor = (name: string, elemType: number, dims: (string | number)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const scalar = (name: string, v: number) => ({ name, dataType: T.FLOAT, dims: [], floatData: [v] });
  const nodes: any[] = [];
  const initializer: any[] = spec.nanSafe ? [scalar('minus_one', -1)] : [];
  let corpus = 'corpus';
  let queries = 'queries';
  if (spec.corpusDtype === 'float16') {
    nodes.push({ opType: 'Cast', input: ['corpus'], output: ['corpus_f32'], attribute: [{ name: 'to', type: A.INT, i: T.FLOAT }] });
    corpus = 'corpus_f32';
  }
  // Squared row norms: non-finite exactly when a row holds NaN/Inf (or overflows), i.e. when scores can be NaN.
  for (const [src, tag] of [[queries, 'q'], [corpus, 'c']] as const) {
    nodes.push({ opType: 'ReduceSumSquare', input: [src], output: [`${tag}_sq`], attribute: [{ name: 'axes', type: A.INTS, ints: [1] }, { name: 'keepdims', type: A.INT, i: 1 }] });
  }
  if (spec.normalize) {
    initializer.push(scalar('eps', 1e-12));
    for (const [src, tag] of [[queries, 'q'], [corpus, 'c']] as const) {
      nodes.push(
        { opType: 'Sqrt', input: [`${tag}_sq`], output: [`${tag}_norm`] },
        { opType: 'Max', input: [`${tag}_norm`, 'eps'], output: [`${tag}_den`] },
        { opType: 'Div', input: [src, `${tag}_den`], output: [`${tag}_unit`] },
      );
    }
    queries = 'q_unit';
    corpus = 'c_unit';
  }
  if (spec.nanSafe) {
    nodes.push(
      { opType: 'Gemm', input: [queries, corpus], output: ['raw_scores'], attribute: [{ name: 'transB', type: A.INT, i: 1 }] },
      { opType: 'IsNaN', input: ['raw_scores'], output: ['is_nan'] },
      { opType: 'Where', input: ['is_nan', 'minus_one', 'raw_scores'], output: ['scores'] },
    );
  } else {
    nodes.push({ opType: 'Gemm', input: [queries, corpus], output: ['scores'], attribute: [{ name: 'transB', type: A.INT, i: 1 }] });
  }
  const inputs = [tensor('queries', T.FLOAT, ['m', 'd']), tensor('corpus', spec.corpusDtype === 'float16' ? T.FLOAT16 : T.FLOAT, ['n', 'd'])];
  let outputs = [tensor('scores', T.FLOAT, ['m', 'n'])];
  if (spec.withTopK) {
    inputs.push(tensor('k', T.INT64, [1]));
    nodes.push({
      opType: 'TopK',
      input: ['scores', 'k'],
      output: ['values', 'indices'],
      attribute: [
        { name: 'axis', type: A.INT, i: -1 },
        { name: 'largest', type: A.INT, i: 1 },
        { name: 'sorted', type: A.INT, i: 1 },
      ],
    });
    outputs = [tensor('values', T.FLOAT, ['m', 'kk']), tensor('indices', T.INT64, ['m', 'kk'])];
  }
  if (!spec.nanSafe) outputs.push(tensor('q_sq', T.FLOAT, ['m', 1]), tensor('c_sq', T.FLOAT, ['n', 1]));
  const model = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'mteb-ts',
    graph: { name: 'search', node: nodes, input: inputs, output: outputs, initializer },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
