import path from "node:path/posix";
import {
  byteLength,
  type DclCommand,
  type DclValueElement,
  type RenderOptions,
  renderCommand,
  renderCreate,
  renderIf,
  renderMmsAction,
  renderPipe,
} from "../dcl/index.js";
import type { BuildStep, CompileStep } from "../model/steps.js";
import { FlagMatcher, formatRuleQualifier, parseRuleQualifier } from "../rules/translate/flags.js";
import type { RuleLanguage, TargetRule } from "../rules/translate/types.js";
import { UserError } from "../util/errors.js";
import { cleanTargetFolder, cmakeBookkeeping, cmakeFileCommandTool } from "./cmake.js";
import {
  type CompileContext,
  type CompilePlan,
  defineHeader,
  isPrecompiledHeader,
  translateCompile,
} from "./compile.js";
import { DirectoryCreation, directoryOf } from "./directories.js";
import {
  type BuiltLibrary,
  isLibtoolConvenienceLibrary,
  type LinkContext,
  libraryName,
  translateLink,
} from "./link.js";
import { MMS_CONTINUATION_INDENT, withMacros } from "./macros.js";
import { archiveToolRule, noCommandReason, unreadResponseFile } from "./no-command.js";
import { DEFAULT_ROOT_LOGICAL, type TranslateOptions } from "./options.js";
import { inferSourceRoot, PathContext, productPath } from "./paths.js";
import type { BuildPlan, GeneratedFile, PlanAction, PlannedStep, TranslateSummary } from "./plan.js";
import { programRedirections, type Redirections } from "./redirect.js";
import {
  findToolRule,
  foreignArguments,
  type ShellOutcome,
  translateArchive,
  translateShell,
} from "./shell.js";

export { isDependencyListing } from "./no-command.js";

/**
 * Steps after a CMake clean-target script within which its archive step must follow. The Makefile generator
 * runs the script and the link script as consecutive commands of one rule, so only the output of other jobs
 * of a parallel make comes between them.
 * NOTE: 256 is a generous guess, not a measured bound. A script whose archive comes later keeps the reason of
 * a script without one, and that archive replaces modules without deleting the library first.
 */
const CLEAN_TARGET_WINDOW = 256;

/** A CMake clean-target script that waits for its archive step (`Translator.cleanTargetOf`). */
interface PendingCleanTarget {
  /** Absolute Unix folder of the script, `…/CMakeFiles/NAME.dir`. */
  folder: string;
  planned: PlannedStep;
  /** Steps translated before the script, to expire it after `CLEAN_TARGET_WINDOW` more. */
  position: number;
}

/** Largest `--max-command`: the DCL command limit of OpenVMS 7.3-2 and later, in bytes after substitution. */
export const MAX_COMMAND_LIMIT = 4096;

/** Bytes kept free below the command limit so the MMS form of a command fits as well. */
const MACRO_MARGIN = 2;

/** Directory below the source root that contains the compilers' repository (CXX$DEMANGLER_DB and templates). */
export const REPOSITORY_DIRECTORY = "CXX_REPOSITORY";

/** Qualifier text for the shared-qualifier symbols of the procedure and macros of the description file. */
export interface SharedQualifiers {
  CC_QUALIFIERS: string;
  CXX_QUALIFIERS: string;
  LINK_QUALIFIERS: string;
}

export function sharedQualifiers(
  target: TargetRule,
  pointerSize: 32 | 64,
  rootLogical: string,
): SharedQualifiers {
  const pointer = pointerSize === 64 ? (target.pointerSize64 ?? []) : (target.pointerSize32 ?? []);
  const compile = [...target.compile, ...pointer].map((text) =>
    formatRuleQualifier(parseRuleQualifier(text)),
  );
  const repository = `/REPOSITORY=${rootLogical}:[${REPOSITORY_DIRECTORY}]`;
  const cxx = (target.cxx ?? []).map((text) => formatRuleQualifier(parseRuleQualifier(text)));
  return {
    CC_QUALIFIERS: [...compile, repository].join(""),
    CXX_QUALIFIERS: [...compile, ...cxx, repository].join(""),
    LINK_QUALIFIERS: target.link.map((text) => formatRuleQualifier(parseRuleQualifier(text))).join(""),
  };
}

/** Render one planned action as procedure records; a failure is returned as the render error's message. */
export function renderAction(
  action: PlanAction,
  options: RenderOptions,
): { lines: string[] } | { error: string } {
  let result: ReturnType<typeof renderCommand>;
  switch (action.kind) {
    case "command":
      result = renderCommand(action.command, options);
      break;
    case "if":
      result = renderIf(action.condition, action.command, options);
      break;
    case "create":
      result = renderCreate(action.file, action.data, options);
      break;
    case "pipe":
      result = renderPipe(
        action.segments,
        {
          ...(action.input === undefined ? {} : { input: action.input }),
          ...(action.output === undefined ? {} : { output: action.output }),
          ...(action.error === undefined ? {} : { error: action.error }),
        },
        options,
      );
      break;
  }
  return "error" in result ? { error: result.error.message } : result;
}

