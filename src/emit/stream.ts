/**
 * Translation of a log whose steps arrive one at a time, rendered as they come so that no step has to be
 * kept. `StepTranslation` renders a procedure or a description file, and `SourceRootTracker` follows the
 * facts about the whole log that translation needs before its first step: the source root and the directory
 * the log started in. `StreamingTranslation` combines them for steps that a parser thread hands over in
 * batches.
 */
import path from "node:path/posix";
import type { BuildStep } from "../model/steps.js";
import { type DescriptionHeader, renderDescription } from "./description.js";
import type { TranslateOptions } from "./options.js";
import { commonRoot, StartDirectoryFinder } from "./paths.js";
import type { BuildPlan, GeneratedFile, PlannedStep } from "./plan.js";
import { ProcedureBody, type ProcedureHeader } from "./procedure.js";
import { Translator } from "./translate.js";
import type { OutputContent } from "./write.js";

/**
 * Receives the files a translator has generated so far and the number already handed over, and returns the
 * new number handed over.
 */
export type FileSink = (files: readonly GeneratedFile[], from: number) => number;

/** A finished translation: the plan and the procedure (as chunks to write in order) or description file. */
export interface Translation {
  plan: BuildPlan;
  content: OutputContent;
}

/** Output to render: a procedure, or a description file, with the header facts of each. */
export type TranslationFormat =
  | { format: "dcl"; header: ProcedureHeader }
  | { format: "mms"; header: DescriptionHeader };

/**
 * Translates steps in log order and renders them as they arrive. A procedure renders each step at once and
 * drops it. A description file needs every planned step before its rules can be written, so each planned
 * step keeps only the step fields that the description shows.
 */
export class StepTranslation {
  private readonly translator: Translator;
  private readonly body: ProcedureBody | undefined;
  private staged = 0;
  /**
   * Planned steps of a procedure not rendered yet: those from a CMake clean-target script on, until the
   * archive step that takes over its deletion has set the script's reason (`Translator.awaitsArchive`).
   */
  private readonly held: PlannedStep[] = [];

  /** Throws the `UserError` of `Translator` when the options cannot work (an unknown target, a tiny limit). */
  constructor(
    private readonly output: TranslationFormat,
    private readonly options: TranslateOptions,
    sourceRoot: string | undefined,
    private readonly stage: FileSink,
  ) {
    this.translator = new Translator(options, sourceRoot, output.format === "mms");
    if (output.format === "dcl")
      this.body = new ProcedureBody({ limits: options.limits, symbolValues: { ...this.translator.symbols } });
  }

  add(step: BuildStep): void {
    const planned = this.translator.add(step);
    const body = this.body;
    if (body === undefined)
      planned.step = { kind: step.kind, index: step.index, origin: step.origin, command: step.command };
    else if (this.held.length === 0 && !this.translator.awaitsArchive()) body.add(planned);
    else {
      this.held.push(planned);
      if (!this.translator.awaitsArchive()) this.release(body);
    }
    const files = this.translator.generatedFiles();
    if (files.length > this.staged) this.staged = this.stage(files, this.staged);
  }

  finish(): Translation {
    const plan = this.translator.finish();
    if (this.output.format === "dcl") {
      const body = this.body as ProcedureBody;
      this.release(body);
      return { plan, content: body.finishChunks(plan, this.output.header) };
    }
    const content = renderDescription(plan, this.output.header, {
      limits: this.options.limits,
      symbolValues: plan.symbols,
    });
    return { plan, content };
  }

  private release(body: ProcedureBody): void {
    for (const planned of this.held) body.add(planned);
    this.held.length = 0;
  }
}

/**
 * Follows, step by step, what `inferSourceRoot` and `placeStartDirectory` of the translate command compute
 * from the whole log: the deepest directory containing every absolute step directory, or every absolute
 * compile source when no step directory is absolute. Steps that arrive in log order give the same root as
 * `inferSourceRoot` on all of them.
 */
export class SourceRootTracker {
  private directoryRoot: string[] | undefined;
  private sourceRoot: string[] | undefined;
  private lastDirectory = "";
  private lastSourceDirectory = "";
  private absolute = 0;
  private recognised = false;
  /** `root()` as last returned, or undefined once a step may have changed it. */
  private rootText: string | undefined;

