import { describe, test, expect } from '@jest/globals';
import { scanJsonId } from '../../src/data/readers/jsonl-ids.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

/** The id the full path reads: JSON.parse, then `_id` else `id` (corpus-text.ts corpusIdOf), String() of a non-string. */
function reference(line: string): { ok: true; id: string | undefined } | { ok: false } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: true, id: undefined };
  const row = v as Record<string, unknown>;
  const x = row._id !== undefined ? row._id : row.id;
  return { ok: true, id: x === undefined ? undefined : typeof x === 'string' ? x : String(x) };
}

const scan = (line: string | Buffer): string | undefined => {
  const b = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  return scanJsonId(b, 0, b.length);
};

/** The scanner's contract: on a line JSON.parse takes, the same id or undefined (then the row is parsed in full). */
function agrees(line: string): boolean {
  const ref = reference(line);
  const got = scan(line);
  return !ref.ok || got === undefined || got === ref.id;
}

describe('scanJsonId: a corpus row id without parsing the row', () => {
  test('adversarial lines give the id JSON.parse gives', () => {
    const cases: [string, string | undefined][] = [
      ['{"_id":"d1","title":"","text":"x"}', 'd1'],
      ['  {  "_id"  :  "d1" ,"text" : "x"  }  ', 'd1'],
      ['\t{"text":"x",\t"_id":"d1"}\t', 'd1'],
      ['{"text":"he said \\"_id\\":\\"evil\\"","_id":"good"}', 'good'],
      ['{"text":"a\\\\","_id":"after-backslash"}', 'after-backslash'],
      ['{"text":"a\\\\\\"","_id":"x"}', 'x'],
      ['{"\\u005fid":"escaped-key","text":"x"}', 'escaped-key'],
      ['{"_\\u0069d":"escaped-key-2"}', 'escaped-key-2'],
      ['{"_id":"esc\\"aped\\u00e9\\n"}', 'esc"apedé\n'],
      ['{"_id":"ünïcödé 文档 😀","text":"x"}', 'ünïcödé 文档 😀'],
      ['{"_id":"d1","_id":"d2"}', 'd2'],
      ['{"id":"a","_id":"b","id":"c"}', 'b'],
      ['{"id":"only-id","text":"x"}', 'only-id'],
      ['{"meta":{"_id":"nested","a":[1,{"_id":"deeper"}]},"_id":"top"}', 'top'],
      ['{"meta":{"_id":"nested"},"text":"x"}', undefined],
      ['{"meta":["}","{",{"x":"]"}],"id":"brackets-in-strings"}', 'brackets-in-strings'],
      ['{"_id":123,"text":"x"}', '123'],
      ['{"_id":-0,"text":"x"}', '0'],
      ['{"_id":1.50,"text":"x"}', '1.5'],
      ['{"_id":1e2}', '100'],
      ['{"_id":12345678901234567890}', '12345678901234567000'],
      ['{"_id":true}', 'true'],
      ['{"_id":null,"id":"x"}', 'null'],
      ['{"_id":"","text":"empty id"}', ''],
      ['{"_id":"d1","text":"x"}\r', 'd1'],
      ['{}', undefined],
      ['{"title":"t","text":"no id"}', undefined],
    ];
    for (const [line, want] of cases) {
      expect([line, reference(line)]).toEqual([line, { ok: true, id: want }]);
      expect([line, scan(line)]).toEqual([line, want]);
    }
  });

  test('declines what only the full parse may decide (then the row is parsed and reported as today)', () => {
    for (const line of [
      '[1,2]',
      '"_id"',
      '{"_id":{"a":1}}',
      '{"_id":[1]}',
      '{"_id":0123}',
      '{"_id":"tab\tinside"}',
      '{"_id":"d1"',
      '{"_id":"d1",}',
      '{"_id":"d1"} x',
      '{"_id" "d1"}',
      '{"_id":"d1}',
      '{"_id":0x1F}',
      '{"_id":Infinity}',
      '\u00a0{"_id":"nbsp-before"}',
      '',
      '   ',
    ])
      expect([line, scan(line)]).toEqual([line, undefined]);
  });

  test('a byte range of a larger buffer (the reader hands lines in place)', () => {
    const b = Buffer.from('xx{"_id":"mid","text":"t"}yy');
    expect(scanJsonId(b, 2, b.length - 2)).toBe('mid');
    expect(scanJsonId(b, 2, b.length - 3)).toBeUndefined();
  });

  test('fuzzed rows agree with JSON.parse (random keys, duplicates, escapes, nesting, whitespace, unicode, damage)', () => {
    const r = mulberry32(19);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const chars = ['a', 'b', '"', '\\', '{', '}', '[', ']', ':', ',', ' ', 'é', '文', '😀', '\n', '\u2028', '_id', 'id', '\u0000', '\t'];
    const randStr = () => Array.from({ length: Math.floor(r() * 6) }, () => pick(chars)).join('');
    const randValue = (depth: number): unknown => {
      const k = r();
      if (k < 0.4) return randStr();
      if (k < 0.55) return Math.floor(r() * 2000) - 1000 + (r() < 0.3 ? r() : 0);
      if (k < 0.62) return pick([true, false, null]);
      if (depth > 2) return randStr();
      if (k < 0.8) return Array.from({ length: Math.floor(r() * 3) }, () => randValue(depth + 1));
      return randObject(depth + 1);
    };
    const randObject = (depth: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) o[pick(['_id', 'id', 'title', 'text', 'meta', randStr()])] = randValue(depth);
      return o;
    };
    const ws = () => pick(['', '', ' ', '\t', '  ', ' \t ']);
    /** A row as text with duplicated keys, escaped key spellings and spacing JSON.stringify never writes. */
    const randLine = (): string => {
      const pairs: string[] = [];
      for (let i = Math.floor(r() * 6); i > 0; i--) {
        const key = pick(['_id', 'id', 'title', 'text', 'meta', randStr()]);
        let k = JSON.stringify(key);
        if (r() < 0.2) k = '"' + [...key].map((c) => (r() < 0.5 ? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0') : JSON.stringify(c).slice(1, -1))).join('') + '"';
        pairs.push(`${ws()}${k}${ws()}:${ws()}${JSON.stringify(key.endsWith('id') && r() < 0.6 ? randStr() : randValue(0))}${ws()}`);
      }
      return `${ws()}{${pairs.join(',')}}${ws()}`;
    };
    let valid = 0;
    let scanned = 0;
    const bad: string[] = [];
    for (let n = 0; n < 10000; n++) {
      let line = r() < 0.1 ? JSON.stringify(randObject(0)) : randLine();
      if (r() < 0.25) {
        // Damage: drop, duplicate or replace a character (most such lines are no longer JSON).
        const i = Math.floor(r() * line.length);
        const op = r();
        line = op < 0.33 ? line.slice(0, i) + line.slice(i + 1) : op < 0.66 ? line.slice(0, i) + line[i] + line.slice(i) : line.slice(0, i) + pick(chars) + line.slice(i + 1);
      }
      // As a file's line would be: decoded from UTF-8 (a damaged surrogate pair becomes U+FFFD, as the reader decodes it).
      line = Buffer.from(line, 'utf8').toString('utf8');
      const ref = reference(line);
      const got = scan(line);
      if (ref.ok && ref.id !== undefined) {
        valid++;
        if (got !== undefined) scanned++;
      }
      if (!agrees(line)) bad.push(line);
    }
    expect(bad).toEqual([]);
    // Not a scanner that declines everything: most valid rows with an id are taken by it.
    expect(valid).toBeGreaterThan(2500);
    expect(scanned / valid).toBeGreaterThan(0.8);
  });

  test('invalid UTF-8 in an id decodes as the whole line would', () => {
    const b = Buffer.concat([Buffer.from('{"_id":"a'), Buffer.from([0xc3, 0xff, 0xe6, 0x96]), Buffer.from('b","text":"t"}')]);
    expect(scan(b)).toBe(reference(b.toString('utf8')).ok && (JSON.parse(b.toString('utf8')) as { _id: string })._id);
  });
});
