import { onnx, ELEM, type ElemType } from './proto.js';

/** A float attribute (plain numbers are ints: ONNX attributes are typed and ops reject the wrong one). */
export interface FloatAttr {
  float: number;
}
export const f = (x: number): FloatAttr => ({ float: x });
export type AttrValue = number | number[] | string | FloatAttr | number[][];

export interface ExternalRef {
  /** File name relative to the model's folder. */
  location: string;
  offset: number;
  length: number;
}

export interface BuiltModel {
  bytes: Uint8Array;
  nodeCount: number;
  initializerCount: number;
  /** External data per file: how many tensors and bytes each file supplies. */
  external: Map<string, { tensors: number; bytes: number }>;
  inlineBytes: number;
}

/**
 * Collects nodes, inputs, outputs and initializers and serialises one ModelProto. Node outputs get unique
 * names from the op so graphs stay readable in Netron; constants are deduplicated.
 */
export class GraphBuilder {
  private nodes: any[] = [];
  private inits: any[] = [];
  private inputs: any[] = [];
  private outputs: any[] = [];
  private counter = 0;
  private consts = new Map<string, string>();
  private external = new Map<string, { tensors: number; bytes: number }>();
  private inlineBytes = 0;
  readonly extraDomains = new Set<string>();

  constructor(readonly name: string, readonly opset = 17) {}

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  private valueInfo(name: string, t: ElemType, dims: (number | string)[]) {
    return {
      name,
      type: { tensorType: { elemType: ELEM[t], shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
    };
  }

  input(name: string, t: ElemType, dims: (number | string)[]): string {
    this.inputs.push(this.valueInfo(name, t, dims));
    return name;
  }

  output(name: string, t: ElemType, dims: (number | string)[]): void {
    this.outputs.push(this.valueInfo(name, t, dims));
  }

  /** An initializer whose bytes stay in another file (e.g. a safetensors shard). */
  externalInit(name: string, t: ElemType, dims: number[], ref: ExternalRef): string {
    this.inits.push({
      name,
      dataType: ELEM[t],
      dims,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: ref.location },
        { key: 'offset', value: String(ref.offset) },
        { key: 'length', value: String(ref.length) },
      ],
    });
    const e = this.external.get(ref.location) ?? { tensors: 0, bytes: 0 };
    e.tensors++;
    e.bytes += ref.length;
    this.external.set(ref.location, e);
    return name;
  }

  /** A small constant stored inside the model. */
  inlineInit(name: string, t: ElemType, dims: number[], raw: Uint8Array): string {
    this.inits.push({ name, dataType: ELEM[t], dims, rawData: raw });
    this.inlineBytes += raw.byteLength;
    return name;
  }

  ints(values: number[], dims: number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.fresh('const_i64');
      const a = BigInt64Array.from(values.map((v) => BigInt(v)));
      this.inlineInit(n, 'int64', dims, new Uint8Array(a.buffer));
      this.consts.set(key, n);
    }
    return n;
  }

  floats(values: ArrayLike<number>, dims: number[] = [values.length], t: 'float32' | 'float16' = 'float32'): string {
    const a = Float32Array.from(values);
    const key = values.length <= 16 ? `${t}:${dims.join('x')}:${Array.from(a).join(',')}` : '';
    if (key && this.consts.has(key)) return this.consts.get(key)!;
    const n = this.fresh('const_f');
    if (t === 'float32') this.inlineInit(n, 'float32', dims, new Uint8Array(a.buffer));
    else this.inlineInit(n, 'float16', dims, new Uint8Array(toFloat16Bits(a).buffer));
    if (key) this.consts.set(key, n);
    return n;
  }

  /** Adds a node; returns its output names (one unless nOut > 1). */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, nOut = 1, domain = ''): string[] {
    const outs = Array.from({ length: nOut }, () => this.fresh(op));
    if (domain) this.extraDomains.add(domain);
    this.nodes.push({
      opType: op,
      domain,
      name: this.fresh(`n_${op}`),
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Single-output shorthand. */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, domain = ''): string {
    return this.node(op, inputs, attrs, 1, domain)[0];
  }

  /** Renames the last node output that produced `from` so a graph output has a stable name. */
  rename(from: string, to: string): void {
    for (const n of this.nodes) n.output = n.output.map((o: string) => (o === from ? to : o));
  }

  build(metadata: Record<string, string> = {}, producerVersion = '0'): BuiltModel {
    const opsetImport = [{ domain: '', version: this.opset }];
    for (const d of this.extraDomains) opsetImport.push({ domain: d, version: 1 });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'mteb-ts',
      producerVersion,
      opsetImport,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    const err = onnx.ModelProto.verify(model);
    if (err) throw new Error(`internal: invalid ModelProto: ${err}`);
    return {
      bytes: onnx.ModelProto.encode(model).finish(),
      nodeCount: this.nodes.length,
      initializerCount: this.inits.length,
      external: this.external,
      inlineBytes: this.inlineBytes,
    };
  }
}

function attribute(name: string, v: AttrValue) {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: A.INT, i: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v as number[] };
  return { name, type: A.FLOAT, f: v.float };
}

/** IEEE half from float32, round-to-nearest-even (for the few fp16 constants the graph needs). */
export function toFloat16Bits(a: Float32Array): Uint16Array {
  const out = new Uint16Array(a.length);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < a.length; i++) {
    f32[0] = a[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    let e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      out[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
    out[i] = sign | h;
  }
  return out;
}
