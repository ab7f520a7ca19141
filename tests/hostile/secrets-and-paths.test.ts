import { describe, test, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { redact, redactAndTruncate, registerSecret } from '../../src/core/redact.js';
import { safeJoin } from '../../src/util/safe-path.js';
import { resultPath } from '../../src/output/result-file.js';
import { createOpenAIEmbedder } from '../../src/embedders/openai/index.js';
import { resolveEmbedder } from '../../src/embedders/resolve.js';
import { namespaceInfo, namespaceKey } from '../../src/cache/keys.js';
import { MtebError, formatError } from '../../src/core/errors.js';
import { renderRunSummary } from '../../src/run/summary-table.js';
import { REPO_ROOT } from '../../src/registry/index.js';
import { goodData, responseBody, snapshotTree, startFakeEmbeddingServer } from './inputs-server.js';

/** Runs the CLI in-process; returns the exit code and what it wrote to stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: any) => (chunks.push(String(c)), true));
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

describe('one redaction function, every secret form', () => {
  registerSecret('sk-echoed-0123456789');
  const CASES: [string, string, string][] = [
    ['URL user-info', 'GET http://alice:hunter2@host:8000/v1 failed', 'GET http://***@host:8000/v1 failed'],
    ['user-info, other scheme', 'bad "ftp://bob:pw9@h/x"', 'bad "ftp://***@h/x"'],
    ['user-info, unparsable URL', 'http://u:p@@:::', 'http://***@@:::'],
    ['api_key query parameter', 'http://h/v1?api_key=abc123&x=1', 'http://h/v1?api_key=***&x=1'],
    ['token, signature, secret parameters', 'u?token=t1&X-Amz-Signature=s2&client_secret=c3&page=2', 'u?token=***&X-Amz-Signature=***&client_secret=***&page=2'],
    ['an env-var name is not a secret', '#m?api_key_env=MY_KEY', '#m?api_key_env=MY_KEY'],
    ['Authorization header', 'Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
    ['api-key header, JSON-quoted', '{"api-key": "k-777"}', '{"api-key": "***"}'],
    ['bare bearer token', 'sent Bearer xyz987', 'sent Bearer ***'],
    ['a registered key echoed', 'invalid key sk-echoed-0123456789!', 'invalid key ***!'],
  ];
  test.each(CASES)('%s', (_n, input, expected) => expect(redact(input)).toBe(expected));

  test('redaction happens before truncation: a key across the cut leaks no part of itself', () => {
    const key = 'sk-crossing-the-cut-ABCDEFGH';
    const body = `${'x'.repeat(190)}${key}${'y'.repeat(50)}`;
    const s = redactAndTruncate(body, 200, [key]);
    expect(s).toBe(`${'x'.repeat(190)}***${'y'.repeat(7)}...`);
    expect(s).not.toContain('sk-cr');
  });
});

describe('secrets in openai errors', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const auth = String(req.headers.authorization ?? '');
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(`{"error": "${'p'.repeat(170)} bad key ${auth.replace('Bearer ', '')} end"}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('an echoed key straddling the 200-character cut is masked whole', async () => {
    process.env.MTEB_HOSTILE_KEY = 'sk-live-ZYXWVUTSRQPONM';
    const e = createOpenAIEmbedder(`openai:http://127.0.0.1:${port}#m?retries=0&api_key_env=MTEB_HOSTILE_KEY`);
    const err = await e.embed(['a'], { role: 'query' }).then(() => null, (x) => x);
    expect(err).toMatchObject({ code: 'E_NETWORK' });
    expect(err.message).toContain('bad key ***');
    for (let i = 0; i + 6 <= 'sk-live-ZYXWVUTSRQPONM'.length; i++) expect(err.message).not.toContain('sk-live-ZYXWVUTSRQPONM'.slice(i, i + 6));
  });

  test('a key in the URL query and user:password never appear in network errors', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = createOpenAIEmbedder(`openai:http://user:pa55word@127.0.0.1:${dead}/v1/embeddings?api_key=sk-query-999#m?retries=1`, { backoffBaseMs: 1 });
    const logs: string[] = [];
    const e2 = createOpenAIEmbedder(`openai:http://user:pa55word@127.0.0.1:${dead}/v1/embeddings?api_key=sk-query-999#m?retries=1`, { backoffBaseMs: 1, log: (m) => logs.push(m) });
    for (const x of [e, e2]) {
      const err = await x.embed(['a'], { role: 'query' }).then(() => null, (y) => y);
      expect(err).toMatchObject({ code: 'E_NETWORK' });
      expect(err.message).toContain(`http://***@127.0.0.1:${dead}/v1/embeddings?api_key=***`);
      expect(err.message).not.toMatch(/pa55word|sk-query-999/);
    }
    expect(logs.length).toBe(1);
    expect(logs[0]).not.toMatch(/pa55word|sk-query-999/);
  });

  test.each([
    ['invalid URL', 'openai:http://user:s3cr3tpw@[bad#m'],
    ['not http(s)', 'openai:ftp://user:s3cr3tpw@host/#m'],
    ['unknown option', 'openai:http://user:s3cr3tpw@127.0.0.1:9/#m?retriez=0'],
  ])('CLI: %s in a spec with user:password: exit 2, E_MODEL_SPEC, password not printed', async (_n, spec) => {
    const out = mkdtempSync(path.join(tmpdir(), 'hostile-secret-'));
    const r = await cli(['run', '-m', spec, '-t', path.join(REPO_ROOT, 'fixtures', 'tasks', 'DemoSTS', 'task.json'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[E_MODEL_SPEC\]/);
    expect(r.stderr).toContain('***@');
    expect(r.stderr).not.toContain('s3cr3tpw');
  });
});

describe('model spec options: unknown ones refused with the list, ?revision= in the cache key', () => {
  test.each([
    ['openai:http://127.0.0.1:9#m?retriez=0', /unknown option "retriez" .*known options: template, query_template, passage_template, dim, batch, tokens, concurrency, timeout_ms, retries, api_key_env, ext, encoding, revision/],
    ['openai:http://127.0.0.1:9#m?dim=3&dim=4', /option "dim" is given twice/],
    ['openai:http://127.0.0.1:9#m?encoding=hex', /option encoding=hex must be one of float, base64/],
    ['openai:http://127.0.0.1:9#m?ext=instruction,prompt', /"prompt" is not one of instruction, input_type/],
    ['nvembed:/nowhere?devise=cuda', /unknown option "devise" .*known options: device, max_length, dtype, attention/],
    ['nvembed:/nowhere?dtype=int8', /option dtype=int8 must be one of fp16, fp32/],
    ['hash:64?seed=1', /unknown option "seed" .*hash: takes no options/],
    ['random:64:7?x=1', /unknown option "x" .*random: takes no options/],
    ['random:64:7:9', /takes at most two numbers/],
    ['precomputed:/nowhere.jsonl?name=x', /unknown option "name" .*precomputed: takes no options/],
  ])('%s', async (spec, message) => {
    const err = await resolveEmbedder(spec).then(() => null, (e) => e);
    expect(err).toBeInstanceOf(MtebError);
    expect(err.code).toBe('E_MODEL_SPEC');
    expect(err.message).toMatch(message);
  });

  test('?revision= is the recorded revision and changes the fingerprint and the cache namespace', () => {
    const a = createOpenAIEmbedder('openai:http://127.0.0.1:9#org/m?dim=3');
    const b = createOpenAIEmbedder('openai:http://127.0.0.1:9#org/m?dim=3&revision=ckpt-2');
    expect(a.revision).toBe('no_revision_available');
    expect(b.revision).toBe('ckpt-2');
    expect(b.fingerprint).toBe('openai:org/m@ckpt-2');
    expect(namespaceKey(namespaceInfo(a, 'query', undefined))).not.toBe(namespaceKey(namespaceInfo(b, 'query', undefined)));
  });
});

describe('hostile names never write outside the output folder', () => {
  test.each([
    ['model name', ['..'], /model name "\.\." is a relative folder name/],
    ['revision', ['m', '..'], /revision "\.\." is a relative folder name/],
    ['revision with a separator', ['m', 'a/../../b'], /revision "a\/..\/..\/b" holds a path separator/],
    ['task', ['m', 'r', '../../evil'], /task "..\/..\/evil.json" holds a path separator/],
  ])('safeJoin via resultPath: %s', (_n, parts, message) => {
    const [model, revision = 'r', task = 'T'] = parts;
    expect(() => resultPath('/tmp/out', model, revision, task)).toThrow(message);
    expect(() => resultPath('/tmp/out', model, revision, task)).toThrow(MtebError);
  });

  test('safeJoin keeps ordinary names and org/model escaping', () => {
    expect(resultPath('/tmp/out', 'org/model v2', 'abc123', 'SciFact')).toBe('/tmp/out/org__model_v2/abc123/SciFact.json');
    expect(safeJoin('/tmp/out', '.shards', ['task', 'T'])).toBe('/tmp/out/.shards/T');
  });

  let server: Awaited<ReturnType<typeof startFakeEmbeddingServer>>;
  beforeAll(async () => {
    server = await startFakeEmbeddingServer((input) => ({ body: responseBody(goodData(input.length)) }));
  });
  afterAll(async () => server.close());

  const evilTask = (root: string) => {
    const d = path.join(root, 'evil-task');
    cpSync(path.join(REPO_ROOT, 'fixtures', 'tasks', 'DemoSTS'), d, { recursive: true });
    const spec = JSON.parse(readFileSync(path.join(d, 'task.json'), 'utf8'));
    writeFileSync(path.join(d, 'task.json'), JSON.stringify({ ...spec, name: '../../escaped' }));
    return path.join(d, 'task.json');
  };
  const sts = path.join(REPO_ROOT, 'fixtures', 'tasks', 'DemoSTS', 'task.json');
  test.each([
    ['model name from the spec: #..', (u: string) => ['-m', `openai:${u}#..`], 2, /error\[E_USAGE\] field "model name": model name "\.\."/],
    ['model name from the spec: #../..', (u: string) => ['-m', `openai:${u}#../..`], 0, null],
    ['revision from the spec: ?revision=..', (u: string) => ['-m', `openai:${u}#m?revision=..`], 2, /revision "\.\." is a relative folder name/],
    ['revision from the spec: ?revision=a/b', (u: string) => ['-m', `openai:${u}#m?revision=a/b`], 2, /revision "a\/b" holds a path separator/],
    ['--model-name ..', (u: string) => ['-m', `openai:${u}#m`, '--model-name', '..'], 2, /--model-name "\.\."/],
    ['--model-revision ../x', (u: string) => ['-m', `openai:${u}#m`, '--model-revision', '../x'], 2, /--model-revision/],
  ])('%s', async (_n, args, code, message) => {
    const parent = mkdtempSync(path.join(tmpdir(), 'hostile-paths-'));
    const out = path.join(parent, 'a', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(parent, 'sentinel.txt'), 'x');
    const before = snapshotTree(parent).filter((l) => !l.startsWith('a/out/'));
    const r = await cli(['run', ...args(server.url), '-t', sts, '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(code);
    if (message) expect(r.stderr).toMatch(message);
    expect(snapshotTree(parent).filter((l) => !l.startsWith('a/out/'))).toEqual(before);
  });

  test('a task named ../../escaped fails alone (exit 1), nothing written outside the output folder', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'hostile-task-'));
    const out = path.join(parent, 'a', 'out');
    mkdirSync(out, { recursive: true });
    const task = evilTask(parent);
    const before = snapshotTree(parent).filter((l) => !l.startsWith('a/out/'));
    const r = await cli(['run', '-m', `openai:${server.url}#m`, '-t', `${task},${sts}`, '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(3);
    expect(snapshotTree(parent).filter((l) => !l.startsWith('a/out/'))).toEqual(before);
  });
});

describe('every error line and the run summary are redacted', () => {
  test('formatError and the end-of-run table mask a URL password, a key parameter and a bearer token', () => {
    const msg = 'request to https://bob:hunter22@host:8000/v1/embeddings?api_key=sk-12345678 failed: Authorization: Bearer abcdefgh12345';
    const line = formatError(new MtebError('E_NETWORK', msg, { task: 'DemoSTS' }));
    expect(line).toBe('error[E_NETWORK] task DemoSTS: request to https://***@host:8000/v1/embeddings?api_key=*** failed: Authorization: Bearer ***');
    expect(formatError(new Error(msg))).not.toMatch(/hunter22|sk-12345678|abcdefgh12345/);
    const table = renderRunSummary({ model: 'https://u:pw123456@h', revision: 'r', outputDir: 'out', outcomes: [{ task: 'DemoSTS', status: 'failed', seconds: 1, error: line.replace(/\*\*\*/g, 'x') + ' ' + msg }] } as never);
    expect(table).not.toMatch(/hunter22|sk-12345678|abcdefgh12345|pw123456/);
    expect(table).toContain('FAILED');
  });
});
