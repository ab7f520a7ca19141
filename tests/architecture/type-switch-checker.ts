import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TASK_TYPES } from '../../src/task-types/spec.js';

/**
 * Finds code outside the task-type table that decides by task type: a `switch` on a type or category, a
 * comparison or `case` with a task-type name, a list of type names tested for membership, or a per-type table (an
 * object literal whose keys are type names). Maps of results keyed by type (`Record<Category, number>`) are data. What differs between types belongs
 * in the type's entry (src/task-types/<type>/index.ts), looked up by `spec.type`.
 */
export interface TypeSwitch {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const NAMES = TASK_TYPES.join('|');
const Q = `['"\`]`;
const RULES: [string, RegExp][] = [
  ['switch on a type', /\bswitch\s*\([^)]*\b(type|category)\b[^)]*\)/],
  ['case with a type name', new RegExp(`\\bcase\\s+${Q}(${NAMES})${Q}\\s*:`)],
  ['comparison with a type name', new RegExp(`[!=]==?\\s*${Q}(${NAMES})${Q}|${Q}(${NAMES})${Q}\\s*[!=]==?`)],
  ['membership test on type names', new RegExp(`(\\[|new Set\\(\\[)\\s*${Q}(${NAMES})${Q}[^\\]]*\\]\\)?\\s*(\\.(includes|indexOf|has|some)\\b|\\))`)],
  ['object literal keyed by type names', new RegExp(`^\\s*(${NAMES})\\s*:\\s*[\\[{'"\\w]`)],
];

/** Source text with comments blanked (line numbers kept), so a comment that names a type is not a finding. */
export function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function findTypeSwitches(file: string, src: string): TypeSwitch[] {
  const out: TypeSwitch[] = [];
  stripComments(src)
    .split('\n')
    .forEach((text, i) => {
      for (const [rule, re] of RULES) if (re.test(text)) out.push({ file, line: i + 1, rule, text: text.trim() });
    });
  return out;
}

/** Every finding under `root`, skipping the folders where per-type code belongs (paths relative to root). */
export function scanTree(root: string, allowed: readonly string[]): TypeSwitch[] {
  const out: TypeSwitch[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const rel = relative(root, p).split(sep).join('/');
      if (allowed.some((a) => rel === a || rel.startsWith(a + '/'))) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(n) && !n.endsWith('.d.ts')) out.push(...findTypeSwitches(rel, readFileSync(p, 'utf8')));
    }
  };
  walk(root);
  return out;
}
