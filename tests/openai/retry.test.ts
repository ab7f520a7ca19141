/** The retry policy of the OpenAI-compatible client (src/embedders/openai/retry.ts), with no server. */
import { describe, expect, test } from '@jest/globals';
import { retryDelayMs, withRetries } from '../../src/embedders/openai/retry.js';

describe('openai retries', () => {
  test('backoff is full jitter under base * 2^n capped at the maximum; Retry-After wins, capped', () => {
    const policy = { backoffBaseMs: 100, backoffMaxMs: 1000, maxRetryAfterMs: 5000 };
    for (let i = 0; i < 50; i++) {
      expect(retryDelayMs(policy, 2, undefined)).toBeLessThan(400);
      expect(retryDelayMs(policy, 8, undefined)).toBeLessThan(1000);
      const d = retryDelayMs(policy, 0, 60_000);
      expect(d >= 5000 && d < 5100).toBe(true);
    }
  });

  test('retries a problem until a value comes; gives up after maxRetries with the last problem named', async () => {
    let tries = 0;
    let retried = 0;
    const v = await withRetries({ backoffBaseMs: 1 }, async (n) => (++tries, n < 2 ? { problem: `p${n}` } : { value: 'ok' }), () => retried++);
    expect([v, tries, retried]).toEqual(['ok', 3, 2]);
    await expect(withRetries({ maxRetries: 1, backoffBaseMs: 1 }, async (n) => ({ problem: `HTTP 503 (try ${n})` }))).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: 'embedding request failed after 2 tries; last: HTTP 503 (try 1)',
    });
  });

  test('an error thrown by a try is final', async () => {
    let tries = 0;
    await expect(withRetries({ backoffBaseMs: 1 }, async () => {
      tries++;
      throw new Error('HTTP 401');
    })).rejects.toThrow('HTTP 401');
    expect(tries).toBe(1);
  });
});
