/**
 * The embedder conformance suite on the OpenAI-compatible client, against a fake OpenAI-style server started
 * here (float and base64 wire formats, several requests per call, answers out of order), plus a check that the
 * vectors are exactly the server's: the suite alone would pass a client that returned its own constants.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { openOpenAIEmbedder } from '../../src/embedders/openai/index.js';
import { runEmbedderConformance } from '../embedders/conformance.js';
import { stubVector } from '../cache/stub-embedder.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server.js';

const DIM = 24;
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer(DIM);
});
afterAll(async () => server.close());

// batch=2 and concurrency=3: the suite's six texts go out as three requests in flight at once.
runEmbedderConformance('openai (float)', () => openOpenAIEmbedder(`openai:${server.url}#text-embedding-fake?batch=2&concurrency=3`));
runEmbedderConformance('openai (base64)', () => openOpenAIEmbedder(`openai:${server.url}#text-embedding-fake?batch=2&encoding=base64`));

describe('openai against the fake server', () => {
  test('returns the served vectors bit for bit, in input order, with the role and instruction sent', async () => {
    const e = await openOpenAIEmbedder(`openai:${server.url}#text-embedding-fake?batch=2`);
    expect(e.dimension).toBe(DIM);
    const texts = ['first', 'second', 'third'];
    const before = server.requests.length;
    const m = await e.embed(texts, { role: 'query', instruction: 'Find it' });
    expect(server.requests.slice(before).map((r) => [r.input, r.model, r.input_type, r.instruction])).toEqual([
      [['first', 'second'], 'text-embedding-fake', 'query', 'Find it'],
      [['third'], 'text-embedding-fake', 'query', 'Find it'],
    ]);
    texts.forEach((t, i) => expect(m.data.subarray(i * DIM, (i + 1) * DIM)).toEqual(stubVector(t, { role: 'query', instruction: 'Find it' }, DIM)));
  });
});
