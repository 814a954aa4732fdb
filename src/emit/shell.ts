import path from "node:path/posix";
import { type DclCommand, type DclWord, quoteValue, raw, stringLiteral } from "../dcl/index.js";
import type { ArchiveStep, ShellStep } from "../model/steps.js";
import type { Located, ToolRule } from "../rules/translate/types.js";
import type { PathContext } from "./paths.js";
import { productPath } from "./paths.js";
import type { PlanAction } from "./plan.js";

export type ShellOutcome =
  | {
      kind: "actions";
      actions: PlanAction[];
      notes: string[];
      rule: Located<ToolRule>;
      /** A copy or rename of one file to a file, as written in the log, so the caller can track products. */
      copiedFile?: { source: string; destination: string };
    }
  | { kind: "commented"; reason: string; rule?: Located<ToolRule> }
  | { kind: "not-translated"; reason: string; rule?: Located<ToolRule> };

/** Find the tool rule for a program: by its name without directory, then without a cross-compiler prefix. */
export function findToolRule(
  rules: ReadonlyMap<string, Located<ToolRule>>,
  tool: string,
): Located<ToolRule> | undefined {
  const base = path.basename(tool);
  const candidates = [base, base.replace(/^.*-(?=[a-z]+$)/, ""), base.replace(/-?[0-9][0-9.]*$/, "")];
  for (const candidate of candidates) {
    let found: Located<ToolRule> | undefined;
    for (const rule of rules.values()) {
      if (rule.tools.includes(candidate) && (found === undefined || rule.layer >= found.layer)) found = rule;
    }
    if (found) return found;
  }
  return undefined;
}

/**
 * Return the Unix path under which the procedure creates a file an earlier step built (`tool` → `tool.exe`),
 * in the same relative or absolute form, or undefined when no earlier step built it.
 */
export type ProductLookup = (unixPath: string, directory: string) => string | undefined;
/** Tells whether an earlier step shows `unixPath`, relative to `directory`, to be a directory. */
export type DirectoryLookup = (unixPath: string, directory: string) => boolean;

interface ShellContext {
  paths: PathContext;
  rule: Located<ToolRule>;
  directory: string;
  index: number;
  products: ProductLookup;
  isDirectory: DirectoryLookup;
}

/** Thrown inside a translation when an operand cannot be written as an OpenVMS specification. */
class OperandError extends Error {}

/** Shell wildcard characters that DCL expresses as `*` and `%`, swapped for letters while the path is translated. */
const WILDCARD_PLACEHOLDERS: readonly [string, string, string][] = [
  ["*", "VMSPORTWILDSTAR", "*"],
  ["?", "VMSPORTWILDONE", "%"],
];

/**
 * Translate a file operand: a product of an earlier step gets the name the procedure gave it, and the shell
 * wildcards `*` and `?` become the DCL wildcards `*` and `%`. Bracket and brace patterns raise an
 * `OperandError`, because DCL has no equivalent.
 */
function operandSpec(context: ShellContext, unixPath: string, isDirectory = false): string {
  if (/[[\]{}]/.test(unixPath)) {
    throw new OperandError(
      `the pattern ${unixPath} uses [...] or {...}, which DCL wildcards cannot express; list the files by hand`,
    );
  }
  const renamed = context.products(unixPath, context.directory) ?? productPath(unixPath, "input");
  let placeholder = renamed;
  for (const [wildcard, letters] of WILDCARD_PLACEHOLDERS)
    placeholder = placeholder.replaceAll(wildcard, letters);
  let spec = isDirectory
    ? context.paths.directory(placeholder, context.directory, context.index)
    : context.paths.file(placeholder, context.directory, context.index);
  for (const [, letters, dcl] of WILDCARD_PLACEHOLDERS) spec = spec.replaceAll(letters, dcl);
  return spec;
}

function hasWildcard(unixPath: string): boolean {
  return /[*?]/.test(unixPath);
}

/**
 * Return the outcome of an `ar` or `ranlib` step that needs no command on OpenVMS whatever steps came before
 * it, or undefined when it may need one.
 */
export function archiveWithoutCommand(
  step: ArchiveStep,
  rule: Located<ToolRule>,
): Extract<ShellOutcome, { kind: "commented" }> | undefined {
  if (rule.action === "comment") return commentedByRule(rule);
  if (rule.action === "library" && step.operation === "index") {
    return {
      kind: "commented",
      reason: "an OpenVMS object library indexes its global symbols itself",
      rule,
    };
  }
  return undefined;
}

