import {
  type CheckOptions,
  type DclCommand,
  DEFAULT_LIMITS,
  type RenderOptions,
  raw,
  renderAssignment,
  renderCommand,
  renderComment,
  renderCreate,
  renderExit,
  renderIf,
  renderLabel,
  renderOn,
  stringLiteral,
  symbol,
} from "../dcl/index.js";
import { directoryFileOf } from "./directories.js";
import { headingText } from "./heading.js";
import type { BuildPlan, PlannedStep } from "./plan.js";
import { REPOSITORY_DIRECTORY, renderAction } from "./translate.js";

/** Facts the procedure header records about how it was made. */
/** Said after the source root when the log does not name the directory the build started in. */
export const GUESSED_ROOT =
  ", inferred from the steps whose directories the log names; the steps of the top make may belong elsewhere: check it, or translate again with --source-root";

export interface ProcedureHeader {
  /** File name of the procedure, for messages (`BUILD.COM`). */
  procedureName: string;
  log: string;
  /** ISO date and time, or omitted for reproducible output (golden tests). */
  generatedAt?: string;
  target: string;
  pointerSize: 32 | 64;
  version: string;
  /** The source root was inferred although the log does not name the directory the build started in. */
  rootGuessed?: boolean;
  /**
   * Create the options files and headers inside the procedure with CREATE and inline data. The CLI sets it
   * when the procedure goes to standard output, so that no file has to sit beside it.
   */
  embedFiles?: boolean;
}

/** Symbols the procedure sets and references on purpose, for the DCL checker. */
export const PROCEDURE_SYMBOLS = [
  "BUILD_STEP",
  "BUILD_ROOT",
  "BUILD_SAVED_DEFAULT",
  "BUILD_STATUS",
  "BUILD_HOME",
  "BUILD_PROCEDURE",
  "BUILD_SAVED_ROOT",
  "BUILD_SAVED_ROOT_CONCEALED",
];

const FAILURE_LABEL = "BUILD_FAILED";

function records(result: ReturnType<typeof renderCommand>): string[] {
  if ("error" in result)
    throw new Error(`internal error: generated DCL cannot be rendered: ${result.error.message}`);
  return result.lines;
}

/** Checker options matching the procedure: its own symbols with their values, and the limits used. */
export function procedureCheckOptions(plan: BuildPlan, limits: CheckOptions["limits"]): CheckOptions {
  const symbols: Record<string, string | undefined> = { ...plan.symbols };
  for (const name of PROCEDURE_SYMBOLS) symbols[name] = undefined;
  return { symbols, assumedSymbolLength: 64, ...(limits ? { limits } : {}) };
}

/**
 * Render the DCL command procedure for a plan. It starts with header comments, the root logical defined from
 * the procedure's own location, the error handler and the shared-qualifier symbols. Each step follows in log
 * order after its log line, and a closing part restores the caller's default directory.
 */
export function renderProcedure(plan: BuildPlan, header: ProcedureHeader, options: RenderOptions): string {
  const body = new ProcedureBody(options);
  for (const planned of plan.steps) body.add(planned);
  return body.finish(plan, header);
}

/**
 * The step records of a procedure, rendered as the steps arrive so a caller can translate a log without
 * keeping its steps. `finish` puts the header, which needs the counts of all steps, in front.
 */
export class ProcedureBody {
  /**
   * Finished chunks of step records as UTF-8, each record ending in a line feed. Records are encoded in
   * groups of about `TEXT_CHARACTERS`, so no large joined string is built, and the chunks lie outside the
   * JavaScript heap, where the garbage collector neither moves nor scans them.
   */
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  /** Records not yet encoded, each with its line feed. The encoder runs once per group, not per record. */
  private text = "";
  /** Records of the step being rendered. */
  private readonly pending: string[] = [];
  private current: string | undefined;
  private readonly cache = new StepRecordCache();

  constructor(private readonly options: RenderOptions) {}

  add(planned: PlannedStep): void {
    const pending = this.pending;
    pending.push("$!");
    this.current = renderStep(planned, this.current, pending, this.options, this.cache);
    let text = this.text;
    for (let index = 0; index < pending.length; index++) text += `${pending[index] as string}\n`;
    pending.length = 0;
    this.text = text;
    if (text.length >= TEXT_CHARACTERS) this.encode();
  }

  /** Return the whole procedure: the header, which needs the counts of all steps, then the steps and the end. */
  finish(plan: BuildPlan, header: ProcedureHeader): string {
    return Buffer.concat(this.finishChunks(plan, header)).toString("utf8");
  }

