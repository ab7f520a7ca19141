import { describe, test, expect, jest } from '@jest/globals';
import { runMain } from './support/run-main.js';

describe('mteb-ts --help', () => {
  // `--help` alone is printed without loading yargs (src/cli/help.ts); `--help --help` goes through yargs.
  test.each([undefined, 50, 60, 80, 100, 120, 160])('the fast path prints what yargs prints (terminal width %p)', async (columns) => {
    const saved = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    Object.defineProperty(process.stdout, 'columns', { value: columns, configurable: true });
    try {
      const fast = await runMain(['--help']);
      // yargs prints its help with console.log.
      const logged: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logged.push(a.join(' ') + '\n'));
      let viaYargs;
      try {
        viaYargs = await runMain(['--help', '--help']);
      } finally {
        log.mockRestore();
      }
      expect([fast.code, viaYargs.code, fast.stderr, viaYargs.stderr]).toEqual([0, 0, '', '']);
      expect(fast.stdout).toMatch(/\n  mteb-ts compare /);
      expect(fast.stdout).toBe(viaYargs.stdout + logged.join(''));
    } finally {
      if (saved) Object.defineProperty(process.stdout, 'columns', saved);
      else delete (process.stdout as any).columns;
    }
  });
});
