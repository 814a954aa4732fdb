import type { DclLimits } from "../dcl/index.js";
import type { TargetName, TranslateRuleSet } from "../rules/translate/types.js";

/** Settings of one translation; `vmsport translate` fills them from the command line and configuration file. */
export interface TranslateOptions {
  rules: TranslateRuleSet;
  target: TargetName;
  pointerSize: 32 | 64;
  /** Logical name of the source root; `SRC$ROOT` when the user names none. */
  rootLogical?: string;
  /** Absolute Unix directory of the source root; default: the deepest directory holding every step. */
  sourceRoot?: string;
  /** Exported names for shareable images, from `--exports FILE`: name → PROCEDURE or DATA. */
  exports?: ExportList;
  /**
   * Reads a version script named by `-Wl,--version-script`, given its absolute path in the log and the source
   * root; undefined when it cannot be read.
   */
  readVersionScript?: (path: string, sourceRoot: string | undefined) => string | undefined;
  limits: DclLimits;
  /** Base name for generated headers, derived from the output file; default `build`. */
  fileStem?: string;
  /** The output is an MMS description file rather than a DCL procedure. */
  descriptionFile?: boolean;
}

/** One exported name of a shareable image. */
export interface ExportedSymbol {
  name: string;
  type: "PROCEDURE" | "DATA";
}

export interface ExportList {
  /** File the list came from, for comments. */
  source: string;
  symbols: ExportedSymbol[];
}

/** Logical name used for the source root when the user gives none. */
export const DEFAULT_ROOT_LOGICAL = "SRC$ROOT";