  /** Return the whole procedure as UTF-8 chunks to be written in order, without joining them. */
  finishChunks(plan: BuildPlan, header: ProcedureHeader): Buffer[] {
    const opening = procedureOpening(plan, header, this.options);
    const closing = procedureClosing(plan, header, this.options);
    this.encode();
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.used = 0;
    return [
      Buffer.from(`${opening.join("\n")}\n`, "utf8"),
      ...this.chunks,
      Buffer.from(`${closing.join("\n")}\n`, "utf8"),
    ];
  }

  /** Encode the records held in `text` into the current chunk, or a new one when they may not fit. */
  private encode(): void {
    const text = this.text;
    if (text.length === 0) return;
    this.text = "";
    // A UTF-16 code unit takes at most three bytes in UTF-8, which bounds the text's length.
    const bound = text.length * 3;
    if (this.used + bound > this.chunk.length) {
      if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bound));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used, "utf8");
  }
}

/** Bytes of each chunk of step records that `ProcedureBody` keeps. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Characters of records that `ProcedureBody` collects before encoding them. A chunk is cut when three bytes
 * per character might not fit, so this bounds the unused end of each chunk to under 5 %.
 */
const TEXT_CHARACTERS = 16 * 1024;

/** Records before the first step: header comments, root logical, error handler and shared symbols. */
function procedureOpening(plan: BuildPlan, header: ProcedureHeader, options: RenderOptions): string[] {
  const out: string[] = [];
  const comment = (text: string) => out.push(...renderComment(text, options));
  const push = (result: ReturnType<typeof renderCommand>) => out.push(...records(result));
  const summary = plan.summary;
  const root = plan.rootLogical;

  comment(`${header.procedureName} -- OpenVMS build procedure generated by vmsport ${header.version}`);
  comment(`from the build log ${header.log}${header.generatedAt ? ` on ${header.generatedAt}` : ""}`);
  comment(`target ${header.target}, pointer size ${header.pointerSize}, source root logical ${root}`);
  comment(
    `steps: ${summary.translated} translated, ${summary.commented} need no command, ${summary.notTranslated} not translated (search for NOT TRANSLATED)`,
  );
  out.push("$!");
  const companions = header.embedFiles ? "" : ", its options files (.OPT) and headers (.H)";
  comment(
    `Usage: put this procedure${companions} in the top directory of the source tree${
      plan.sourceRoot
        ? ` (${plan.sourceRoot} on the machine that ran the build${header.rootGuessed ? GUESSED_ROOT : ""})`
        : ""
    } and run @${header.procedureName} there; the procedure defines ${root} as a concealed rooted logical name for that directory.`,
  );
  if (plan.ignoredOptions.length > 0) {
    comment(
      `Compiler options of the log that need nothing on OpenVMS (see the flag rules): ${plan.ignoredOptions.join(" ")}`,
    );
  }
  if (plan.foreignCommands.length > 0) {
    comment(
      `Define these foreign commands first, for example PERL :== $dev:[dir]PERL.EXE: ${plan.foreignCommands.join(", ")}.`,
    );
  }
  out.push("$!");

  push(renderAssignment("BUILD_SAVED_DEFAULT", raw('F$ENVIRONMENT("DEFAULT")'), options));
  push(renderAssignment("BUILD_PROCEDURE", raw('F$ENVIRONMENT("PROCEDURE")'), options));
  push(
    renderAssignment(
      "BUILD_HOME",
      raw(
        'F$PARSE(BUILD_PROCEDURE,,,"DEVICE","NO_CONCEAL") + F$PARSE(BUILD_PROCEDURE,,,"DIRECTORY","NO_CONCEAL")',
      ),
      options,
    ),
  );
  // NO_CONCEAL makes F$PARSE translate concealed logical names down to the physical device (HP OpenVMS DCL
  // Dictionary, F$PARSE), so a procedure run from ROOT:[000000] never defines ROOT in terms of itself. A
  // concealed root then comes back as `[TOP.][SUB]` or `[TOP.][000000]`, which the two subtractions merge.
  push(renderAssignment("BUILD_HOME", raw('BUILD_HOME - "][" - ".000000"'), options));
  // NOTE: this assumes `[dir]` delimiters and a directory below the volume's MFD. A procedure placed in
  // DEV:[000000] or reached through `<dir>` syntax needs the root logical defined by hand.
  push(
    renderAssignment("BUILD_ROOT", raw('F$EXTRACT(0, F$LENGTH(BUILD_HOME) - 1, BUILD_HOME) + ".]"'), options),
  );
  // The caller (SETUP.COM, for one) may have defined the root logical already, so its process-table
  // definition is saved here and put back at the end.
  push(renderAssignment("BUILD_SAVED_ROOT", raw(`F$TRNLNM("${root}","LNM$PROCESS")`), options));
  push(
    renderAssignment(
      "BUILD_SAVED_ROOT_CONCEALED",
      raw(`F$TRNLNM("${root}","LNM$PROCESS",,,,"CONCEALED")`),
      options,
    ),
  );
  push(
    renderCommand(
      {
        verb: "DEFINE",
        qualifiers: [{ name: "NOLOG" }, { name: "TRANSLATION_ATTRIBUTES", value: raw("CONCEALED") }],
        parameters: [root, symbol("BUILD_ROOT")],
      },
      options,
    ),
  );
  push(renderAssignment("BUILD_STEP", raw("0"), options));
  push(renderOn("ERROR", { verb: "GOTO", parameters: [FAILURE_LABEL] }, options));
  push(renderOn("CONTROL_Y", { verb: "GOTO", parameters: [FAILURE_LABEL] }, options));
  comment("Qualifiers shared by every compile and link.");
  for (const [name, value] of Object.entries(plan.symbols)) push(renderAssignment(name, value, options));
  const repository = `${root}:[${REPOSITORY_DIRECTORY}]`;
  push(
    renderIf(
      `F$SEARCH("${root}:[000000]${REPOSITORY_DIRECTORY}.DIR") .EQS. ""`,
      { verb: "CREATE", qualifiers: [{ name: "DIRECTORY" }], parameters: [repository] },
      options,
    ),
  );
  if (header.embedFiles && plan.files.length > 0) {
    comment("Options files and headers that the commands below read.");
    for (const file of plan.files) {
      const data = file.content.replace(/\n$/, "").split("\n");
      push(renderCreate(`${root}:[000000]${file.name.toUpperCase()}`, data, options));
    }
  }

  return out;
}

