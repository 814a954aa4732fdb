/**
 * The output formats of `vmsport parse`, written one step at a time so that a log of any size streams
 * through.
 */
import type { BuildStep, LogDiagnostic, ParseSummary } from "../model/steps.js";
import { STEP_SCHEMA_VERSION } from "../model/steps.js";
import { compdbEntry, formatCompdbEntry } from "../report/compdb.js";
import { formatSummaryText } from "./summary.js";

export const PARSE_FORMATS = ["text", "json", "jsonl", "compdb"] as const;
export type ParseFormat = (typeof PARSE_FORMATS)[number];

export interface StepFormatter {
  /** Text before the first step. */
  start(): string;
  /** Text of one step, empty when the format has no entry for it. */
  step(step: BuildStep): string;
  /** Text after the last step. */
  end(summary: ParseSummary, diagnostics: LogDiagnostic[]): string;
  /** Counts entries that were formatted elsewhere, such as in worker threads, for the text of `end`. */
  addEntries(count: number): void;
}

/** Creates the formatter of one output format. */
export function createStepFormatter(format: ParseFormat, log: string, baseDirectory: string): StepFormatter {
  switch (format) {
    case "jsonl":
      return new JsonLinesFormatter();
    case "json":
      return new JsonFormatter(log);
    case "compdb":
      return new CompdbFormatter(baseDirectory);
    default:
      return new TextFormatter(log);
  }
}

class JsonLinesFormatter implements StepFormatter {
  start(): string {
    return "";
  }

  step(step: BuildStep): string {
    return `${JSON.stringify(step)}\n`;
  }

  end(): string {
    return "";
  }

  addEntries(): void {}
}

class JsonFormatter implements StepFormatter {
  private entries = 0;

  constructor(private readonly log: string) {}

  start(): string {
    return `{"schemaVersion":${STEP_SCHEMA_VERSION},"log":${JSON.stringify(this.log)},"steps":[`;
  }

  step(step: BuildStep): string {
    const separator = this.entries === 0 ? "\n" : ",\n";
    this.entries++;
    return `${separator}${JSON.stringify(step)}`;
  }

  end(summary: ParseSummary, diagnostics: LogDiagnostic[]): string {
    const closing = this.entries === 0 ? "" : "\n";
    return `${closing}],\n"summary":${JSON.stringify(summary)},\n"diagnostics":${JSON.stringify(diagnostics)}}\n`;
  }

  addEntries(count: number): void {
    this.entries += count;
  }
}

class CompdbFormatter implements StepFormatter {
  private entries = 0;

  constructor(private readonly baseDirectory: string) {}

  start(): string {
    return "[";
  }

  step(step: BuildStep): string {
    if (step.kind !== "compile") return "";
    const separator = this.entries === 0 ? "\n" : ",\n";
    this.entries++;
    return `${separator}${formatCompdbEntry(compdbEntry(step, this.baseDirectory))}`;
  }

  end(): string {
    return this.entries === 0 ? "]\n" : "\n]\n";
  }

  addEntries(count: number): void {
    this.entries += count;
  }
}

class TextFormatter implements StepFormatter {
  constructor(private readonly log: string) {}

  start(): string {
    return "";
  }

  step(): string {
    return "";
  }

  end(summary: ParseSummary, diagnostics: LogDiagnostic[]): string {
    return formatSummaryText(this.log, summary, diagnostics);
  }

  addEntries(): void {}
}
