/**
 * The import graph of the library's sources, read with the TypeScript compiler's own pre-processor
 * (`ts.preProcessFile`: static `import`/`export ... from`, `import type`, and `import()` calls), so a
 * re-export or a lazy import is an edge just like a plain import. A package is a node `pkg:<name>` (Node's own
 * `node:` modules are left out), so a rule can keep a package (yargs) out of a layer.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** file (repo-relative, forward slashes) -> the repo files (and `pkg:<name>` packages) it imports. */
export type ImportGraph = Map<string, string[]>;

function listTs(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listTs(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
}

/** `./x.js` -> `./x.ts` (NodeNext spelling), a folder -> its index.ts; undefined when no such source file. */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile());
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for Node built-ins. */
function packageName(spec: string): string | undefined {
  if (spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The graph of every .ts file under `roots` (folders relative to `repo`). */
export function buildImportGraph(repo: string, roots: readonly string[]): ImportGraph {
  const files: string[] = [];
  for (const r of roots) if (existsSync(path.join(repo, r))) listTs(path.join(repo, r), files);
  const rel = (f: string) => path.relative(repo, f).split(path.sep).join('/');
  const graph: ImportGraph = new Map();
  for (const f of files.sort()) {
    const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
    const deps = new Set<string>();
    for (const imp of info.importedFiles) {
      if (!imp.fileName.startsWith('.')) {
        const pkg = packageName(imp.fileName);
        if (pkg) deps.add(`pkg:${pkg}`);
        continue;
      }
      const target = resolveSpecifier(f, imp.fileName);
      if (target) deps.add(rel(target));
    }
    graph.set(rel(f), [...deps].sort());
  }
  return graph;
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each given as a closed path
 * `a -> b -> ... -> a` through that component, so a failure shows which edge to cut.
 */
export function findCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (comp.length > 1 || selfLoop) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  return components.map((comp) => cyclePath(graph, new Set(comp)));
}

/** A shortest closed path inside one component, starting at its first file in sort order (breadth-first). */
function cyclePath(graph: ImportGraph, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const p = [v];
        while (p[0] !== start) p.unshift(prev.get(p[0])!);
        return [...p, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** A layering rule: no file matching `from` may import a file matching `to`. */
export interface ForbiddenImport {
  from: RegExp;
  to: RegExp;
  why: string;
}

/** Every edge that breaks a rule, as `a -> b (why)`. */
export function forbiddenEdges(graph: ImportGraph, rules: readonly ForbiddenImport[]): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph) {
    for (const d of deps) for (const r of rules) if (r.from.test(file) && r.to.test(d)) out.push(`${file} -> ${d} (${r.why})`);
  }
  return out;
}

/** `src/<concern>/...` -> `src/<concern>`, `reports/...` -> `reports`; a file directly in src/ is its own node. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  // src/shard is a feature folder whose files sit at different layers (the task split and key hash under the run
  // loop and the task types, merge above the runner), so each of its files is its own node; file-level cycles
  // are still refused there as everywhere.
  if (parts[0] === 'src' && parts[1] === 'shard') return file;
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : file;
  return parts[0];
}

/** The graph between concern folders, with one file-level edge (`witness`) that makes each folder edge. */
export function folderGraph(files: ImportGraph): { graph: ImportGraph; witness: Map<string, string> } {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, string>();
  for (const [file, deps] of files) {
    const a = folderOf(file);
    if (!edges.has(a)) edges.set(a, new Set());
    for (const d of deps) {
      const b = folderOf(d);
      if (a === b) continue;
      edges.get(a)!.add(b);
      if (!witness.has(`${a} -> ${b}`)) witness.set(`${a} -> ${b}`, `${file} -> ${d}`);
    }
  }
  return { graph: new Map([...edges].map(([k, v]) => [k, [...v].sort()])), witness };
}