/**
 * Put back the root logical the caller had, with its CONCEALED attribute, or deassign it when the procedure
 * defined it. Only the first equivalence name is restored, because F$TRNLNM returns one at a time.
 */
function restoreRoot(
  root: string,
  shareables: readonly string[],
  options: RenderOptions,
): ReturnType<typeof renderCommand>[] {
  const define = (concealed: boolean) =>
    renderIf(
      `BUILD_SAVED_ROOT .NES. "" .AND. ${concealed ? "" : ".NOT. "}BUILD_SAVED_ROOT_CONCEALED`,
      {
        verb: "DEFINE",
        qualifiers: [
          { name: "NOLOG" },
          ...(concealed ? [{ name: "TRANSLATION_ATTRIBUTES", value: raw("CONCEALED") }] : []),
        ],
        parameters: [root, symbol("BUILD_SAVED_ROOT")],
      },
      options,
    );
  // The logical names of the shareable images are defined under the root logical, so they leave with it
  // instead of pointing at a name that no longer exists.
  const images = shareables.map((name) =>
    renderIf(
      `BUILD_SAVED_ROOT .EQS. "" .AND. F$TRNLNM("${name}","LNM$PROCESS") .NES. ""`,
      { verb: "DEASSIGN", parameters: [name] },
      options,
    ),
  );
  return [
    ...images,
    renderIf('BUILD_SAVED_ROOT .EQS. ""', { verb: "DEASSIGN", parameters: [root] }, options),
    define(true),
    define(false),
  ];
}

/** Records after the last step: restoring the default directory, the exit and the failure handler. */
function procedureClosing(plan: BuildPlan, header: ProcedureHeader, options: RenderOptions): string[] {
  const out: string[] = [];
  const comment = (text: string) => out.push(...renderComment(text, options));
  const push = (result: ReturnType<typeof renderCommand>) => out.push(...records(result));
  const root = plan.rootLogical;
  const shareables = [...new Set(plan.shareables.map((shareable) => shareable.name))];
  out.push("$!");
  comment("Build finished: restore the default directory of the caller.");
  push(setDefault(symbol("BUILD_SAVED_DEFAULT"), options));
  for (const result of restoreRoot(root, shareables, options)) push(result);
  out.push(...renderExit(1));
  push(renderLabel(FAILURE_LABEL));
  push(renderAssignment("BUILD_STATUS", raw("$STATUS .OR. %X10000000"), options));
  push(renderCommand({ verb: "SET", parameters: ["NOON"] }, options));
  push(setDefault(symbol("BUILD_SAVED_DEFAULT"), options));
  // After a failure some images were never linked, so their names are tested before DEASSIGN.
  for (const result of restoreRoot(root, shareables, options)) push(result);
  push(
    renderCommand(
      {
        verb: "WRITE",
        parameters: ["SYS$OUTPUT", raw(`"${header.procedureName} failed in step ''BUILD_STEP'"`)],
      },
      options,
    ),
  );
  out.push(...renderExit("BUILD_STATUS"));
  return out;
}

