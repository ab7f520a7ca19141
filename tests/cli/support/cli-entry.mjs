// Runs src/cli/main.ts in a child process (started with `--import tsx`), as bin/mteb-ts.js does.
const { main } = await import('../../../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
