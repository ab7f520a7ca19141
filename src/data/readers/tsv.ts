import { MtebError } from '../../core/errors.js';
import { readLines, type LineReadOptions } from './lines.js';
import type { LocatedRow } from './row.js';

const QREL_HEADER = ['query-id', 'corpus-id', 'score'];

/**
 * Delimited text with a header row (BEIR qrels: `query-id corpus-id score`). Headerless qrels are accepted too:
 * 3 columns = query-id corpus-id score, 4 columns = TREC `qid iter docid rel`. Values stay strings.
 */
export async function* readTsvRows(file: string, sep: string, opts: LineReadOptions = {}): AsyncGenerator<LocatedRow> {
  let header: string[] | null = null;
  let index = 0;
  for await (const { text, line } of readLines(file, opts)) {
    if (!text.trim()) continue;
    let cells = text.split(sep);
    if (cells.length === 1 && sep === '\t') cells = text.trim().split(/\s+/);
    if (!header) {
      const looksNumeric = cells.length >= 3 && /^-?\d+(\.\d+)?$/.test(cells[cells.length - 1].trim());
      if (!looksNumeric) {
        header = cells.map((c) => c.trim());
        continue;
      }
      header = cells.length === 4 ? ['query-id', 'iteration', 'corpus-id', 'score'] : QREL_HEADER;
    }
    if (cells.length !== header.length)
      throw new MtebError('E_PARSE', `expected ${header.length} ${sep === '\t' ? 'tab' : 'comma'}-separated columns (${header.join(', ')}), got ${cells.length}`, { file, line });
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => (row[h] = cells[i]));
    yield { row, file, index: index++, line };
  }
}
