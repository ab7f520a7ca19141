import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Repository root (src/registry/ is two levels down); tasks/ and fixtures/ are found relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TASKS_DIR = join(REPO_ROOT, 'tasks');
