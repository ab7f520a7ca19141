import { describe, test, expect } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../../src/serve/index.js';
import { resolveEmbedder } from '../../src/embedders/resolve.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { runEvaluation } from '../../src/run/runner.js';
import { resolveTasks } from '../../src/registry/index.js';
import { DEMO, tmpOut } from './helpers.js';

describe('a run through an OpenAI-compatible server', () => {
  test('scores equal the same model run in-process', async () => {
    const server = await startServer(new HashEmbedder(96), { port: 0, host: '127.0.0.1' });
    try {
      const tasks = resolveTasks([path.join(DEMO, 'DemoSTS', 'task.json'), path.join(DEMO, 'DemoRetrieval', 'task.json')]);
      const remote = await resolveEmbedder(`openai:${server.url}#hash-96`);
      expect(remote.dimension).toBe(96);
      const a = tmpOut(), b = tmpOut();
      await runEvaluation({ tasks, embedder: validating(remote), outputDir: a, modelName: 'm', modelRevision: 'r' });
      await runEvaluation({ tasks, embedder: validating(new HashEmbedder(96)), outputDir: b, modelName: 'm', modelRevision: 'r' });
      for (const t of ['DemoSTS', 'DemoRetrieval']) {
        const read = (o: string) => parsePythonJson(readFileSync(path.join(o, 'm', 'r', `${t}.json`), 'utf8')).scores;
        expect(read(a)).toEqual(read(b));
      }
    } finally {
      await server.close();
    }
  });

  test('an unreachable server is one precise error, not a stack trace', async () => {
    await expect(resolveEmbedder('openai:http://127.0.0.1:9#m?retries=1&timeout_ms=2000')).rejects.toMatchObject({ name: 'MtebError' });
  });
});
