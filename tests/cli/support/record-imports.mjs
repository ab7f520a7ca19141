// Preloaded with `node --import` into a child process: records every module URL the ESM loader resolves, one a
// line, into the file named by MTEB_TS_IMPORT_LOG. Tests read the list to prove what a command does not load.
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';

const log = process.env.MTEB_TS_IMPORT_LOG;
if (!log) throw new Error('record-imports.mjs: set MTEB_TS_IMPORT_LOG to the file that receives the list');
writeFileSync(log, '');
register(new URL('./record-imports-hook.mjs', import.meta.url), { data: { log } });
