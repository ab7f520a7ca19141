/** Datasets on disk: finding a task's files (local folder, --data-dir, HF cache), reading them. Each task type's split loader lives with its type (src/task-types/<type>/load.ts). */
export { type DatasetSource, FolderSource, HfCacheSource } from './source.js';
export { resolveDatasetSource, hfHubCacheDir, defaultDataDir, DOWNLOAD_MARKER, type ResolveOptions } from './resolve.js';
export { layoutOf, sourceLayout, findSplit, hasConfig, type FoundSplit } from './layout.js';
export { readRows, column, dataExtension, DATA_EXTENSIONS, type Row, type LocatedRow } from './readers/rows.js';
export { readLines, readText } from './readers/lines.js';
export { readParquetRows } from './readers/parquet.js';
export { readTsvRows } from './readers/tsv.js';
export { type LoadOptions } from './split-rows.js';
export { CorpusText, CORPUS_TEXT_IN_MEMORY_BYTES, corpusTextInMemoryBytes } from './corpus-text.js';
export { downloadDataset, type DownloadOptions, type DownloadResult } from './download.js';
export { selectFiles, type FileGroup, type RepoListing } from './select-files.js';
