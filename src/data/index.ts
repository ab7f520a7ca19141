/** Datasets on disk: finding a task's files (local folder, --data-dir, HF cache), reading them, loading splits. */
export { type DatasetSource, FolderSource, HfCacheSource } from './source.js';
export { resolveDatasetSource, hfHubCacheDir, defaultDataDir, DOWNLOAD_MARKER, type ResolveOptions } from './resolve.js';
export { layoutOf, sourceLayout, findSplit, hasConfig, type FoundSplit } from './layout.js';
export { readRows, column, dataExtension, DATA_EXTENSIONS, type Row, type LocatedRow } from './readers/rows.js';
export { readLines, readText } from './readers/lines.js';
export { readParquetRows } from './readers/parquet.js';
export { readTsvRows } from './readers/tsv.js';
export * from './loaders/index.js';
export { LIMIT_DISTRACTORS_PER_QUERY, type RetrievalLoadOptions } from './loaders/retrieval.js';
export { CorpusText, CORPUS_TEXT_IN_MEMORY_BYTES, corpusTextInMemoryBytes } from './corpus-text.js';
export { downloadDataset, type DownloadOptions, type DownloadResult } from './download.js';
export { selectTaskFiles } from './select-files.js';
