import { createHash } from 'node:crypto';

/** xoshiro128** seeded from a digest: fast, deterministic per text, independent of batch composition. */
export function rngFromKey(key: string): () => number {
  const d = createHash('sha256').update(key).digest();
  let a = d.readUInt32LE(0) | 0, b = d.readUInt32LE(4) | 0, c = d.readUInt32LE(8) | 0, e = d.readUInt32LE(12) | 0;
  if ((a | b | c | e) === 0) a = 1;
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a; e ^= b; b ^= c; a ^= e; c ^= t; e = rotl(e, 11);
    return (r >>> 0) / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a 32-bit: cheap feature hashing for the lexical baseline. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