/**
 * Translate an `ar` step through its tool rule: create the library when missing, then replace members. With
 * `deleteOld`, a replace or append deletes the old library first, so that the library holds only the members
 * this step lists, as after CMake's clean-target script.
 */
export function translateArchive(
  step: ArchiveStep,
  rule: Located<ToolRule>,
  paths: PathContext,
  deleteOld = false,
): ShellOutcome {
  const withoutCommand = archiveWithoutCommand(step, rule);
  if (withoutCommand !== undefined) return withoutCommand;
  if (rule.action !== "library")
    return {
      kind: "not-translated",
      reason: rule.reason ?? `tool rule ${rule.id} does not apply to archives`,
      rule,
    };
  const directory = step.directory.path;
  const library = paths.file(productPath(step.library, "library"), directory, step.index);
  const members = step.members.map((member) =>
    paths.file(productPath(member, "input"), directory, step.index),
  );
  switch (step.operation) {
    case "replace":
    case "append": {
      const actions: PlanAction[] = deleteOld ? [deleteIfPresent(`${library};*`)] : [];
      actions.push({
        kind: "if",
        condition: `F$SEARCH(${literal(library)}) .EQS. ""`,
        command: {
          verb: "LIBRARY",
          qualifiers: [{ name: "CREATE" }, { name: "OBJECT" }],
          parameters: [library],
        },
      });
      if (members.length > 0) {
        actions.push({
          kind: "command",
          command: {
            verb: "LIBRARY",
            qualifiers: [{ name: "REPLACE" }],
            parameters: [library, { elements: members }],
          },
        });
      }
      return { kind: "actions", actions, notes: [], rule };
    }
    case "delete": {
      const modules = step.members.map((member) =>
        path
          .basename(member)
          .replace(/\.[^.]*$/, "")
          .toUpperCase(),
      );
      return {
        kind: "actions",
        actions: [
          {
            kind: "command",
            command: {
              verb: "LIBRARY",
              qualifiers: [{ name: "DELETE", value: modules }],
              parameters: [library],
            },
          },
        ],
        notes: [],
        rule,
      };
    }
    default:
      return {
        kind: "not-translated",
        reason: `ar operation "${step.operationLetters}" only reads the archive; nothing in the build depends on it`,
        rule,
      };
  }
}

/** `IF F$SEARCH(spec) .NES. "" THEN DELETE/NOLOG/NOCONFIRM spec`, quiet when no file matches. */
function deleteIfPresent(spec: string): PlanAction {
  return {
    kind: "if",
    condition: `F$SEARCH(${literal(spec)}) .NES. ""`,
    command: {
      verb: "DELETE",
      qualifiers: [
        { name: "LOG", negated: true },
        { name: "CONFIRM", negated: true },
      ],
      parameters: [spec],
    },
  };
}

function literal(text: string): string {
  const result = stringLiteral(text);
  return "unsafe" in result ? '""' : result.text;
}

/**
 * Translate a shell step with the action of its tool rule. `products` names the files earlier steps built, so
 * that `cp tool bin/` copies the `TOOL.EXE` the procedure linked.
 */
export function translateShell(
  step: ShellStep,
  rule: Located<ToolRule>,
  paths: PathContext,
  products: ProductLookup = () => undefined,
  isDirectory: DirectoryLookup = () => false,
): ShellOutcome {
  const context: ShellContext = {
    paths,
    rule,
    directory: step.directory.path,
    index: step.index,
    products,
    isDirectory,
  };
  try {
    return translateShellOperands(step, context);
  } catch (error) {
    if (error instanceof OperandError) return { kind: "not-translated", reason: error.message, rule };
    throw error;
  }
}

/**
 * Return the outcome of a shell step whose tool rule needs no command on OpenVMS, whatever its operands, or
 * undefined when the rule gives one.
 */
export function ruleWithoutCommand(
  rule: Located<ToolRule>,
): Extract<ShellOutcome, { kind: "commented" }> | undefined {
  return rule.action === "comment" || rule.action === "protection" ? commentedByRule(rule) : undefined;
}

function commentedByRule(rule: Located<ToolRule>): Extract<ShellOutcome, { kind: "commented" }> {
  const fallback =
    rule.action === "protection" ? "file protection needs no change for the build" : "nothing to do";
  return { kind: "commented", reason: rule.reason ?? fallback, rule };
}