/** `IF F$SEARCH("ROOT:[A]B.DIR") .EQS. "" THEN CREATE/DIRECTORY ROOT:[A.B]`, quiet when it exists. */
export function createIfMissing(directory: string, options: RenderOptions): ReturnType<typeof renderCommand> {
  const create: DclCommand = { verb: "CREATE", qualifiers: [{ name: "DIRECTORY" }], parameters: [directory] };
  const file = directoryFileOf(directory);
  const literal = file === undefined ? undefined : stringLiteral(file);
  // CREATE/DIRECTORY of an existing directory only prints an informational %CREATE-I-EXISTS, so the test
  // keeps the build's output quiet, and a name that cannot go into a DCL string goes without it.
  if (literal === undefined || "unsafe" in literal) return renderCommand(create, options);
  return renderIf(`F$SEARCH(${literal.text}) .EQS. ""`, create, options);
}

function setDefault(directory: string | ReturnType<typeof symbol>, options: RenderOptions) {
  return renderCommand({ verb: "SET", parameters: ["DEFAULT", directory] }, options);
}

/** Return the heading comment text of a step: its number, log line and command. */
export function stepHeading(planned: PlannedStep): string {
  return headingText(planned.step, planned.disposition !== "not-translated");
}

/** Records that recur from step to step, rendered once per procedure. */
class StepRecordCache {
  private readonly setDefaults = new Map<string, readonly string[]>();

  /** Records of `SET DEFAULT directory`. A build changes between a few directories many times. */
  setDefault(directory: string, options: RenderOptions): readonly string[] {
    let lines = this.setDefaults.get(directory);
    if (lines === undefined) {
      lines = records(setDefault(directory, options));
      this.setDefaults.set(directory, lines);
    }
    return lines;
  }

  /**
   * The record of `BUILD_STEP = number`, as `renderAssignment` lays it out. A single part never wraps, so the
   * record is the prefix and the number whenever it fits every limit. Otherwise `renderAssignment` reports the
   * limit it breaks.
   */
  stepNumber(number: number, options: RenderOptions): readonly string[] {
    const record = `${STEP_NUMBER_PREFIX}${number}`;
    const limits = options.limits ?? DEFAULT_LIMITS;
    if (record.length <= Math.min(limits.maxRecord, limits.maxCommand, limits.maxToken)) return [record];
    return records(renderAssignment("BUILD_STEP", raw(String(number)), options));
  }
}

/** Start of the record that sets `BUILD_STEP` (see `StepRecordCache.stepNumber`). */
const STEP_NUMBER_PREFIX = "$ BUILD_STEP = ";

function renderStep(
  planned: PlannedStep,
  current: string | undefined,
  out: string[],
  options: RenderOptions,
  cache: StepRecordCache,
): string | undefined {
  // One renderComment call per step: each line of the text still starts its own `$!` record.
  const comment = (lines: string[]) => {
    for (const record of renderComment(lines.join("\n"), options)) out.push(record);
  };
  if (planned.disposition === "not-translated") {
    comment([
      `NOT TRANSLATED ${stepHeading(planned)}`,
      `reason: ${planned.reason ?? "unknown"}`,
      ...planned.notes,
    ]);
    return current;
  }
  // Records rendered ahead equal those of the heading rendered with the lines after it (see headingRecords).
  // The records rendered ahead are one text joined by line feeds, which the procedure writes as they are.
  const heading = planned.step.renderedHeading;
  if (planned.disposition === "commented") {
    if (heading === undefined) comment([stepHeading(planned), `nothing to do: ${planned.reason ?? ""}`]);
    else {
      out.push(heading);
      comment([`nothing to do: ${planned.reason ?? ""}`]);
    }
    return current;
  }
  if (heading === undefined) comment([stepHeading(planned), ...planned.notes]);
  else {
    out.push(heading);
    if (planned.notes.length > 0) comment(planned.notes);
  }
  for (const record of cache.stepNumber(planned.step.index + 1, options)) out.push(record);
  for (const directory of planned.createDirectories ?? [])
    out.push(...records(createIfMissing(directory, options)));
  if (planned.directory !== current) {
    for (const record of cache.setDefault(planned.directory, options)) out.push(record);
  }
  for (const action of planned.actions) {
    if (action.records) {
      out.push(...action.records);
      continue;
    }
    const result = renderAction(action, options);
    if ("error" in result)
      throw new Error(`internal error: a checked command no longer renders: ${result.error}`);
    out.push(...result.lines);
  }
  return planned.directory;
}
