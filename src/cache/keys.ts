import { createHash } from 'node:crypto';
import type { Embedder, Role } from '../core/embedder.js';

/** Everything that changes a vector except the text: model identity, role and instruction. */
export interface NamespaceInfo {
  fingerprint: string;
  model: string;
  revision: string;
  role: Role;
  instruction: string | null;
}

export function embedderFingerprint(e: Embedder): string {
  return e.fingerprint ?? `${e.name}@${e.revision}`;
}

export function namespaceInfo(e: Embedder, role: Role, instruction: string | undefined): NamespaceInfo {
  return { fingerprint: embedderFingerprint(e), model: e.name, revision: e.revision, role, instruction: instruction ?? null };
}

/** Folder name of a namespace: sha256 of the JSON of its identity (instruction null ≠ ""). */
export function namespaceKey(info: NamespaceInfo): string {
  const ident = JSON.stringify([info.fingerprint, info.role, info.instruction]);
  return createHash('sha256').update(ident).digest('hex').slice(0, 32);
}

export function textDigest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