  add(step: BuildStep): void {
    const directory = step.directory.path;
    if (step.kind !== "unknown") this.recognised = true;
    // Most steps run in the directory of the step before, which then needs no normalising.
    if (directory !== this.lastDirectory) {
      this.lastDirectory = directory;
      if (path.isAbsolute(directory)) {
        this.directoryRoot = narrow(this.directoryRoot, directory);
        this.rootText = undefined;
      }
    }
    if (path.isAbsolute(directory) && this.absolute++ === 0) this.rootText = undefined;
    if (this.absolute === 0 && step.kind === "compile" && path.isAbsolute(step.source)) {
      const sourceDirectory = path.dirname(step.source);
      if (sourceDirectory !== this.lastSourceDirectory) {
        this.lastSourceDirectory = sourceDirectory;
        this.sourceRoot = narrow(this.sourceRoot, sourceDirectory);
        this.rootText = undefined;
      }
    }
  }

  /** The source root of the steps so far, as `inferSourceRoot` returns it. */
  root(): string | undefined {
    if (this.rootText !== undefined) return this.rootText;
    const parts = this.absolute > 0 ? this.directoryRoot : this.sourceRoot;
    if (parts === undefined) return undefined;
    this.rootText = `/${parts.join("/")}`;
    return this.rootText;
  }

  /** Steps so far whose directory is absolute. */
  absoluteSteps(): number {
    return this.absolute;
  }

  /** True once any step is more than an unrecognised line. */
  anyRecognised(): boolean {
    return this.recognised;
  }
}

/** Shorten `common` to the leading components it shares with the absolute `directory`. */
function narrow(common: string[] | undefined, directory: string): string[] {
  const parts = path
    .normalize(directory)
    .split("/")
    .filter((part) => part.length > 0);
  if (common === undefined) return parts;
  let length = 0;
  while (length < common.length && length < parts.length && common[length] === parts[length]) length++;
  return length === common.length ? common : common.slice(0, length);
}

/** Thrown by `StreamingTranslation` when its guess of the source root or start directory proved wrong. */
export class StreamingAbandoned extends Error {}

/** Settings of a `StreamingTranslation`. */
export interface StreamingSettings {
  /** The source root the user gave, which needs no guess and places no starting directory. */
  knownRoot: string | undefined;
  /**
   * Absolute directories that make or ninja entered, by their messages in the log (`enteredDirectories`).
   * Most steps run in one of them, so their deepest common directory is usually the source root.
   */
  enteredDirectories: readonly string[];
  /**
   * Steps held back, waiting to learn whether the log's starting directory must be placed, before the
   * translation starts anyway, or is abandoned when the steps so far mix relative and absolute directories.
   */
  maxHeldSteps: number;
  /** Creates the translation once the source root is chosen. */
  create: (sourceRoot: string | undefined) => StepTranslation;
  /**
   * Tells whether a step becomes no DCL command, so that it may stay in the unnamed directory the log started
   * in. It must agree with the translate command's test for its start-directory warning. Without it, every
   * step in a relative directory needs placing.
   */
  needsNoCommand?: (step: BuildStep) => boolean;
}

/** Outcome of a `StreamingTranslation` once the whole log has arrived. */
export type StreamingResult =
  | {
      kind: "translated";
      translation: Translation;
      /** The sub-make that showed the starting directory, when relative step directories were placed in it. */
      start: { directory: string; step: BuildStep } | undefined;
    }
  /** The whole log arrived before the translation could start; these are all its steps, unchanged. */
  | { kind: "held"; steps: BuildStep[] };

/**
 * Translates the steps of a log as they arrive, with the output that translating the whole parsed log gives.
 * Two facts of the whole log are needed first. The source root is guessed from the entered directories and
 * the steps so far, and each later step is checked against the guess. Relative step directories are placed
 * in the directory the log started in, once a sub-make has shown it, as the translate command does for a
 * whole log. A step that moves the root, or a relative directory before that sub-make, throws
 * `StreamingAbandoned`, and the caller translates the whole log again without streaming.
 */
export class StreamingTranslation {
  private held: BuildStep[] | undefined = [];
  private translation: StepTranslation | undefined;
  private guessedRoot: string | undefined;
  private readonly roots = new SourceRootTracker();
  private readonly start = new StartDirectoryFinder();
  private relativeSteps = 0;
  /** Steps so far in a relative directory that need a command, so their directory matters. */
  private relativeCommandSteps = 0;
  private absoluteSteps = 0;
  /** Steps that need no command, translated in a relative directory before any sub-make placed it. */
  private unplacedSteps = 0;
  /** The translation started with only relative step directories, and the source root of compiles. */
  private startedAllRelative = false;

  constructor(private readonly settings: StreamingSettings) {}

