/**
 * The optional native packages (onnxruntime-node, hnswlib-node, koffi) are loaded here and only here, when a
 * feature that needs one first runs: `report`, `gate`, the metrics and the baselines work without any of them
 * (package.json lists them as optionalDependencies). A missing or broken one becomes one typed error naming
 * the feature and the install command, instead of ERR_MODULE_NOT_FOUND from deep inside a run.
 */
import { createRequire } from 'node:module';
import { MtebError } from '../core/errors.js';

export type OptionalPackage = 'onnxruntime-node' | 'hnswlib-node' | 'koffi';

/** A feature needs an optional package that is not installed (or whose native binary does not load here). */
export class MissingDependencyError extends MtebError {
  readonly packageName: OptionalPackage;
  readonly feature: string;
  readonly installCommand: string;
  constructor(pkg: OptionalPackage, feature: string, cause: unknown) {
    const install = `npm install ${pkg}`;
    const why = notInstalled(cause, pkg) ? 'is not installed' : `did not load (${firstLine(cause)})`;
    super('E_DEPENDENCY_MISSING', `${feature} needs the optional package ${pkg}, which ${why}: run \`${install}\``, {}, { cause });
    this.name = 'MissingDependencyError';
    this.packageName = pkg;
    this.feature = feature;
    this.installCommand = install;
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Node's error for the package itself being absent (not a file inside it, e.g. an unbuilt native addon). */
function notInstalled(e: unknown, pkg: string): boolean {
  const code = (e as { code?: string })?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && firstLine(e).startsWith(`Cannot find ${code === 'MODULE_NOT_FOUND' ? 'module' : 'package'} '${pkg}'`);
}

/** Packages tests declare absent (simulateMissing): both loaders fail for them as Node does for a missing package. */
const simulatedMissing = new Set<OptionalPackage>();

/**
 * Tests: make `pkgs` look uninstalled to loadOptional/requireOptional (the error Node raises for a package that
 * is not in node_modules); returns a function that restores the previous state.
 */
export function simulateMissing(...pkgs: OptionalPackage[]): () => void {
  const added = pkgs.filter((p) => !simulatedMissing.has(p));
  for (const p of added) simulatedMissing.add(p);
  return () => {
    for (const p of added) simulatedMissing.delete(p);
  };
}

function checkSimulated(pkg: OptionalPackage): void {
  if (!simulatedMissing.has(pkg)) return;
  throw Object.assign(new Error(`Cannot find package '${pkg}' imported from ${import.meta.url} (simulated)`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/**
 * Loads `pkg` for `feature` (e.g. "NV-Embed (model spec nvembed:)"); MissingDependencyError when it cannot.
 * Dynamic import(), not require: under jest's vm realm onnxruntime must load inside the realm of the typed
 * arrays handed to it, which only import() through jest's module registry gives.
 */
export async function loadOptional<T = unknown>(pkg: OptionalPackage, feature: string): Promise<T> {
  let mod: any;
  try {
    checkSimulated(pkg);
    mod = await import(pkg);
  } catch (e) {
    throw new MissingDependencyError(pkg, feature, e);
  }
  // All three are CommonJS: the namespace's default is module.exports, which holds every export even where
  // Node's static analysis of the CJS file found no named ones.
  return (mod?.default ?? mod) as T;
}

/** The synchronous form (Node's require), for code that binds a package on a synchronous path (koffi). */
export function requireOptional<T = unknown>(pkg: OptionalPackage, feature: string): T {
  try {
    checkSimulated(pkg);
    return createRequire(import.meta.url)(pkg) as T;
  } catch (e) {
    throw new MissingDependencyError(pkg, feature, e);
  }
}

export type Ort = typeof import('onnxruntime-node');

/** onnxruntime-node, for NV-Embed and the onnx search engine. */
export function loadOnnxruntime(feature: string): Promise<Ort> {
  return loadOptional<Ort>('onnxruntime-node', feature);
}
