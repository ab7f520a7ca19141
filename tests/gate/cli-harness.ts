import yargs from 'yargs';
import { formatError, isMtebError } from '../../src/core/errors.js';
import type { CliCommand } from '../../src/cli/command.js';
import { compareCommand } from '../../src/cli/commands/compare.js';
import { gateCommand } from '../../src/cli/commands/gate.js';
import { reportCommand } from '../../src/cli/commands/report.js';

/** Runs report/compare/gate as src/cli/main.ts does (MtebError -> exit 2) and captures stdout/stderr. */
export async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  (process.stdout as any).write = (s: string) => ((stdout += s), true);
  (process.stderr as any).write = (s: string) => ((stderr += s), true);
  try {
    const p = yargs(argv).strict().fail((msg, e) => {
      throw e ?? new Error(msg);
    });
    for (const c of [reportCommand, compareCommand, gateCommand] as CliCommand[]) {
      p.command({ ...c, handler: async (a: Record<string, any>) => void (code = await c.handler(a)) } as any);
    }
    await p.parseAsync();
  } catch (e) {
    stderr += (isMtebError(e) ? formatError(e) : String(e)) + '\n';
    code = 2;
  } finally {
    (process.stdout as any).write = out;
    (process.stderr as any).write = err;
  }
  return { code, stdout, stderr };
}