function translateShellOperands(step: ShellStep, context: ShellContext): ShellOutcome {
  const { paths, rule } = context;
  const operands = [...step.sources, ...(step.destination === undefined ? [] : [step.destination])];
  const recursive = step.options.some((option) => /^-[a-zA-Z]*[rR]/.test(option) || option === "--recursive");
  switch (rule.action) {
    case "comment":
    case "protection":
      return commentedByRule(rule);
    case "not-translated":
      return { kind: "not-translated", reason: rule.reason ?? "no translation", rule };
    case "library":
      return { kind: "not-translated", reason: `tool rule ${rule.id} applies to ar steps only`, rule };
    case "create-directory":
      return actions(
        context,
        operands.map((directory) =>
          command(
            "CREATE",
            [paths.directory(directory, context.directory, step.index)],
            [{ name: "DIRECTORY" }],
          ),
        ),
      );
    case "copy":
    case "rename":
    case "symlink": {
      if (step.options.includes("-d") && step.tool.endsWith("install")) {
        return actions(
          context,
          operands.map((directory) =>
            command(
              "CREATE",
              [paths.directory(directory, context.directory, step.index)],
              [{ name: "DIRECTORY" }],
            ),
          ),
        );
      }
      if (recursive && rule.action === "copy")
        return {
          kind: "not-translated",
          reason: "a recursive copy needs BACKUP or a directory walk; copy the tree by hand",
          rule,
        };
      return copyLike(step, context);
    }
    case "delete": {
      if (recursive)
        return {
          kind: "not-translated",
          reason: "a recursive delete needs DELETE [...]*.*;* and the directory files removed level by level",
          rule,
        };
      return actions(
        context,
        operands.map((file) => deleteIfPresent(`${operandSpec(context, file)};*`)),
      );
    }
    case "touch":
      if (operands.some(hasWildcard))
        return { kind: "not-translated", reason: "touch with a wildcard changes only existing files", rule };
      return actions(
        context,
        operands.map((file) => {
          const spec = paths.file(file, context.directory, step.index);
          return {
            kind: "if",
            condition: `F$SEARCH(${literal(spec)}) .EQS. ""`,
            command: { verb: "COPY", parameters: [raw("NLA0:"), spec] },
          } satisfies PlanAction;
        }),
      );
    case "write-file":
      return writeFile(step, context);
    case "foreign":
      return foreign(step, context);
  }
}

function command(verb: string, parameters: DclWord[], qualifiers: DclCommand["qualifiers"] = []): PlanAction {
  return { kind: "command", command: { verb, qualifiers, parameters } };
}

function actions(context: ShellContext, list: PlanAction[]): ShellOutcome {
  if (list.length === 0)
    return { kind: "not-translated", reason: "the command names no file to work on", rule: context.rule };
  return { kind: "actions", actions: list, notes: [], rule: context.rule };
}

/** `cp`, `install`, `mv` and `ln`: one COPY or RENAME; a directory destination keeps the file names. */
function copyLike(step: ShellStep, context: ShellContext): ShellOutcome {
  const { directory } = context;
  let sources = [...step.sources];
  let destination = step.destination;
  if (destination === undefined) {
    destination = sources.pop();
  }
  if (destination === undefined || sources.length === 0) {
    return {
      kind: "not-translated",
      reason: "the command names no source and destination",
      rule: context.rule,
    };
  }

  if (context.rule.action === "symlink") {
    // The link text is relative to the link's own directory, not to the current one.
    const base = path.dirname(destination);
    sources = sources.map((source) =>
      path.isAbsolute(source) || base === "." ? source : path.join(base, source),
    );
  }

  // NOTE: without a trailing slash, a destination is taken as a directory only when the sources have a file
  // type and it has none, because the log does not say which names are directories.
  const known = context.isDirectory(destination, directory);
  const destinationIsDirectory =
    destination.endsWith("/") ||
    sources.length > 1 ||
    known ||
    (!path.basename(destination).includes(".") &&
      sources.every((source) => path.basename(source).includes(".")));
  if (hasWildcard(destination))
    throw new OperandError(`the destination ${destination} contains a wildcard; name one file or directory`);
  const mappedSources = sources.map((source) => operandSpec(context, source));
  // An image copied to a name without a file type keeps its .EXE type, so it still runs with RUN or MCR.
  const image = sources.length === 1 ? context.products(sources[0] ?? "", directory) : undefined;
  let destinationPath = destination;
  if (!destinationIsDirectory && image?.endsWith(".exe") && !path.basename(destination).includes("."))
    destinationPath = `${destination}.exe`;
  const target = destinationIsDirectory
    ? operandSpec(context, destination, true)
    : operandSpec(context, destinationPath);
  if (!destinationIsDirectory && mappedSources.length === 1 && mappedSources[0] === target) {
    return {
      kind: "commented",
      reason: `source and destination have the same OpenVMS name ${target}`,
      rule: context.rule,
    };
  }

  const verb = context.rule.action === "rename" ? "RENAME" : "COPY";
  const notes = context.rule.action === "symlink" ? ["a copy stands in for the symbolic link"] : [];
  const mode = installMode(step);
  if (mode !== undefined)
    notes.push(
      `the Unix mode ${mode} is not carried over; set the protection with SET SECURITY/PROTECTION where it matters`,
    );

  // The porter must see each guess of file or directory, because a wrong one makes the COPY fail.
  if (!destinationIsDirectory && !path.basename(destination).includes("."))
    notes.push(
      `${destination} has no file type and no earlier step creates it as a directory, so it is taken as a file; if it names a directory, change the target to a directory specification`,
    );
  if (destinationIsDirectory && !destination.endsWith("/") && sources.length === 1 && !known)
    notes.push(
      `${destination} has no file type while ${sources[0]} has one, so it is taken as a directory; if it names a file, change the target to a file specification`,
    );
  const source = sources.length === 1 ? sources[0] : undefined;
  return {
    kind: "actions",
    actions: [{ kind: "command", command: { verb, parameters: [{ elements: mappedSources }, target] } }],
    notes,
    rule: context.rule,
    ...(source !== undefined && !destinationIsDirectory ? { copiedFile: { source, destination } } : {}),
  };
}

