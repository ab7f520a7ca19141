// Loader hook (runs on Node's loader thread): appends each resolved URL to the log file as it is resolved, so
// the list is complete even when the process exits abruptly.
import { appendFileSync } from 'node:fs';

let log;
export function initialize(data) {
  log = data.log;
}
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, r.url + '\n');
  return r;
}
