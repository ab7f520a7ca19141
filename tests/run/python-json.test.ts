import { describe, test, expect } from '@jest/globals';
import { pythonJson, parsePythonJson } from '../../src/output/python-json.js';

describe('Python-compatible JSON for result files', () => {
  test('non-finite floats are written as Python writes them and read back', () => {
    const v = { a: NaN, b: Infinity, c: -Infinity, d: 0.5, s: 'NaN stays a string', l: [1, NaN] };
    const text = pythonJson(v);
    expect(text).toBe('{\n  "a": NaN,\n  "b": Infinity,\n  "c": -Infinity,\n  "d": 0.5,\n  "s": "NaN stays a string",\n  "l": [\n    1,\n    NaN\n  ]\n}\n');
    const back = parsePythonJson(text) as typeof v;
    expect(back.a).toBeNaN();
    expect(back.b).toBe(Infinity);
    expect(back.c).toBe(-Infinity);
    expect(back.s).toBe('NaN stays a string');
    expect(back.l[1]).toBeNaN();
  });
});
