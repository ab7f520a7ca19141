// Writes docs/cli.md from the CLI's option tables (src/cli/cli-doc.ts). Run: node bin/run-ts.js scripts/write-cli-doc.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../src/cli/commands/index.js';
import { renderCliDoc } from '../src/cli/cli-doc.js';
import { REPO_ROOT } from '../src/registry/paths.js';

writeFileSync(path.join(REPO_ROOT, 'docs', 'cli.md'), renderCliDoc(COMMANDS));