/** Return the mode an `install -m MODE` step gives its files, as written. */
function installMode(step: ShellStep): string | undefined {
  if (!path.basename(step.tool).endsWith("install")) return undefined;
  for (let k = 0; k < step.options.length; k++) {
    const option = step.options[k] as string;
    if (option === "-m" || option === "--mode") return step.options[k + 1];
    if (option.startsWith("--mode=")) return option.slice("--mode=".length);
    if (/^-m\d/.test(option)) return option.slice(2);
  }
  return undefined;
}

/** `echo`/`printf` text into a file becomes CREATE with inline data; `cat a b > c` becomes COPY/CONCATENATE. */
function writeFile(step: ShellStep, context: ShellContext): ShellOutcome {
  const { paths, directory, rule } = context;
  if (step.destination === undefined) {
    return { kind: "not-translated", reason: "the command writes to standard output, not to a file", rule };
  }
  const target = paths.file(step.destination, directory, step.index);
  const tool = path.basename(step.tool);
  const appending = new RegExp(`>>\\s*['"]?${escapeRegExp(step.destination)}`).test(step.command);

  if (tool === "cat") {
    const sources = step.sources.map((source) => operandSpec(context, source));
    if (sources.length === 0)
      return { kind: "not-translated", reason: "cat reads standard input here", rule };
    // APPEND/NEW_VERSION creates the output when it is missing, as `>>` does.
    const command: DclCommand = appending
      ? { verb: "APPEND", qualifiers: [{ name: "NEW_VERSION" }], parameters: [{ elements: sources }, target] }
      : { verb: "COPY", qualifiers: [{ name: "CONCATENATE" }], parameters: [{ elements: sources }, target] };
    return { kind: "actions", actions: [{ kind: "command", command }], notes: [], rule };
  }

  let text = step.script ?? step.sources.join(" ");
  if (tool === "printf") {
    if (/%[^%]/.test(text.replaceAll("%%", ""))) {
      return {
        kind: "not-translated",
        reason: "printf with conversions needs its arguments evaluated",
        rule,
      };
    }
    text = text.replaceAll("%%", "%").replaceAll("\\t", "\t").replace(/\\n$/, "");
  }
  const lines = text.split("\\n").flatMap((line) => line.split("\n"));
  if (!appending)
    return { kind: "actions", actions: [{ kind: "create", file: target, data: lines }], notes: [], rule };

  const actions: PlanAction[] = [
    {
      kind: "if",
      condition: `F$SEARCH(${literal(target)}) .EQS. ""`,
      command: { verb: "COPY", parameters: [raw("NLA0:"), target] },
    },
    {
      kind: "command",
      command: { verb: "OPEN", qualifiers: [{ name: "APPEND" }], parameters: ["BUILD_FILE", target] },
    },
  ];
  for (const line of lines) {
    const value = stringLiteral(line);
    if ("unsafe" in value)
      return { kind: "not-translated", reason: `the text cannot be written in DCL: ${value.unsafe}`, rule };
    actions.push({
      kind: "command",
      command: { verb: "WRITE", parameters: ["BUILD_FILE", raw(value.text)] },
    });
  }
  actions.push({ kind: "command", command: { verb: "CLOSE", parameters: ["BUILD_FILE"] } });
  return { kind: "actions", actions, notes: [], rule };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A sed substitution such as `s/a/b/g` or `s|a|b|`, which would otherwise look like a path. */
const SED_SCRIPT = /^s([/|,#:]).*\1.*\1[gpi0-9]*$/;

/** Words that look like a file path: `dir/name`, or `name.ext` with a letter after the dot. */
function looksLikePath(word: string): boolean {
  if (word.startsWith("-")) return false;
  if (/^[A-Za-z0-9_.+-]*(\/[A-Za-z0-9_.+-]+)+\/?$/.test(word) || /^\/[A-Za-z0-9_.+/-]+$/.test(word))
    return true;
  // A single directory name written with its slash, as in `erlc -o ebin/`.
  if (/^[A-Za-z0-9_.+-]+\/$/.test(word)) return true;
  return /^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*\.[A-Za-z][A-Za-z0-9_]*$/.test(word);
}

/**
 * Convert the arguments of a foreign command or program: words that look like paths are translated, the rest
 * are passed as literal words, which the renderer quotes to keep their case. Conversion stops at a
 * redirection or pipe.
 */
export function foreignArguments(
  argumentWords: readonly string[],
  paths: PathContext,
  directory: string,
  stepIndex: number,
): { words: DclWord[]; redirected: boolean } | { unsafe: string } {
  const words: DclWord[] = [];
  for (const [index, word] of argumentWords.entries()) {
    if (/^[0-9]?>>?/.test(word) || word === "|" || word === "<") return { words, redirected: true };
    const afterScriptOption = index > 0 && /^(-e|--expression)$/.test(argumentWords[index - 1] ?? "");
    if (!afterScriptOption && !SED_SCRIPT.test(word) && looksLikePath(word)) {
      words.push(paths.file(word, directory, stepIndex));
      continue;
    }
    const quoted = quoteValue(word);
    if ("unsafe" in quoted)
      return { unsafe: `argument ${JSON.stringify(word)} cannot be written in DCL: ${quoted.unsafe}` };
    words.push(word);
  }
  return { words, redirected: false };
}

/**
 * Run a generator or filter as a foreign command. Arguments that look like paths are translated, the rest
 * are quoted so that the program receives them in their original case. Output redirected into a file becomes
 * `PIPE … > file`.
 */
function foreign(step: ShellStep, context: ShellContext): ShellOutcome {
  const { paths, directory, rule } = context;
  const converted = foreignArguments(step.argv.slice(1), paths, directory, step.index);
  if ("unsafe" in converted) return { kind: "not-translated", reason: converted.unsafe, rule };
  const { words, redirected } = converted;
  const verb = rule.command ?? path.basename(step.tool).toUpperCase();
  const call: DclCommand = { verb, parameters: words };
  const notes = [
    `${verb} must be defined as a foreign command (${verb} :== $device:[directory]program.EXE) before the procedure runs`,
  ];
  // The log reader takes `> file` out of the words and keeps it as the destination, so only the command text
  // separates a redirection from an output option such as `-o file`.
  const redirection =
    step.destination === undefined ? undefined : redirectionOf(step.command, step.destination);
  if (redirection === ">>") {
    return {
      kind: "not-translated",
      reason: "the output is appended with >>, which PIPE cannot do; append it with APPEND by hand",
      rule,
    };
  }
  const output =
    step.destination !== undefined &&
    (redirected || step.operation === "write-file" || redirection !== undefined)
      ? step.destination
      : undefined;
  if (output !== undefined) {
    return {
      kind: "actions",
      actions: [
        { kind: "pipe", segments: [{ command: call }], output: paths.file(output, directory, step.index) },
      ],
      notes,
      rule,
    };
  }
  return { kind: "actions", actions: [{ kind: "command", command: call }], notes, rule };
}

/** Return the operator (`>` or `>>`) that redirects standard output of a command into `file`, if any. */
function redirectionOf(command: string, file: string): ">" | ">>" | undefined {
  const match = new RegExp(`(?:^|[^0-9&>])(>>?)\\s*['"]?${escapeRegExp(file)}(?:['"]|\\s|$|[;&|)])`).exec(
    command,
  );
  if (match?.[1] === ">>") return ">>";
  return match ? ">" : undefined;
}
