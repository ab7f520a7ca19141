import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Embedder, EmbedOptions, Role } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { readLines, wrapIoError, type LineReadOptions } from '../../data/readers/lines.js';
import { checkVector } from '../../core/vector-check.js';
import { parseJson } from '../../util/json-file.js';

interface Entry {
  vector: Float32Array;
}

/** Keys are (role, instruction, text); an entry without role/instruction matches any value of that field. */
function key(role: string, instruction: string, text: string): string {
  return `${role}\u0001${instruction}\u0001${text}`;
}
const ANY = '\u0000*';

/**
 * `precomputed:FILE` — vectors someone else computed: JSONL lines `{"text", "embedding", "role"?,
 * "instruction"?}` or an Arrow IPC file with the same columns. Lets any model (run elsewhere) be scored
 * here, and lets tests pin embeddings so scores can be compared with independently computed values.
 */
export class PrecomputedEmbedder implements Embedder {
  readonly revision = 'no_revision_available';
  readonly fingerprint: string;
  private constructor(
    readonly name: string,
    readonly dimension: number,
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {
    // Size and mtime too: the embedding cache keys on the fingerprint, and a rewritten file must not be
    // answered with the old file's vectors.
    const st = statSync(file);
    this.fingerprint = `precomputed:${path.resolve(file)}:${st.size}:${Math.round(st.mtimeMs)}`;
  }

  static async load(file: string, opts: LineReadOptions = {}): Promise<PrecomputedEmbedder> {
    if (!existsSync(file)) throw new MtebError('E_FILE_MISSING', 'precomputed embeddings file not found', { file });
    if (statSync(file).isDirectory()) throw new MtebError('E_FILE_MISSING', 'is a folder, expected a precomputed embeddings file', { file });
    const entries = new Map<string, Entry>();
    const state = { dim: -1 };
    const add = (text: unknown, emb: unknown, role: unknown, instr: unknown, line: number) => {
      if (typeof text !== 'string') throw new MtebError('E_COLUMN_MISSING', 'expected a string "text"', { file, line, field: 'text' });
      if (emb === undefined || emb === null) throw new MtebError('E_COLUMN_MISSING', 'expected an "embedding" array', { file, line, field: 'embedding' });
      // The shared vector check (numbers only, finite as float32, the first row's dimension).
      const v = checkVector(emb, state.dim < 0 ? undefined : state.dim, {
        source: 'the file',
        which: state.dim < 0 ? 'this embedding' : "this embedding (the first row's dimension)",
        location: { file, line, field: 'embedding' },
      });
      if (state.dim < 0) state.dim = v.length;
      const r = role === undefined || role === null ? ANY : String(role);
      const ins = instr === undefined || instr === null ? ANY : String(instr);
      entries.set(key(r, ins, text), { vector: v });
    };
    if (/\.(arrow|feather|ipc)$/i.test(file)) {
      // apache-arrow (~150 modules) loads only for Arrow files, not with the package or the CLI.
      const { tableFromIPC } = await import('apache-arrow');
      let table: ReturnType<typeof tableFromIPC>;
      try {
        table = tableFromIPC(readFileSync(file));
        // Decoding is lazy: touch every batch now, so a truncated or corrupt file fails here, typed.
        void table.numRows;
        if (table.batches.length === 0 && table.schema.fields.length === 0) throw new Error('no Arrow IPC schema or record batch');
      } catch (e) {
        if ((e as NodeJS.ErrnoException)?.code) throw wrapIoError(e, file);
        throw new MtebError('E_PARSE', `not a readable Arrow IPC file (truncated or corrupt?): ${(e as Error)?.message ?? String(e)}`, { file }, { cause: e });
      }
      const texts = table.getChild('text');
      const embs = table.getChild('embedding');
      if (!texts) throw new MtebError('E_COLUMN_MISSING', 'Arrow file has no "text" column', { file, field: 'text' });
      if (!embs) throw new MtebError('E_COLUMN_MISSING', 'Arrow file has no "embedding" column', { file, field: 'embedding' });
      const roles = table.getChild('role');
      const instrs = table.getChild('instruction');
      try {
        for (let i = 0; i < table.numRows; i++) {
          const e = embs.get(i);
          add(texts.get(i), e ? e.toArray() : null, roles?.get(i), instrs?.get(i), i + 1);
        }
      } catch (e) {
        if (e instanceof MtebError) throw e;
        throw new MtebError('E_PARSE', `cannot decode the Arrow IPC file (truncated or corrupt?): ${(e as Error)?.message ?? String(e)}`, { file }, { cause: e });
      }
    } else {
      for await (const { text: raw, line } of readLines(file, opts)) {
        if (!raw.trim()) continue;
        const obj = parseJson(raw, { file, line }) as any;
        if (obj === null || typeof obj !== 'object') throw new MtebError('E_PARSE', 'expected a JSON object per line', { file, line });
        add(obj.text, obj.embedding, obj.role, obj.instruction, line);
      }
    }
    if (state.dim < 0) throw new MtebError('E_PARSE', 'precomputed embeddings file holds no vectors', { file });
    const name = `precomputed/${path.basename(file).replace(/\.(jsonl|json|arrow|feather|ipc)$/i, '')}`;
    return new PrecomputedEmbedder(name, state.dim, file, entries);
  }

  private lookup(text: string, role: Role, instruction: string): Entry | undefined {
    return (
      this.entries.get(key(role, instruction, text)) ??
      this.entries.get(key(role, ANY, text)) ??
      this.entries.get(key(ANY, instruction, text)) ??
      this.entries.get(key(ANY, ANY, text))
    );
  }

  /** Every text without a vector, counted, with the first three shown (one error for the whole set). */
  preflight(texts: string[], options: EmbedOptions): void {
    const instr = options.instruction ?? '';
    const missing = texts.filter((t) => !this.lookup(t, options.role, instr));
    if (!missing.length) return;
    const show = (t: string) => JSON.stringify(t.length > 80 ? `${t.slice(0, 77)}...` : t);
    throw new MtebError(
      'E_EMBEDDING_MISSING',
      `${missing.length} of ${texts.length} texts have no vector (role ${options.role}${instr ? `, instruction ${JSON.stringify(instr)}` : ''}), e.g. ${missing.slice(0, 3).map(show).join(', ')}${missing.length > 3 ? ', ...' : ''}`,
      { file: this.file },
    );
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const m = makeMatrix(texts.length, this.dimension);
    const instr = options.instruction ?? '';
    texts.forEach((t, i) => {
      const e = this.lookup(t, options.role, instr);
      if (!e) {
        const shown = t.length > 80 ? `${t.slice(0, 77)}...` : t;
        throw new MtebError(
          'E_EMBEDDING_MISSING',
          `no vector for text ${JSON.stringify(shown)} (role ${options.role}${instr ? `, instruction ${JSON.stringify(instr)}` : ''})`,
          { file: this.file },
        );
      }
      m.data.set(e.vector, i * this.dimension);
    });
    options.onProgress?.(texts.length);
    return m;
  }

  meta() {
    return { embed_dim: this.dimension, framework: ['mteb-ts'], loader: 'precomputed' };
  }
}
