import { main, type MainOptions } from '../../../src/cli/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI entry point (src/cli/main.ts) in-process, with its own error mapping: a usage or input error is
 * exit 2, a crash is exit 3, so a test expecting 2 fails on a crash. stdout/stderr are captured for the call.
 */
export async function runMain(argv: string[], opts?: MainOptions & { captureConsole?: boolean }): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const log = console.log;
  (process.stdout as any).write = (s: string | Uint8Array) => ((stdout += String(s)), true);
  (process.stderr as any).write = (s: string | Uint8Array) => ((stderr += String(s)), true);
  // yargs prints a command's help (and the completion script) with console.log: that is stdout too.
  if (opts?.captureConsole) console.log = (...a: unknown[]) => void (stdout += a.join(' ') + '\n');
  let code: number;
  try {
    code = await main(argv, opts);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    console.log = log;
  }
  return { code, stdout, stderr };
}
