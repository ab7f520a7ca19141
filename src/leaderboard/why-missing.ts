import type { TaskScore } from './types.js';

/**
 * Why a task has no score, in a few words, from the warnings scoring recorded (nothing is re-derived): the
 * file's reason when a file was there (`no split "dev" (has ["test"])`, `no subset "en"`, `no metric …`),
 * otherwise `no result file` / `no usable result file`. `detail` is the full warning, naming the file.
 */
export function whyMissing(t: TaskScore | undefined): { short: string; detail: string } {
  if (!t) return { short: 'no result file', detail: 'no result file' };
  const fileReason = t.warnings.find((w) => / unusable: /.test(w));
  if (fileReason) return { short: /unusable: ([^;]+)/.exec(fileReason)![1], detail: fileReason };
  const generic = t.warnings.find((w) => /: missing \(/.test(w));
  if (generic) return { short: /: missing \((.+)\)$/.exec(generic)?.[1] ?? 'no result file', detail: generic };
  const other = t.warnings[0];
  return other ? { short: other.replace(/^[^:]+: /, ''), detail: other } : { short: 'no result file', detail: `${t.task}: no result file` };
}
