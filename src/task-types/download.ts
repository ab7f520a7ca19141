import { downloadDataset, type DownloadOptions, type DownloadResult } from '../data/download.js';
import { selectFiles } from '../data/select-files.js';
import type { TaskSpec } from './spec.js';
import { taskType } from './index.js';

/** The files a task's evaluation reads out of a repo listing (its type's `dataFiles`), plus README.md. */
export function selectTaskFiles(spec: TaskSpec, files: string[], cardText?: string): string[] {
  return selectFiles(spec, files, cardText, (listing) => taskType(spec.type).dataFiles(spec as never, listing));
}

/** `mteb-ts download`: the pinned revision of a task's dataset, only the files its type's loader opens. */
export function downloadTaskDataset(spec: TaskSpec, opts: DownloadOptions = {}): Promise<DownloadResult> {
  return downloadDataset(spec, { ...opts, dataFiles: (listing) => taskType(spec.type).dataFiles(spec as never, listing) });
}
