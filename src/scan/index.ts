/**
 * The source scanner's public interface. `scanSource` and `scanSources` are pure (no file system);
 * `scanTree` selects files, reads them (in worker threads when there are many) and runs the tree-wide checks.
 */

export { type BaselineDocument, parseBaseline, serializeBaseline } from "./baseline.js";
export { type SourceInput, scanSource, scanSources } from "./scan-source.js";
export { scanTree } from "./tree.js";
export type {
  Baseline,
  FileScan,
  ScanNote,
  ScanResult,
  ScanSourceOptions,
  ScanSummary,
  ScanTargetOptions,
  ScanTreeOptions,
} from "./types.js";
