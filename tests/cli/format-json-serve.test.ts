// `serve --format json`: once listening, one JSON line on stdout ({url, model, revision, dimension}) and nothing
// else; the server then answers at that URL. A real process (serve runs until SIGINT/SIGTERM), stopped by its pid.
import { describe, test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

describe('serve --format json', () => {
  test('one JSON line naming the URL it listens on; SIGTERM ends it with exit 0 and nothing more on stdout', async () => {
    const child = spawn(process.execPath, ['bin/mteb-ts-dev.js', 'serve', '-m', 'hash:8', '--port', '0', '-f', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstLine = new Promise<string>((resolve) =>
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
      }),
    );
    try {
      const info = JSON.parse(await firstLine);
      expect(Object.keys(info)).toEqual(['url', 'model', 'revision', 'dimension']);
      expect([info.model, info.revision, info.dimension]).toEqual(['mteb-ts/hash-8', 'no_revision_available', 8]);
      const res = await fetch(`${info.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: ['a b'] }) });
      expect((await res.json()).data[0].embedding).toHaveLength(8);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  }, 60_000);
});