/** Text that only make or the shell could expand: `$(...)`, `${...}` or a backquote. */
const UNEXPANDED = /\$[({]|`/;

/**
 * Return the first word of a compile, link or archive that contains unexpanded make or shell text, or
 * undefined. Such a word reached the log before expansion (`-DV=$(shell echo 1)`, ``-DW=`date` ``), so
 * copying it into DCL would pass the text itself instead of its value.
 */
function unexpandedWord(step: BuildStep): string | undefined {
  // Most commands hold neither character, and a search for one is far cheaper than looking at every word.
  if (!step.command.includes("$") && !step.command.includes("`")) return undefined;
  let words: readonly string[];
  if (step.kind === "compile")
    words = [
      step.source,
      step.output,
      ...step.includes.map((include) => include.path),
      ...step.defines.map((define) => define.value ?? ""),
      ...step.forcedIncludes,
    ];
  else if (step.kind === "link") words = [step.output, ...step.inputs];
  else if (step.kind === "archive") words = [step.library, ...step.members];
  else return undefined;
  return words.find((word) => UNEXPANDED.test(word));
}

/** Unix path of the file that a compile, archive or link step writes. */
function builtFile(step: BuildStep): string | undefined {
  if (step.kind === "compile" || step.kind === "link") return step.output;
  if (step.kind === "archive") return step.library;
  return undefined;
}

/**
 * Translates build steps into a build plan. Steps are taken in log order, so a `-l` library is found only when
 * the log built it before the link that uses it, as make guarantees.
 */
export class Translator {
  private readonly flags: FlagMatcher;
  private readonly target: TargetRule;
  private readonly paths: PathContext;
  private readonly built = new Map<string, BuiltLibrary>();
  /** Libraries whose link was not translated, by name → its log line, to explain the links that use them. */
  private readonly untranslatedLibraries = new Map<string, number>();
  private readonly headers = new Map<string, string>();
  private readonly optionNames = new Set<string>();
  private readonly optionCounters = new Map<string, number>();
  private readonly files: GeneratedFile[] = [];
  private readonly planned: PlannedStep[] = [];
  private readonly shareables: { name: string; rooted: string }[] = [];
  private readonly foreignCommands = new Set<string>();
  private readonly ignoredOptions = new Set<string>();
  /** Programs linked so far: absolute Unix path of the output → rooted image specification. */
  private readonly programs = new Map<string, string>();
  /** Files built so far, by normalised absolute Unix path: how `productPath` renames them, and their rooted name. */
  private readonly products = new Map<string, { role: ProductRole; rooted: string }>();
  /**
   * Files that stand for another, by absolute Unix path: the objects libtool's echoes show a compile writing
   * besides its `.lo` (→ the `.lo`), and symbolic links to a shareable image (→ the image the link wrote).
   */
  private readonly fileAliases = new Map<string, string>();
  /** The same products by rooted OpenVMS name → the absolute Unix path they were made as, the first one kept. */
  private readonly productNames = new Map<string, string>();
  /**
   * Directories the log shows: those steps ran in, those `mkdir` or `install -d` created, and the folders of
   * files that shell steps named, so that `install prog bindir` copies into bindir when the log shows it.
   */
  private readonly knownDirectories = new Set<string>();
  /**
   * Translated removals of files that no earlier step built, by the absolute Unix path they remove, until a
   * later step builds that file; see `attachRemoval`.
   */
  private readonly pendingRemovals = new Map<string, PlannedStep>();
  /** CMake clean-target scripts that wait for their archive step, by the absolute folder of the script. */
  private readonly pendingCleanTargets = new Map<string, PendingCleanTarget>();
  /** Directory of the step added last, whose normal form is in `knownDirectories`. */
  private lastDirectory: string | undefined;
  private readonly directoryCreation: DirectoryCreation;
  private readonly summary: TranslateSummary = {
    steps: 0,
    translated: 0,
    commented: 0,
    notTranslated: 0,
    unknownFlags: 0,
    untranslatableFlags: 0,
    unresolvedLibraries: 0,
    droppedLibraries: 0,
    untypedExports: 0,
    outsidePaths: [],
    pathsAboveRoot: [],
    generatedFiles: 0,
  };
  readonly rootLogical: string;
  readonly symbols: SharedQualifiers;
  private readonly renderOptions: RenderOptions;
  private readonly compileContext: CompileContext;
  private readonly versionScripts: NonNullable<LinkContext["versionScripts"]> = new Map();
  /** Each shared-qualifier symbol as a procedure references it (`'CC_QUALIFIERS'`), with its value's bytes. */
  private readonly symbolReferences: { reference: string; bytes: number }[];

  constructor(
    private readonly options: TranslateOptions,
    sourceRoot: string | undefined,
    private readonly keepSteps = true,
  ) {
    const target = options.rules.targets.get(options.target);
    if (target === undefined) {
      throw new UserError(`no target preset "${options.target}" in the rule files`, {
        hint: "Use --target alpha, ia64 or x86_64, or add a translate-targets rule with that id.",
      });
    }
    this.target = target;
    this.flags = FlagMatcher.fromRuleSet(options.rules);
    this.rootLogical = (options.rootLogical ?? DEFAULT_ROOT_LOGICAL).replace(/:$/, "").toUpperCase();
    this.directoryCreation = new DirectoryCreation(this.rootLogical);
    this.paths = new PathContext({
      ...(sourceRoot === undefined ? {} : { sourceRoot }),
      rootLogical: this.rootLogical,
      absoluteViaLogical: options.rootLogical !== undefined,
    });
    this.symbols = sharedQualifiers(target, options.pointerSize, this.rootLogical);
    this.symbolReferences = Object.entries(this.symbols).map(([name, value]) => ({
      reference: `'${name}'`,
      bytes: byteLength(value),
    }));
    // Commands are checked with a small margin: in the description file `$(CC_QUALIFIERS)` is written where the
    // procedure has `'CC_QUALIFIERS'`, one byte longer, and both expand to the same qualifiers.
    const limits = { ...options.limits, maxCommand: options.limits.maxCommand - MACRO_MARGIN };
    this.renderOptions = { limits, symbolValues: { ...this.symbols } };
    this.checkLimitFitsSharedQualifiers();
    this.compileContext = {
      flags: this.flags,
      target: this.target,
      paths: this.paths,
      symbolFor: (language: RuleLanguage) => (language === "c++" ? "CXX_QUALIFIERS" : "CC_QUALIFIERS"),
      memo: new Map(),
      ...(options.descriptionFile ? { descriptionFile: true } : {}),
    };
  }

  /**
   * Reject a command limit that not even the smallest compile can meet, once, instead of failing every
   * compile. The smallest compile is `CC/OBJECT=A.OBJ 'CC_QUALIFIERS' A.C` (or CXX) with its symbol expanded.
   */
  private checkLimitFitsSharedQualifiers(): void {
    let needed = 0;
    for (const [verb, symbol] of [
      ["CC", "CC_QUALIFIERS"],
      ["CXX", "CXX_QUALIFIERS"],
    ] as const) {
      const records = [`$ ${verb}/OBJECT=A.OBJ '${symbol}' A.C`];
      needed = Math.max(needed, this.joinedLength(records) + MACRO_MARGIN);
    }
    const limit = this.options.limits.maxCommand;
    if (limit >= needed) return;
    throw new UserError(
      `--max-command ${limit} is too small: the shared compile qualifiers of target ${this.options.target} alone make a ${needed}-byte command`,
      {
        hint: `Give --max-command from ${needed} to ${MAX_COMMAND_LIMIT}; OpenVMS before 7.3-2 accepts up to 1024.`,
      },
    );
  }

  /** Translate every step and return the plan. */
  static translate(steps: readonly BuildStep[], options: TranslateOptions): BuildPlan {
    const root = options.sourceRoot ?? inferSourceRoot(steps);
    const translator = new Translator(options, root);
    for (const step of steps) translator.add(step);
    return translator.finish();
  }

  /**
   * Translate one step and return it. The plan keeps it too unless `keepSteps` was false, for callers that
   * render each step at once and let it go.
   */
  add(step: BuildStep): PlannedStep {
    if (this.pendingCleanTargets.size > 0) this.expireCleanTargets();
    // Most steps run in the directory of the step before, which is then known already.
    if (step.directory.path !== this.lastDirectory) {
      this.lastDirectory = step.directory.path;
      this.knownDirectories.add(path.normalize(step.directory.path));
    }
    const planned = this.plan(step);
    const product = planned.product;
    if (planned.disposition === "translated" && product !== undefined) {
      if (step.kind === "compile")
        for (const input of product.dependencies) this.directoryCreation.sourceFile(input);
      const created = this.directoryCreation.needed([planned.directory, directoryOf(product.rooted)]);
      if (created.length > 0) planned.createDirectories = created;
      this.attachRemoval(step, product.rooted);
    }
    // A file a shell step names lies in a directory, so `rm -f lib/libz.a` shows that lib is one.
    if (step.kind === "shell") {
      for (const operand of step.destination === undefined
        ? step.sources
        : [...step.sources, step.destination]) {
        if (!operand.includes("*") && !operand.includes("?"))
          this.knownDirectories.add(path.dirname(absoluteUnixPath(operand, step.directory.path)));
      }
    }
    this.summary.steps++;
    if (planned.disposition === "translated") this.summary.translated++;
    else if (planned.disposition === "commented") this.summary.commented++;
    else this.summary.notTranslated++;
    if (this.keepSteps) this.planned.push(planned);
    return planned;
  }

  /** Return the options files and headers generated so far, in order. The list only grows. */
  generatedFiles(): readonly GeneratedFile[] {
    return this.files;
  }

  finish(): BuildPlan {
    // A script whose archive the log does not show keeps the reason it was planned with.
    this.pendingCleanTargets.clear();
    this.summary.outsidePaths = [...this.paths.outside.keys()];
    this.summary.pathsAboveRoot = [...this.paths.aboveRoot];
    this.summary.generatedFiles = this.files.length;
    return {
      steps: this.planned,
      files: this.files,
      summary: this.summary,
      shareables: this.shareables,
      symbols: { ...this.symbols },
      rootLogical: this.rootLogical,
      sourceRoot: this.paths.sourceRoot,
      foreignCommands: [...this.foreignCommands],
      ignoredOptions: [...this.ignoredOptions],
    };
  }

  private plan(step: BuildStep): PlannedStep {
    const directory = this.paths.directorySpec(step.directory.path, step.index);
    const base: PlannedStep = { step, disposition: "translated", directory, notes: [], actions: [] };
    const unread = unreadResponseFile(step);
    if (unread !== undefined) {
      return {
        ...base,
        disposition: "not-translated",
        reason: `the ${step.kind === "archive" ? "members" : "inputs"} are in the response file ${unread.slice(1)}, which could not be read; keep it with ninja -d keeprsp and run vmsport where it can be found (see --directory)`,
      };
    }
    const unexpanded = unexpandedWord(step);
    if (unexpanded !== undefined) {
      return {
        ...base,
        disposition: "not-translated",
        reason: `the command holds ${unexpanded}, which make or the shell expanded when the build ran, so the log does not show its value; capture the log of a build that shows the values, or translate this step by hand`,
      };
    }
    const wildcard = step.kind === "link" ? step.inputs.find((input) => /[*?[]/.test(input)) : undefined;
    if (wildcard !== undefined) {
      return {
        ...base,
        disposition: "not-translated",
        reason: `the link names its inputs with the wildcard ${wildcard}, which the shell expanded when the build ran and an options file cannot hold; list the objects by hand`,
      };
    }
    const noCommand = noCommandReason(step, this.options.rules.tools);
    if (noCommand !== undefined) {
      const planned: PlannedStep = { ...base, disposition: "commented", ...noCommand };
      this.noteCleanTarget(step, planned);
      return planned;
    }
    switch (step.kind) {
      case "compile":
        return this.compile(step, base);
      case "link": {
        if (!isLibtoolConvenienceLibrary(step)) return this.link(step, base);
        const others = step.inputs.filter((input) => !/\.(lo|o)$/.test(input));
        if (others.length > 0) {
          return {
            ...base,
            disposition: "not-translated",
            reason: `this libtool convenience library takes in ${others.join(", ")} besides objects; build its object library from all their objects by hand`,
          };
        }
        return this.archive(libtoolConvenienceArchive(step), base);
      }
      case "archive":
        return this.archive(step, base);
      case "shell": {
        // A cmake_link_script whose commands the log does not show.
        const bookkeeping = cmakeBookkeeping(step);
        if (bookkeeping !== undefined) return { ...base, ...bookkeeping };
        // The log reader splits `./gen | sed … > out.h` into one step per command, and a step alone would
        // lose the data the other command sends through the pipe.
        // Only an unquoted `|` can make a pipeline, so a command without the character needs no parsing.
        const pipedWith = step.command.includes("|")
          ? programRedirections(step.command, step.argv[0] ?? "")?.pipedWith
          : undefined;
        if (pipedWith !== undefined) {
          return {
            ...base,
            disposition: "not-translated",
            reason: `the command is part of a shell pipeline with ${pipedWith}; write the PIPE by hand`,
          };
        }
        // `cmake -E rm -f libutil.a` in a Ninja link chain is translated by the rule of the Unix program.
        const tool = cmakeFileCommandTool(step) ?? step.tool;
        const rule = findToolRule(this.options.rules.tools, tool);
        if (rule === undefined) {
          return {
            ...base,
            disposition: "not-translated",
            reason: `no tool rule for ${path.basename(tool)}; translate this command by hand or add a tool rule`,
          };
        }
        if (rule.action === "symlink") {
          const image = this.linkedSharedImage(step);
          if (image !== undefined) {
            return {
              ...base,
              disposition: "commented",
              reason: `a program linked against ${step.destination} takes the shareable image ${image}, which records that name for the image activator, so no copy is made`,
            };
          }
        }
        if (rule.action === "delete") {
          const shadowed = this.shadowedProduct(step);
          if (shadowed !== undefined) {
            return {
              ...base,
              disposition: "commented",
              reason: `on OpenVMS ${shadowed.operand} is the file ${shadowed.rooted}, which the build made from ${shadowed.builtFrom}; deleting it would delete that product`,
            };
          }
        }
        const used = new Set<string>();
        const lookup = (unixPath: string, directory: string) => {
          const product = this.products.get(absoluteUnixPath(unixPath, directory));
          if (product === undefined) return undefined;
          used.add(product.rooted);
          return productPath(unixPath, product.role);
        };
        const isDirectory = (unixPath: string, directory: string) =>
          this.knownDirectories.has(absoluteUnixPath(unixPath, directory));
        const outcome = translateShell({ ...step, tool }, rule, this.paths, lookup, isDirectory);
        const planned = this.fromShell(outcome, base);
        if (
          outcome.kind === "actions" &&
          outcome.copiedFile !== undefined &&
          planned.disposition === "translated"
        )
          this.recordCopiedProduct(outcome.copiedFile, step, planned);
        if (rule.action === "create-directory" || (rule.action === "copy" && step.options.includes("-d"))) {
          for (const operand of [
            ...step.sources,
            ...(step.destination === undefined ? [] : [step.destination]),
          ]) {
            const directory = absoluteUnixPath(operand, step.directory.path);
            this.knownDirectories.add(directory);
            const rooted = this.paths.rootedDirectory(directory);
            if (rooted !== undefined && planned.disposition === "translated")
              this.directoryCreation.made(rooted);
          }
        }
        for (const rooted of this.productsMatching(step)) used.add(rooted);
        if (used.size > 0 && planned.disposition === "translated") planned.uses = [...used];
        if (rule.action === "delete" && used.size === 0) this.notePendingRemoval(step, planned);
        return planned;
      }
      case "unknown": {
        const program = this.builtProgram(step);
        if (program !== undefined) return this.runProgram(step, program, base);
        const reason = step.silentRule
          ? `the log shows only "${step.silentRule.tag} ${step.silentRule.target}"; rebuild with V=1, VERBOSE=1 or ninja -v (or capture make -n) to log the command`
          : `the command was not recognised (${step.reason})`;
        return { ...base, disposition: "not-translated", reason };
      }
    }
  }

  private archive(original: Extract<BuildStep, { kind: "archive" }>, base: PlannedStep): PlannedStep {
    const step = this.withAliasedMembers(original);
    const rule = archiveToolRule(this.options.rules.tools, step);
    if (rule === undefined)
      return { ...base, disposition: "not-translated", reason: `no tool rule for ${step.tool}` };
    const writes = step.operation === "replace" || step.operation === "append";
    const cleanTarget = writes ? this.cleanTargetOf(step) : undefined;
    const outcome = translateArchive(step, rule, this.paths, cleanTarget !== undefined);
    const planned = this.fromShell(outcome, base);
    if (planned.disposition !== "translated" || !writes) return planned;

    const name = libraryName(step.library);
    const rooted = this.paths.rooted(libraryFilePath(step.library), step.directory.path, step.index);
    if (name !== undefined) this.built.set(name, { kind: "library", rooted });
    this.setProduct(absoluteUnixPath(step.library, step.directory.path), { role: "library", rooted });
    planned.product = {
      kind: "library",
      file: this.paths.file(libraryFilePath(step.library), step.directory.path, step.index),
      rooted,
      dependencies: step.members.map((member) =>
        this.paths.rooted(objectFilePath(member), step.directory.path, step.index),
      ),
    };
    if (cleanTarget !== undefined) {
      this.pendingCleanTargets.delete(cleanTarget.folder);
      const script = cleanTarget.planned;
      script.reason = `step [${step.index + 1}] deletes the old object library ${rooted} before it builds the library again, as this script deletes the old archive`;
      planned.notes.push(
        `the old library is deleted first, as the CMake clean-target script of step [${script.step.index + 1}] deletes the archive, so that no module of an object that left the build stays in it`,
      );
    }
    return planned;
  }

  /**
   * Keeps a CMake clean-target script that the next archive of its folder's objects takes over
   * (`cleanTargetOf`). A script still waiting from before gives way to the new one and keeps its reason.
   */
  private noteCleanTarget(step: BuildStep, planned: PlannedStep): void {
    const folder = cleanTargetFolder(step);
    if (folder === undefined) return;
    const key = absoluteUnixPath(folder, step.directory.path);
    this.pendingCleanTargets.delete(key);
    this.pendingCleanTargets.set(key, { folder: key, planned, position: this.summary.steps });
  }

  /**
   * Return the waiting clean-target script whose folder contains a member of the archive, resolved against
   * the archive's directory. CMake names a static library's objects after the sources inside
   * `CMakeFiles/NAME.dir`, the folder of the library's clean-target script.
   */
  private cleanTargetOf(step: Extract<BuildStep, { kind: "archive" }>): PendingCleanTarget | undefined {
    if (this.pendingCleanTargets.size === 0) return undefined;
    for (const pending of this.pendingCleanTargets.values()) {
      const prefix = `${pending.folder}/`;
      if (step.members.some((member) => absoluteUnixPath(member, step.directory.path).startsWith(prefix)))
        return pending;
    }
    return undefined;
  }

  /** Drop the clean-target scripts that waited more than `CLEAN_TARGET_WINDOW` steps for their archive. */
  private expireCleanTargets(): void {
    for (const [folder, pending] of this.pendingCleanTargets) {
      if (this.summary.steps - pending.position > CLEAN_TARGET_WINDOW)
        this.pendingCleanTargets.delete(folder);
    }
  }

  /**
   * True while a clean-target script waits for its archive step, whose translation may still change the
   * script's reason. A caller that renders each step at once defers rendering until this is false.
   */
  awaitsArchive(): boolean {
    return this.pendingCleanTargets.size > 0;
  }

  /**
   * Keeps a translated removal of one file that no earlier step built, so that a later step that builds the
   * file can take it over. Only a plan kept whole, as for a description file, needs this.
   */
  private notePendingRemoval(step: Extract<BuildStep, { kind: "shell" }>, planned: PlannedStep): void {
    if (!this.keepSteps || planned.disposition !== "translated" || step.sources.length !== 1) return;
    const file = step.sources[0] as string;
    if (/[*?]/.test(file)) return;
    this.pendingRemovals.set(absoluteUnixPath(file, step.directory.path), planned);
  }

  /**
   * Moves a pending removal of the file that `step` builds into that product's rule, as its first action. CMake
   * removes a static library before `ar qc` rebuilds it from all its members. In `prepare`, which MMS runs
   * on every build, the removal would delete the object library even when nothing needs rebuilding. Dropping
   * it is no better: the archive's translation creates the library only when it is missing and then
   * replaces modules, so a module whose object left the build would stay. Inside the rule the library is
   * built anew from its listed members whenever it is out of date, as the procedure does on every run.
   */
  private attachRemoval(step: BuildStep, rooted: string): void {
    if (this.pendingRemovals.size === 0) return;
    const built = builtFile(step);
    if (built === undefined) return;
    const key = absoluteUnixPath(built, step.directory.path);
    const removal = this.pendingRemovals.get(key);
    if (removal === undefined) return;
    this.pendingRemovals.delete(key);
    // NOTE: the removal was translated before the product was known, so `rm -f prog` before a link deletes
    // `PROG.;*`, not the image `PROG.EXE;*`. LINK writes a new version either way.
    removal.actionOf = rooted;
  }

  private setProduct(unixPath: string, product: { role: ProductRole; rooted: string }): void {
    this.products.set(unixPath, product);
    if (!this.productNames.has(product.rooted)) this.productNames.set(product.rooted, unixPath);
  }

  /**
   * For `ln -s libx-1.so.2.0.0 libx.so`, a symbolic link to a shareable image the build linked, make later
   * links that name the link take the image itself, and return the image's rooted name. A Unix program
   * linked with `libx.so` loads the soname at run time. An OpenVMS program records the name of the image it
   * was linked against, so linking against a copy would make it load the copy.
   */
  private linkedSharedImage(step: Extract<BuildStep, { kind: "shell" }>): string | undefined {
    const target = step.sources.length === 1 ? step.sources[0] : undefined;
    if (target === undefined || step.destination === undefined) return undefined;
    const linkPath = absoluteUnixPath(step.destination, step.directory.path);
    const targetPath = absoluteUnixPath(target, path.dirname(linkPath));
    const product = this.products.get(targetPath);
    if (product === undefined || product.role !== "shared") return undefined;
    this.fileAliases.set(linkPath, this.sharedImageOrigin(targetPath));
    this.products.set(linkPath, product);
    // -lx finds libx.so before libx.a, as the Unix linker does.
    const name = libraryName(step.destination);
    if (name !== undefined) this.built.set(name, { kind: "shareable", rooted: product.rooted });
    return product.rooted;
  }

  /** Follow aliases back to the file the link step wrote, so that an alias of an alias names it too. */
  private sharedImageOrigin(unixPath: string): string {
    return this.fileAliases.get(unixPath) ?? unixPath;
  }

  /**
   * Finds a removal whose every operand names, on OpenVMS, a product that the build made from another Unix
   * file. libtool refreshes its symbolic links with `rm -f libx.so.1 && ln -s libx.so.1.0.0 libx.so.1`, and
   * on OpenVMS both names are `LIBX.EXE`, the image the link step before has just written.
   */
  private shadowedProduct(
    step: Extract<BuildStep, { kind: "shell" }>,
  ): { operand: string; rooted: string; builtFrom: string } | undefined {
    if (step.sources.length === 0) return undefined;
    let first: { operand: string; rooted: string; builtFrom: string } | undefined;
    for (const operand of step.sources) {
      if (/[*?[]/.test(operand)) return undefined;
      const absolute = absoluteUnixPath(operand, step.directory.path);
      if (this.products.has(absolute)) return undefined;
      const rooted = this.paths.rooted(productPath(operand, "input"), step.directory.path, step.index);
      const builtFrom = this.productNames.get(rooted);
      if (builtFrom === undefined) return undefined;
      first ??= { operand, rooted, builtFrom: path.relative(step.directory.path, builtFrom) || builtFrom };
    }
    return first;
  }

  /**
   * Record the file that a `cp` or `mv` of a product makes as a product of the same kind, so that a later
   * `mv prog3 prog4` renames the `PROG3.EXE` that `cp prog prog3` created.
   */
  private recordCopiedProduct(
    copied: { source: string; destination: string },
    step: Extract<BuildStep, { kind: "shell" }>,
    planned: PlannedStep,
  ): void {
    const product = this.products.get(absoluteUnixPath(copied.source, step.directory.path));
    if (product === undefined) return;
    const rooted = this.paths.rooted(
      productPath(copied.destination, product.role),
      step.directory.path,
      step.index,
    );
    this.setProduct(absoluteUnixPath(copied.destination, step.directory.path), {
      role: product.role,
      rooted,
    });
    // A program linked against the copy (libtool links against `libx.so`, a link to `libx.so.1.2.3`) records
    // the copy's name, so the image activator looks for a logical name of that name too.
    if (product.role === "shared" && rooted !== product.rooted) this.defineShareable(rooted, planned);
  }

  /** Define the logical name through which the image activator finds a shareable image, after its step. */
  private defineShareable(rooted: string, planned: PlannedStep): void {
    const name = path
      .basename(rooted)
      .replace(/\.EXE$/, "")
      .replace(/^.*[:\]]/, "");
    this.shareables.push({ name, rooted });
    planned.actions.push({
      kind: "command",
      command: { verb: "DEFINE", qualifiers: [{ name: "NOLOG" }], parameters: [name, rooted] },
    });
  }

  /**
   * Rooted names of the products built so far that a wildcard operand of the step can match. Such a step
   * (`rm -f *.o` after a link) counts as using them, so the description file orders it after them, as the log
   * did, instead of running it in `prepare` before every build.
   */
  private productsMatching(step: Extract<BuildStep, { kind: "shell" }>): string[] {
    const operands = [...step.sources, ...(step.destination === undefined ? [] : [step.destination])];
    const patterns = operands
      .filter((operand) => /[*?]/.test(operand))
      .map((operand) => globPattern(absoluteUnixPath(operand, step.directory.path)));
    if (patterns.length === 0) return [];
    const matched: string[] = [];
    for (const [unixPath, product] of this.products) {
      if (patterns.some((pattern) => pattern.test(unixPath))) matched.push(product.rooted);
    }
    return matched;
  }

  private fromShell(outcome: ShellOutcome, stepBase: PlannedStep): PlannedStep {
    const base = outcome.rule ? { ...stepBase, ruleId: outcome.rule.id } : stepBase;
    if (outcome.kind === "commented") return { ...base, disposition: "commented", reason: outcome.reason };
    if (outcome.kind === "not-translated")
      return { ...base, disposition: "not-translated", reason: outcome.reason };
    const planned = this.checked({ ...base, notes: outcome.notes, actions: outcome.actions });
    if (planned.disposition === "translated" && outcome.rule.action === "foreign" && outcome.rule.command) {
      this.foreignCommands.add(outcome.rule.command);
    }
    return planned;
  }

  /** Render every action once so a command DCL cannot hold becomes a not-translated step, never bad output. */
  private checked(planned: PlannedStep): PlannedStep {
    const expanded: PlanAction[] = [];
    for (const action of planned.actions) {
      const result = renderAction(action, this.renderOptions);
      if (
        !("error" in result) &&
        (action.kind !== "command" || this.fitsDescriptionQuickly(result.lines, action.command))
      ) {
        expanded.push({ ...action, records: result.lines });
        continue;
      }
      const split = action.kind === "command" ? this.splitLongList(action.command) : undefined;
      if (split === undefined) {
        let problem = `the command is too long for the --max-command ${this.options.limits.maxCommand} limit as a description-file action`;
        if ("error" in result) problem = this.withUserLimit(result.error);
        return {
          ...planned,
          actions: [],
          disposition: "not-translated",
          reason: `the DCL command cannot be written: ${problem}`,
        };
      }
      expanded.push(...split);
    }
    return { ...planned, actions: expanded };
  }

  /**
   * Rewrite the renderer's "over the limit of N bytes", which counts the reduced limit, so that the message
   * names the `--max-command` value the user gave and the bytes kept back from it.
   */
  private withUserLimit(message: string): string {
    const limit = this.options.limits.maxCommand;
    return message.replace(
      `over the limit of ${limit - MACRO_MARGIN} bytes`,
      `over the ${limit - MACRO_MARGIN} bytes usable under --max-command ${limit} (${MACRO_MARGIN} bytes are kept free for the description file, whose $(NAME) macros are longer than the procedure's 'NAME' symbols)`,
    );
  }

  /**
   * Return the procedure records of a command that fits the limits both in the procedure and as an action
   * line of the description file, or undefined when it does not fit.
   */
  private fittingRecords(command: DclCommand): string[] | undefined {
    const rendered = renderCommand(command, this.renderOptions);
    if ("error" in rendered || !this.fitsDescriptionQuickly(rendered.lines, command)) return undefined;
    return rendered.lines;
  }

  /** Length of a command's procedure form after joining records and substituting symbols; undefined if it fails. */
  private measure(command: DclCommand): number | undefined {
    const rendered = renderCommand(command, this.renderOptions);
    return "error" in rendered ? undefined : this.joinedLength(rendered.lines);
  }

  private joinedLength(records: readonly string[]): number {
    let length = 0;
    for (const record of records) length += byteLength(record);
    for (const { reference, bytes } of this.symbolReferences) {
      if (records.some((record) => record.includes(reference))) length += bytes;
    }
    return length;
  }

  /**
   * Check the description-file form only when the procedure form comes near the limit: the two differ by at
   * most a byte per record (other wrapping places) and a byte per macro.
   */
  private fitsDescriptionQuickly(records: readonly string[], command: DclCommand): boolean {
    if (this.joinedLength(records) + 2 * records.length + MACRO_MARGIN < this.options.limits.maxCommand)
      return true;
    return this.fitsDescription(command);
  }

  /**
   * Measure the description-file form of a command the way MMS hands it to DCL: continuation records joined
   * and `$(NAME)` macros replaced by the qualifiers they stand for. Its records wrap at other places than the
   * procedure's, so its length differs by a few bytes.
   */
  private fitsDescription(command: DclCommand): boolean {
    const result = renderMmsAction(withMacros(command), {
      limits: { ...this.options.limits, maxCommand: Number.MAX_SAFE_INTEGER },
      continuationIndent: MMS_CONTINUATION_INDENT,
    });
    if ("error" in result) return false;
    let joined = "";
    result.lines.forEach((line, index) => {
      const trimmed = line.trimEnd();
      joined += index < result.lines.length - 1 && trimmed.endsWith("-") ? `${trimmed.slice(0, -1)} ` : line;
    });
    const expanded = joined.replace(
      /\$\(([A-Z_$][A-Z0-9_$]*)\)/g,
      (text, name: string) => (this.symbols as unknown as Record<string, string>)[name] ?? text,
    );
    return byteLength(expanded) <= this.options.limits.maxCommand;
  }

  /**
   * Split a command whose last parameter is a long list (LIBRARY/REPLACE members, COPY sources) into several
   * commands that each fit the command limit. Returns undefined when the command has no such list or a single
   * element still does not fit.
   */
  private splitLongList(command: DclCommand): PlanAction[] | undefined {
    const parameters = command.parameters ?? [];
    const listIndex = command.verb === "LIBRARY" ? 1 : -1;
    const list = parameters[listIndex];
    if (list === undefined || typeof list === "string" || !("elements" in list)) return undefined;

    const commands: PlanAction[] = [];
    const build = (elements: typeof list.elements): DclCommand => ({
      ...command,
      parameters: parameters.map((parameter, index) =>
        index === listIndex ? { ...list, elements } : parameter,
      ),
    });
    // Each chunk grows by the written length of its elements, so it is rendered about once.
    // A chunk that still does not fit gives back elements one at a time.
    const budget = this.options.limits.maxCommand - MACRO_MARGIN;
    const withoutList = { ...command, parameters: parameters.filter((_, index) => index !== listIndex) };
    const base = this.measure(withoutList) ?? budget;
    let index = 0;
    while (index < list.elements.length) {
      let length = base;
      let end = index;
      while (end < list.elements.length) {
        const element = list.elements[end];
        const text = typeof element === "string" ? element : "";
        // Each element costs its text and a comma, plus about a tenth for continuation records.
        const cost = Math.ceil((text.length + 1) * 1.1);
        if (end > index && length + cost > budget) break;
        length += cost;
        end++;
      }
      let chunk = build(list.elements.slice(index, end));
      let records = this.fittingRecords(chunk);
      while (records === undefined && end > index + 1) {
        end--;
        chunk = build(list.elements.slice(index, end));
        records = this.fittingRecords(chunk);
      }
      if (records === undefined) return undefined;
      commands.push({ kind: "command", command: chunk, records });
      index = end;
    }
    return commands;
  }

  private compile(step: CompileStep, base: PlannedStep): PlannedStep {
    const outcome = translateCompile(step, this.compileContext);
    if (outcome.kind !== "command") {
      this.summary.untranslatableFlags += outcome.untranslatableFlags ?? 0;
      return { ...base, disposition: outcome.kind, reason: outcome.reason };
    }
    for (const option of outcome.ignored) this.ignoredOptions.add(option);
    this.summary.unknownFlags += outcome.unknownFlags;
    this.summary.untranslatableFlags += outcome.untranslatableFlags;

    let plan: CompilePlan = outcome;
    let rendered = renderCommand(plan.command, this.renderOptions);
    const optionNotes = [...plan.notes];
    const notes = [...plan.notes];
    let header: GeneratedFile | undefined;
    if ("error" in rendered || plan.headerDefines.length > 0) {
      const moveAll = "error" in rendered;
      ({ plan, header } = this.withHeader(plan, step, moveAll));
      if (moveAll)
        notes.push("the definitions are in a /FIRST_INCLUDE header because the command was too long for DCL");
      else notes.push("definitions that DCL would change are in a /FIRST_INCLUDE header");
      rendered = renderCommand(plan.command, this.renderOptions);
    }
    if ("error" in rendered) {
      // The header is dropped with the command, so the notes must not claim it contains the definitions.
      return {
        ...base,
        notes: optionNotes,
        disposition: "not-translated",
        reason: `the CC command cannot be written: ${this.withUserLimit(rendered.error.message)}`,
      };
    }
    this.commitHeader(header);
    if (isPrecompiledHeader(step)) {
      return {
        ...base,
        notes,
        actions: [{ kind: "command", command: plan.command, records: rendered.lines }],
      };
    }
    const product = {
      kind: "object" as const,
      file: this.paths.file(objectFilePath(step.output), step.directory.path, step.index),
      rooted: this.paths.rooted(objectFilePath(step.output), step.directory.path, step.index),
      dependencies: [this.paths.rooted(step.source, step.directory.path, step.index)],
    };
    const output = absoluteUnixPath(step.output, step.directory.path);
    this.setProduct(output, { role: "object", rooted: product.rooted });
    // libtool compiles a source twice, into `.libs/x.o` (PIC) and `x.o`; OpenVMS needs one object for both.
    for (const object of step.objects ?? []) {
      const absolute = absoluteUnixPath(object.output, step.directory.path);
      if (absolute !== output) this.fileAliases.set(absolute, output);
    }
    return {
      ...base,
      notes,
      actions: [{ kind: "command", command: plan.command, records: rendered.lines }],
      product,
    };
  }

  /**
   * Move the definitions a command cannot hold (or, with `moveAll`, every definition) into a header. A header
   * not written before is returned apart, for `commitHeader` once the command fits.
   */
  private withHeader(
    plan: CompilePlan,
    step: CompileStep,
    moveAll: boolean,
  ): { plan: CompilePlan; header: GeneratedFile | undefined } {
    const qualifiers = [...(plan.command.qualifiers ?? [])];
    const defineIndex = qualifiers.findIndex((qualifier) => qualifier.name === "DEFINE");
    let defines = plan.headerDefines.map(({ name, value }) =>
      value === undefined ? { name } : { name, value },
    );
    if (moveAll) {
      const all = [
        ...this.target.defines.map((text) => {
          const equals = text.indexOf("=");
          return equals < 0 ? { name: text } : { name: text.slice(0, equals), value: text.slice(equals + 1) };
        }),
        ...step.defines,
      ];
      const last = new Map<string, { name: string; value?: string }>();
      for (const define of all) last.set(define.name, define);
      defines = [...last.values()];
      if (defineIndex >= 0) qualifiers.splice(defineIndex, 1);
    }
    const content = defineHeader(defines);
    let name = this.headers.get(content);
    let header: GeneratedFile | undefined;
    if (name === undefined) {
      name = `${this.options.fileStem ?? "build"}_defs_${this.headers.size + 1}.h`;
      header = { name, content, kind: "header" };
    }
    const spec = `${this.rootLogical}:[000000]${name.toUpperCase()}`;
    const first = qualifiers.findIndex((qualifier) => qualifier.name === "FIRST_INCLUDE");
    if (first >= 0) {
      const existing = qualifiers[first]?.value;
      let list: readonly DclValueElement[] = [];
      if (Array.isArray(existing)) list = existing;
      else if (existing !== undefined) list = [existing as DclValueElement];
      qualifiers[first] = { name: "FIRST_INCLUDE", value: [spec, ...list] };
    } else {
      const objectIndex = qualifiers.findIndex(
        (qualifier) => qualifier.name === "OBJECT" || qualifier.name === "PREPROCESS_ONLY",
      );
      qualifiers.splice(objectIndex < 0 ? qualifiers.length : objectIndex, 0, {
        name: "FIRST_INCLUDE",
        value: spec,
      });
    }
    return { plan: { ...plan, command: { ...plan.command, qualifiers }, headerDefines: [] }, header };
  }

  /** Keep a new header of `withHeader` once a command that includes it is part of the plan. */
  private commitHeader(header: GeneratedFile | undefined): void {
    if (header === undefined) return;
    this.headers.set(header.content, header.name);
    this.files.push(header);
  }

  private link(original: Extract<BuildStep, { kind: "link" }>, base: PlannedStep): PlannedStep {
    const step = this.withAliasedInputs(original);
    const outcome = translateLink(step, {
      paths: this.paths,
      target: this.target,
      pointerSize: this.options.pointerSize,
      libraryRules: this.options.rules.libraries,
      built: this.built,
      untranslatedLibraries: this.untranslatedLibraries,
      exports: this.options.exports,
      readVersionScript: this.options.readVersionScript,
      versionScripts: this.versionScripts,
      optionsFileName: (image) => this.optionsFileName(image),
      rootLogical: this.rootLogical,
    });
    this.summary.unresolvedLibraries += outcome.unresolvedLibraries ?? 0;
    if ("droppedLibraries" in outcome) this.summary.droppedLibraries += outcome.droppedLibraries;
    if (outcome.kind === "not-translated") {
      const libname = libraryName(step.output);
      if (libname !== undefined && !this.built.has(libname))
        this.untranslatedLibraries.set(libname, step.origin.startLine);
      return { ...base, disposition: "not-translated", reason: outcome.reason };
    }
    if (outcome.untypedExports) this.summary.untypedExports++;
    const planned = this.checked({
      ...base,
      notes: outcome.notes,
      actions: [{ kind: "command", command: outcome.command }],
    });
    if (planned.disposition !== "translated") return planned;
    this.files.push({
      name: outcome.optionsFile.name,
      content: outcome.optionsFile.content,
      kind: "options",
    });
    const shareable = step.product === "shared";
    if (shareable) {
      this.defineShareable(outcome.rooted, planned);
      const libname = libraryName(step.output);
      if (libname !== undefined) this.built.set(libname, { kind: "shareable", rooted: outcome.rooted });
    }
    const output = absoluteUnixPath(step.output, step.directory.path);
    if (!shareable) this.programs.set(output, outcome.rooted);
    this.setProduct(output, { role: shareable ? "shared" : "executable", rooted: outcome.rooted });
    planned.product = {
      kind: shareable ? "shareable" : "executable",
      file: outcome.image,
      rooted: outcome.rooted,
      dependencies: outcome.dependencies,
    };
    return planned;
  }

  /** Replace each alias among a link's inputs by the file it stands for (see `fileAliases`). */
  private withAliasedInputs(
    step: Extract<BuildStep, { kind: "link" }>,
  ): Extract<BuildStep, { kind: "link" }> {
    const inputs = this.aliasedObjects(step.inputs, step.directory.path);
    return inputs === undefined ? step : { ...step, inputs };
  }

  /** Replace each alias among an archive's members, as `withAliasedInputs` does for a link. */
  private withAliasedMembers(
    step: Extract<BuildStep, { kind: "archive" }>,
  ): Extract<BuildStep, { kind: "archive" }> {
    const members = this.aliasedObjects(step.members, step.directory.path);
    return members === undefined ? step : { ...step, members };
  }

  /** Map each alias among `files` to the file it stands for; undefined when none is an alias. */
  private aliasedObjects(files: readonly string[], directory: string): string[] | undefined {
    if (this.fileAliases.size === 0) return undefined;
    let changed = false;
    const mapped = files.map((file) => {
      const alias = this.fileAliases.get(absoluteUnixPath(file, directory));
      if (alias === undefined) return file;
      changed = true;
      return path.relative(directory, alias);
    });
    return changed ? mapped : undefined;
  }

  /** The image an earlier link of the log built, when this command runs it (a generator built by the build). */
  private builtProgram(step: BuildStep): string | undefined {
    const program = step.argv[0];
    if (program === undefined || !program.includes("/")) return undefined;
    const absolute = path.isAbsolute(program) ? program : path.join(step.directory.path, program);
    return this.programs.get(path.normalize(absolute));
  }

  /**
   * Run a program the build made, with MCR and its arguments converted like a foreign command's. Redirections
   * of standard input, output and error become a one-command PIPE. A program inside a shell pipeline stays
   * untranslated, because the other commands of the pipeline have no DCL form here.
   */
  private runProgram(step: BuildStep, image: string, base: PlannedStep): PlannedStep {
    const converted = foreignArguments(step.argv.slice(1), this.paths, step.directory.path, step.index);
    if ("unsafe" in converted) return { ...base, disposition: "not-translated", reason: converted.unsafe };
    const redirections = programRedirections(step.command, step.argv[0] ?? "");
    const problem = redirectionProblem(redirections, converted.redirected || /[<>|]/.test(step.command));
    if (problem !== undefined) return { ...base, disposition: "not-translated", reason: problem };

    const call: DclCommand = { verb: "MCR", parameters: [image, ...converted.words] };
    const file = (unixPath: string | undefined) =>
      unixPath === undefined ? undefined : this.paths.file(unixPath, step.directory.path, step.index);
    const input = file(redirections?.input);
    const output = file(redirections?.output);
    const error = file(redirections?.error);
    const action: PlanAction =
      input === undefined && output === undefined && error === undefined
        ? { kind: "command", command: call }
        : {
            kind: "pipe",
            segments: [{ command: call }],
            ...(input === undefined ? {} : { input }),
            ...(output === undefined ? {} : { output }),
            ...(error === undefined ? {} : { error }),
          };
    const planned = this.checked({
      ...base,
      notes: ["runs a program built earlier in this procedure"],
      actions: [action],
    });
    if (planned.disposition === "translated") planned.uses = [image];
    return planned;
  }

  private optionsFileName(image: string): string {
    const stem = image.toLowerCase().replace(/[^a-z0-9_$-]/g, "_");
    let name = `${stem}.opt`;
    // Continue from the last number used for this stem, so a log that links one image many times stays linear.
    let counter = this.optionCounters.get(stem) ?? 1;
    while (this.optionNames.has(name)) {
      counter++;
      name = `${stem}_${counter}.opt`;
    }
    this.optionCounters.set(stem, counter);
    this.optionNames.add(name);
    return name;
  }
}

/**
 * Explain why the redirections of a program run cannot become a DCL PIPE, or return undefined when they can.
 * `hasOperators` is true when the command text shows any redirection or pipe, so that one the reader could not
 * attribute to the program is never dropped.
 */
function redirectionProblem(
  redirections: Redirections | undefined,
  hasOperators: boolean,
): string | undefined {
  if (redirections === undefined) {
    return hasOperators
      ? "the command line redirects or pipes a stream, and vmsport could not tell whether the program's own streams are affected; write the PIPE by hand"
      : undefined;
  }
  if (redirections.pipedWith !== undefined) {
    return `the program is part of a shell pipeline with ${redirections.pipedWith}, which has no DCL translation here; write the PIPE by hand`;
  }
  if (redirections.unsupported !== undefined) {
    return `the redirection ${redirections.unsupported} has no DCL PIPE form; redirect the output by hand (APPEND for >>)`;
  }
  return undefined;
}

/** Convert a shell wildcard path (`*` and `?` only) into a regular expression for whole Unix paths. */
function globPattern(unixPath: string): RegExp {
  const body = unixPath
    .split("")
    .map((char) => {
      if (char === "*") return "[^/]*";
      if (char === "?") return "[^/]";
      return char.replace(/[.+^${}()|[\]\\]/, "\\$&");
    })
    .join("");
  return new RegExp(`^${body}$`);
}

type ProductRole = "object" | "library" | "shared" | "executable";

/** Absolute Unix paths by directory and path, because a build names the same few files in many steps. */
const absolutePaths = new Map<string, Map<string, string>>();

/** Entries of `absolutePaths` kept before it starts again empty, which bounds its memory on any log. */
const ABSOLUTE_PATHS_LIMIT = 20_000;
let absolutePathCount = 0;

/** Build the archive step that a convenience library of objects stands for, so that it becomes an object library. */
function libtoolConvenienceArchive(
  step: Extract<BuildStep, { kind: "link" }>,
): Extract<BuildStep, { kind: "archive" }> {
  return {
    kind: "archive",
    index: step.index,
    origin: step.origin,
    directory: step.directory,
    command: step.command,
    argv: step.argv,
    diagnostics: step.diagnostics,
    status: step.status,
    ...(step.encoding === undefined ? {} : { encoding: step.encoding }),
    tool: "ar",
    operation: "replace",
    operationLetters: "cr",
    library: step.output,
    members: step.inputs,
  };
}

function absoluteUnixPath(unixPath: string, directory: string): string {
  let byPath = absolutePaths.get(directory);
  if (byPath === undefined) {
    byPath = new Map();
    absolutePaths.set(directory, byPath);
  }
  let absolute = byPath.get(unixPath);
  if (absolute === undefined) {
    absolute = path.normalize(path.isAbsolute(unixPath) ? unixPath : path.join(directory, unixPath));
    if (absolutePathCount >= ABSOLUTE_PATHS_LIMIT) {
      absolutePaths.clear();
      absolutePathCount = 0;
      byPath = new Map();
      absolutePaths.set(directory, byPath);
    }
    byPath.set(unixPath, absolute);
    absolutePathCount++;
  }
  return absolute;
}

function objectFilePath(unixPath: string): string {
  return unixPath.replace(/\.(o|lo|obj)$/, ".obj");
}

function libraryFilePath(unixPath: string): string {
  return unixPath.replace(/\.(a|la)$/, ".olb");
}
