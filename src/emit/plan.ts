import type { DclCommand, DclWord, PipeSegment } from "../dcl/index.js";
import type { BuildStep } from "../model/steps.js";

/** One DCL action of a planned step. The DCL and MMS emitters render the same actions. */
export type PlanAction = (
  | { kind: "command"; command: DclCommand }
  /** `IF condition THEN command`; the condition is DCL expression text built with `stringLiteral`. */
  | { kind: "if"; condition: string; command: DclCommand }
  | { kind: "create"; file: DclWord; data: string[] }
  | { kind: "pipe"; segments: PipeSegment[]; input?: DclWord; output?: DclWord; error?: DclWord }
) & {
  /** Procedure records of the action, kept from the planner's length check so they are rendered once. */
  records?: string[];
};

export type Disposition = "translated" | "commented" | "not-translated";

/** Kind of a build product, for MMS targets and logical names. */
export interface PlanProduct {
  kind: "object" | "library" | "executable" | "shareable";
  /** OpenVMS specification valid in the step's directory. */
  file: string;
  /** Same product as an absolute specification under the root logical, for MMS targets and logical names. */
  rooted: string;
  /** Inputs as absolute specifications under the root logical (sources, objects, libraries, options file). */
  dependencies: string[];
}

/**
 * The fields of a build step that the emitters show beside its translation. A plan that is kept whole, as
 * for a description file, can hold just these instead of the whole step.
 */
export type StepSummary = Pick<BuildStep, "kind" | "index" | "origin" | "command"> & {
  /**
   * Comment records of the step's shortened heading (`headingRecords`) joined by line feeds, when the parser
   * thread rendered them ahead. The procedure uses them for a step that is not left untranslated.
   */
  renderedHeading?: string;
};

/** The translation of one build step. */
export interface PlannedStep {
  step: StepSummary;
  disposition: Disposition;
  /** `SET DEFAULT` target for the step. */
  directory: string;
  /** Remarks shown as comments before the commands (ignored options, libraries needing attention). */
  notes: string[];
  actions: PlanAction[];
  /** Reason nothing is needed (commented) or the step could not be translated. */
  reason?: string;
  product?: PlanProduct;
  /** Id of the tool rule that decided an archive or shell step. */
  ruleId?: string;
  /** Rooted specifications of products of earlier steps that a step without a product of its own reads. */
  uses?: string[];
  /**
   * Rooted specification of the product of a later step whose rule this step's actions open, set on a
   * removal of that product (`cmake -E rm -f libx.a` before `ar qc libx.a`). Only plans kept whole set it.
   */
  actionOf?: string;
  /**
   * Directories under the root logical to create before the step, because the step works or writes there
   * and the log shows no command that made them (Ninja creates object directories silently).
   */
  createDirectories?: string[];
}

/** A file written beside the procedure: options files and `/FIRST_INCLUDE` headers. */
export interface GeneratedFile {
  /** File name without directory, lower case, as written on this machine. */
  name: string;
  content: string;
  kind: "options" | "header";
}

/** Counts of the closing summary and of `vmsport translate`'s report. */
export interface TranslateSummary {
  steps: number;
  translated: number;
  commented: number;
  notTranslated: number;
  /** Option words no rule matched. */
  unknownFlags: number;
  /** Option words a rule marks as having no OpenVMS equivalent. */
  untranslatableFlags: number;
  /** `-l` libraries with no rule and not built by the log. */
  unresolvedLibraries: number;
  /** -l libraries left out of links because a library rule marks them untranslatable. */
  droppedLibraries: number;
  /** Shareable images whose exports come from a version script, all as PROCEDURE. */
  untypedExports: number;
  /** Absolute paths outside the source root. */
  outsidePaths: string[];
  /**
   * Relative paths that climb above the source root from their step's directory (`../src/main.c` in the
   * directory the build started in). Their translation (`[-]` from `ROOT:[000000]`) cannot work.
   */
  pathsAboveRoot: string[];
  generatedFiles: number;
}

/** A translated build: every step in log order plus the files to write beside the procedure. */
export interface BuildPlan {
  steps: PlannedStep[];
  files: GeneratedFile[];
  summary: TranslateSummary;
  /** Shareable images built by the log, with their rooted specification, for run-time logical names. */
  shareables: { name: string; rooted: string }[];
  /** Symbols the procedure header defines and commands reference, with their values. */
  symbols: Record<string, string>;
  /** Logical name of the source root, without the colon. */
  rootLogical: string;
  /** Absolute Unix directory the root logical stands for, when the log names one. */
  sourceRoot: string | undefined;
  /** Foreign commands (PERL, BISON, …) the procedure calls; the porter defines them before running it. */
  foreignCommands: string[];
  /** Compiler options of the log that need nothing on OpenVMS (per the flag rules), in first-seen order. */
  ignoredOptions: string[];
}
