import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A consumer project (package.json + package-lock.json) depending on the packed tarball, pinned to the versions
 * and integrities of this repository's lockfile minus its devDependencies: what `npm install <tgz>` would
 * resolve, but resolvable offline, because `npm ci` caches the tarballs by integrity and not the registry
 * documents a version-range resolution needs.
 */
export function writeConsumerLock(repo: string, app: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const spec = `file:${path.relative(app, tarball)}`;
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies: { [pkg.name]: spec } } };
  for (const [where, entry] of Object.entries<Record<string, unknown>>(lock.packages)) {
    if (where && !entry.dev && !entry.link) packages[where] = entry;
  }
  packages[`node_modules/${pkg.name}`] = {
    version: pkg.version,
    resolved: spec,
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    license: pkg.license,
    dependencies: pkg.dependencies,
    optionalDependencies: pkg.optionalDependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: { [pkg.name]: spec } };
  writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2) + '\n');
}