  add(steps: readonly BuildStep[]): void {
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index] as BuildStep;
      if (this.settings.knownRoot === undefined) {
        this.start.add(step);
        // The translate command places such steps once the whole log shows where it started.
        if (this.unplacedSteps > 0 && this.start.found !== undefined)
          throw new StreamingAbandoned("a sub-make placed the start directory after steps ran there");
        if (path.isAbsolute(step.directory.path)) this.absoluteSteps++;
        else {
          this.relativeSteps++;
          if (!this.needsNoCommand(step)) this.relativeCommandSteps++;
        }
      }
      if (this.held === undefined) this.translate(step);
      else this.held.push(step);
    }
    if (this.held !== undefined) this.startWhenDecided();
  }

  /**
   * Finish the translation once the whole log has arrived. Throws `StreamingAbandoned` when the source root
   * of the whole log differs from the guess.
   */
  finish(): StreamingResult {
    if (this.held !== undefined) return { kind: "held", steps: this.held };
    if (this.settings.knownRoot === undefined && this.roots.root() !== this.guessedRoot)
      throw new StreamingAbandoned("the source root of the whole log differs from its guess");
    const translation = (this.translation as StepTranslation).finish();
    const start = this.relativeSteps > 0 && this.absoluteSteps > 0 ? this.start.found : undefined;
    return { kind: "translated", translation, start };
  }

  /** Start translating the held steps when the source root and the start directory can be settled. */
  private startWhenDecided(): void {
    const held = this.held as BuildStep[];
    const known = this.settings.knownRoot;
    if (known === undefined) {
      const mixed = this.relativeSteps > 0 && this.absoluteSteps > 0;
      const placed = this.relativeSteps === 0 || this.start.found !== undefined;
      const waitedLongEnough = held.length >= this.settings.maxHeldSteps;
      if (this.absoluteSteps > 0 ? !placed && !waitedLongEnough : !waitedLongEnough) return;
      // Steps that need no command may stay where they are, as the translate command leaves them.
      if (mixed && !placed && this.relativeCommandSteps > 0)
        throw new StreamingAbandoned("relative and absolute step directories, and no sub-make places them");
    }
    this.held = undefined;
    this.startedAllRelative = known === undefined && this.absoluteSteps === 0;
    for (const step of held) {
      this.place(step);
      this.roots.add(step);
    }
    if (known !== undefined) this.guessedRoot = known;
    else if (this.roots.absoluteSteps() > 0)
      this.guessedRoot = commonRoot([this.roots.root() as string, ...this.settings.enteredDirectories]);
    else this.guessedRoot = this.roots.root();
    this.translation = this.settings.create(this.guessedRoot);
    for (const step of held) this.translation.add(step);
  }

  private translate(step: BuildStep): void {
    this.place(step);
    if (this.settings.knownRoot === undefined) {
      // Relative steps translated before it would have needed placing once the log mixes both kinds.
      if (this.startedAllRelative && path.isAbsolute(step.directory.path))
        throw new StreamingAbandoned("an absolute step directory followed relative ones");
      this.roots.add(step);
      if (this.roots.root() !== this.guessedRoot && !this.containedInGuess())
        throw new StreamingAbandoned("a step moved the source root above its guess");
    }
    (this.translation as StepTranslation).add(step);
  }

  /**
   * True while the root of the steps so far is the guess or lies below it, which the rest of the log can
   * still move up to the guess.
   */
  private containedInGuess(): boolean {
    const root = this.roots.root();
    const guess = this.guessedRoot;
    if (root === undefined || guess === undefined) return root === guess;
    return guess === "/" || root.startsWith(`${guess}/`);
  }

  private needsNoCommand(step: BuildStep): boolean {
    return this.settings.needsNoCommand?.(step) ?? false;
  }

  /**
   * Put a relative step directory into the directory the log started in, as the translate command does. A
   * step that needs no command stays where it is while no sub-make has shown that directory, as the
   * translate command leaves it when none does.
   */
  private place(step: BuildStep): void {
    if (this.settings.knownRoot !== undefined || path.isAbsolute(step.directory.path)) return;
    if (this.absoluteSteps === 0) return;
    const found = this.start.found;
    if (found === undefined && this.needsNoCommand(step)) {
      this.unplacedSteps++;
      return;
    }
    if (found === undefined)
      throw new StreamingAbandoned("a relative step directory arrived before a sub-make placed it");
    step.directory = { ...step.directory, path: path.join(found.directory, step.directory.path) };
  }
}
