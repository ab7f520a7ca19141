/**
 * Retries of one embeddings request: exponential backoff with full jitter, or the server's Retry-After (capped)
 * plus a little jitter when it gives one. Which outcomes are retryable is the caller's call (transient network
 * errors, 429/5xx, garbled bodies); anything thrown by an attempt is final.
 */
import { MtebError } from '../../core/errors.js';

export interface RetryPolicy {
  /** Retries after the first try (default 6). */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After honoured (default 120 s). */
  maxRetryAfterMs?: number;
  log?: (msg: string) => void;
}

/** What one try gave: a value, or a problem worth another try (with the server's requested wait, if any). */
export type Attempt<T> = { value: T } | { problem: string; waitMs?: number };

/** Runs `attempt` until it gives a value; after the last retry, E_NETWORK naming the last problem. */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<Attempt<T>>, onRetry: () => void = () => {}): Promise<T> {
  const maxRetries = policy.maxRetries ?? 6;
  for (let n = 0; ; n++) {
    const got = await attempt(n);
    if ('value' in got) return got.value;
    if (n >= maxRetries) {
      throw new MtebError('E_NETWORK', `embedding request failed after ${n + 1} tries; last: ${got.problem}`, { field: 'openai' });
    }
    const delay = retryDelayMs(policy, n, got.waitMs);
    onRetry();
    policy.log?.(`retrying in ${Math.round(delay)} ms (${got.problem})`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** The wait before retry `n` (0-based). */
export function retryDelayMs(policy: RetryPolicy, n: number, waitMs: number | undefined): number {
  const cap = Math.min(policy.backoffMaxMs ?? 30_000, (policy.backoffBaseMs ?? 500) * 2 ** n);
  if (waitMs !== undefined) return Math.min(waitMs, policy.maxRetryAfterMs ?? 120_000) + Math.random() * Math.min(cap, 250);
  return Math.random() * cap;
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unparsable. */
export function retryAfterMs(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
