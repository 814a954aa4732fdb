import {
  type DclCommand,
  type DclRaw,
  DEFAULT_LIMITS,
  type MmsRule,
  quoteValue,
  type RenderOptions,
  raw,
  renderMmsAction,
  renderMmsComment,
  renderMmsMacro,
  renderMmsRule,
  stringLiteral,
} from "../dcl/index.js";
import { directoryFileOf } from "./directories.js";
import { MMS_CONTINUATION_INDENT, withMacros } from "./macros.js";
import type { BuildPlan, PlanAction } from "./plan.js";
import { GUESSED_ROOT, stepHeading } from "./procedure.js";
import { REPOSITORY_DIRECTORY, renderAction } from "./translate.js";

export interface DescriptionHeader {
  log: string;
  generatedAt?: string;
  target: string;
  pointerSize: 32 | 64;
  version: string;
  /** The source root was inferred although the log does not name the directory the build started in. */
  rootGuessed?: boolean;
}

/** Macro names of the description file that stand for the shared qualifier symbols of the procedure. */
export const DESCRIPTION_MACROS = ["CC_QUALIFIERS", "CXX_QUALIFIERS", "LINK_QUALIFIERS"];

/** Width of comment lines, well below the 255-byte record limit. */
const COMMENT_WIDTH = 100;

/** Split text into lines of at most `width` characters at blanks; a longer word is cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    let rest = word;
    while (rest.length > width) {
      if (line.length > 0) lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = "";
    }
    if (line.length > 0 && line.length + 1 + rest.length > width) {
      lines.push(line);
      line = rest;
    } else {
      line = line.length > 0 ? `${line} ${rest}` : rest;
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

interface Rule {
  target: string;
  sources: string[];
  actions: (DclCommand | DclRaw)[];
  comments: string[];
}

/**
 * Render a dependency rule: its head with no command limit (it is read by MMS, not DCL, and continues with
 * ` -` as needed), then its action lines, which DCL executes, within the limits.
 */
/**
 * Write a specification under the root logical relative to the top directory (`SRC$ROOT:[SRC]X.OBJ` is
 * `[.SRC]X.OBJ`, `SRC$ROOT:[000000]X.OBJ` is `[]X.OBJ`), for the target and source names of the rules.
 * MMS and MMK run the actions through a subprocess (MMK's sp_mgr.c spawns one with LIB$SPAWN) and check
 * revision dates in their own process, where the logical name that .FIRST defines does not exist.
 */
export function relativeToRoot(spec: string, root: string): string {
  const prefix = `${root}:[`;
  if (!spec.startsWith(prefix)) return spec;
  const rest = spec.slice(prefix.length);
  if (rest.startsWith("000000]")) return `[]${rest.slice(7)}`;
  return `[.${rest}`;
}

function renderRule(rule: MmsRule, options: RenderOptions): string[] {
  const headOptions = {
    ...options,
    limits: { ...(options.limits ?? DEFAULT_LIMITS), maxCommand: Number.MAX_SAFE_INTEGER },
  };
  const lines = mustRender(renderMmsRule({ ...rule, actions: [] }, headOptions));
  for (const action of rule.actions) {
    lines.push(
      ...mustRender(
        renderMmsAction(action, {
          ...options,
          continuationIndent: MMS_CONTINUATION_INDENT,
          prefix: rule.actionPrefix ?? "",
        }),
      ),
    );
  }
  return lines;
}

function mustRender(result: ReturnType<typeof renderMmsRule>): string[] {
  if ("error" in result)
    throw new Error(`internal error: description file line cannot be rendered: ${result.error.message}`);
  return result.lines;
}

/** Return why an action line cannot go into the description file, or undefined when it can. */
function actionProblem(action: DclCommand | DclRaw, options: RenderOptions): string | undefined {
  const rendered = renderMmsAction(action, { ...options, continuationIndent: MMS_CONTINUATION_INDENT });
  if ("error" in rendered) return `the action cannot be written: ${rendered.error.message}`;
  if (/\$\((?!(CC_QUALIFIERS|CXX_QUALIFIERS|LINK_QUALIFIERS)\))/.test(rendered.lines.join("\n"))) {
    return 'the command contains "$(", which MMS reads as a macro reference';
  }
  return undefined;
}

/** Maximum length of a data-line piece in one WRITE expression, well below the 255-byte token limit. */
const WRITE_PIECE = 200;

/** Return the directory of a `SET DEFAULT` command, or undefined for any other action. */
function setDefaultTarget(action: DclCommand | DclRaw): string | undefined {
  if ("kind" in action) return undefined;
  const [first, directory] = action.parameters ?? [];
  return action.verb === "SET" && first === "DEFAULT" && typeof directory === "string"
    ? directory
    : undefined;
}

/**
 * Append one step's actions to a rule's, leaving out the step's opening `SET DEFAULT` when the rule is in
 * that directory already, so that a rule of several steps in one directory does not repeat it.
 */
function appendActions(into: (DclCommand | DclRaw)[], actions: readonly (DclCommand | DclRaw)[]): void {
  const [opening, ...rest] = actions;
  if (opening === undefined) return;
  const directory = setDefaultTarget(opening);
  let current: string | undefined;
  for (let index = into.length - 1; index >= 0; index--) {
    const action = into[index] as DclCommand | DclRaw;
    // A raw record might change the default directory itself, so the directory is then unknown.
    if ("kind" in action && /SET\s+DEF/i.test(action.text)) break;
    current = setDefaultTarget(action);
    if (current !== undefined) break;
  }
  if (directory !== undefined && directory === current) into.push(...rest);
  else into.push(...actions);
}

/**
 * Action lines for one planned action. Commands keep their structure; IF and PIPE records become raw action
 * lines, and CREATE with inline data becomes OPEN/WRITE/CLOSE, because MMS has no data records.
 */
function actionLines(action: PlanAction, options: RenderOptions): (DclCommand | DclRaw)[] {
  if (action.kind === "command") return [withMacros(action.command)];
  if (action.kind === "create") {
    const file = typeof action.file === "string" ? action.file : "";
    const lines: (DclCommand | DclRaw)[] = [raw(`OPEN/WRITE BUILD_FILE ${file}`)];
    for (const line of action.data) {
      // WRITE joins its expressions, so a long data line is written as several string literals.
      const pieces: string[] = [];
      for (let start = 0; start === 0 || start < line.length; start += WRITE_PIECE) {
        const literal = stringLiteral(line.slice(start, start + WRITE_PIECE));
        pieces.push("unsafe" in literal ? '""' : literal.text);
      }
      lines.push({
        verb: "WRITE",
        parameters: ["BUILD_FILE", { elements: pieces.map((piece) => raw(piece)) }],
      });
    }
    lines.push(raw("CLOSE BUILD_FILE"));
    return lines;
  }
  const rendered = renderAction(action, options);
  if ("error" in rendered) throw new Error(`internal error: ${rendered.error}`);
  // The tab MMS puts before every action record replaces one of the blanks of a continuation record.
  return rendered.lines.map((line, index) =>
    raw(index === 0 ? line.replace(/^\$ /, "") : line.replace(/^ /, "")),
  );
}

/**
 * Render `DESCRIP.MMS` for a plan. It defines macros for the shared qualifiers and a `.FIRST` target that
 * defines the root logical and the logical names of shareable images. `all` depends on every product, each
 * object, library and image has its own rule, and a `prepare` target runs first with the other commands that
 * read no product (directories, generated headers), in log order. A command that reads a product of the build
 * (a COPY of an image, a generator the build linked) gets a `step_N` target depending on those products, and
 * `all` lists it after them in log order. The removal of a product before a later step builds it anew opens
 * that product's rule instead. A `clean` target deletes the products.
 */
export function renderDescription(
  plan: BuildPlan,
  header: DescriptionHeader,
  options: RenderOptions,
): string {
  const out: string[] = [];
  const root = plan.rootLogical;
  const summary = plan.summary;
  const comment = (text: string) => out.push(...renderMmsComment(wrapText(text, COMMENT_WIDTH).join("\n")));

  comment(`DESCRIP.MMS -- MMS/MMK description file generated by vmsport ${header.version}`);
  comment(`from the build log ${header.log}${header.generatedAt ? ` on ${header.generatedAt}` : ""}`);
  comment(`target ${header.target}, pointer size ${header.pointerSize}, source root logical ${root}`);
  comment(
    `steps: ${summary.translated} translated, ${summary.commented} need no command, ${summary.notTranslated} not translated`,
  );
  comment(
    `Usage: put this file, its options files and headers in the top directory of the source tree${plan.sourceRoot ? ` (${plan.sourceRoot} on the machine that ran the build${header.rootGuessed ? GUESSED_ROOT : ""})` : ""}, set default there and run MMS or MMK.`,
  );
  if (plan.ignoredOptions.length > 0) {
    comment(
      `Compiler options of the log that need nothing on OpenVMS (see the flag rules): ${plan.ignoredOptions.join(" ")}`,
    );
  }
  if (plan.foreignCommands.length > 0)
    comment(`Define these foreign commands first: ${plan.foreignCommands.join(", ")}.`);
  out.push("");
  for (const [name, value] of Object.entries(plan.symbols))
    out.push(...mustRender(renderMmsMacro(name, value, options)));
  out.push("");

  const rules = new Map<string, Rule>();
  const prepare: Rule = { target: "prepare", sources: [], actions: [], comments: [] };
  const skipped: string[] = [];
  const products: string[] = [];
  /** Sources of `all` after `prepare`: product and `step_N` targets in log order. */
  const ordered: string[] = [];
  const afterProducts: Rule[] = [];
  /** Actions and headings of removals that open the rule of a later product (`PlannedStep.actionOf`). */
  const leading = new Map<string, { actions: (DclCommand | DclRaw)[]; comments: string[] }>();

  for (const planned of plan.steps) {
    if (planned.disposition !== "translated") {
      skipped.push(
        planned.disposition === "not-translated"
          ? `NOT TRANSLATED ${stepHeading(planned)} -- ${planned.reason ?? ""}`
          : `${stepHeading(planned)} -- nothing to do: ${planned.reason ?? ""}`,
      );
      continue;
    }
    const actions: (DclCommand | DclRaw)[] = [{ verb: "SET", parameters: ["DEFAULT", planned.directory] }];
    for (const action of planned.actions) actions.push(...actionLines(action, options));
    const problem = actions
      .map((action) => actionProblem(action, options))
      .find((reason) => reason !== undefined);
    if (problem !== undefined) {
      skipped.push(`NOT TRANSLATED ${stepHeading(planned)} -- ${problem}`);
      continue;
    }
    if (planned.actionOf !== undefined) {
      const entry = leading.get(planned.actionOf) ?? { actions: [], comments: [] };
      appendActions(entry.actions, actions);
      entry.comments.push(stepHeading(planned));
      leading.set(planned.actionOf, entry);
      continue;
    }
    const product = planned.product;
    if (product === undefined && planned.uses !== undefined) {
      const target = `step_${planned.step.index + 1}`;
      afterProducts.push({ target, sources: planned.uses, actions, comments: [stepHeading(planned)] });
      ordered.push(target);
      continue;
    }
    if (product === undefined) {
      appendActions(prepare.actions, actions);
      prepare.comments.push(stepHeading(planned));
      continue;
    }
    const existing = rules.get(product.rooted);
    if (existing) {
      appendActions(existing.actions, actions);
      for (const source of product.dependencies)
        if (!existing.sources.includes(source)) existing.sources.push(source);
      existing.comments.push(stepHeading(planned));
    } else {
      const before = leading.get(product.rooted);
      const merged = [...(before?.actions ?? [])];
      appendActions(merged, actions);
      rules.set(product.rooted, {
        target: product.rooted,
        sources: [...new Set(product.dependencies)],
        actions: merged,
        comments: [...(before?.comments ?? []), stepHeading(planned)],
      });
      products.push(product.rooted);
      ordered.push(product.rooted);
    }
  }

  const local = (names: readonly string[]) => names.map((name) => relativeToRoot(name, root));
  const allSources = [...(prepare.actions.length > 0 ? ["prepare"] : []), ...local(ordered)];
  out.push(...renderRule({ targets: ["all"], sources: allSources, actions: [] }, options));
  out.push("");

  const first: (DclCommand | DclRaw)[] = [
    // NO_CONCEAL translates a concealed default such as ROOT:[000000] to the physical device, so the root
    // logical is never defined in terms of itself (HP OpenVMS DCL Dictionary, F$PARSE).
    raw('BUILD_HOME = F$ENVIRONMENT("DEFAULT")'),
    raw(
      'BUILD_HOME = F$PARSE(BUILD_HOME,,,"DEVICE","NO_CONCEAL") + F$PARSE(BUILD_HOME,,,"DIRECTORY","NO_CONCEAL") - "][" - ".000000"',
    ),
    raw('BUILD_ROOT = F$EXTRACT(0, F$LENGTH(BUILD_HOME) - 1, BUILD_HOME) + ".]"'),
    raw(`DEFINE/NOLOG/TRANSLATION_ATTRIBUTES=CONCEALED ${root} 'BUILD_ROOT'`),
    raw(
      `IF F$SEARCH("${root}:[000000]${REPOSITORY_DIRECTORY}.DIR") .EQS. "" THEN CREATE/DIRECTORY ${root}:[${REPOSITORY_DIRECTORY}]`,
    ),
  ];
  // Directories the build writes into without a command that makes them (see DirectoryCreation).
  for (const step of plan.steps) {
    for (const directory of step.createDirectories ?? []) {
      const file = directoryFileOf(directory);
      const literal = file === undefined ? undefined : stringLiteral(file);
      const parameter = quoteValue(directory);
      if (literal === undefined || "unsafe" in literal || "unsafe" in parameter)
        first.push({ verb: "CREATE", qualifiers: [{ name: "DIRECTORY" }], parameters: [directory] });
      else first.push(raw(`IF F$SEARCH(${literal.text}) .EQS. "" THEN CREATE/DIRECTORY ${parameter.text}`));
    }
  }
  for (const shareable of plan.shareables) {
    first.push({
      verb: "DEFINE",
      qualifiers: [{ name: "NOLOG" }],
      parameters: [shareable.name, shareable.rooted],
    });
  }
  comment(
    `${root} stands for the directory MMS runs in, for the actions. MMS runs .FIRST and the actions in a subprocess but looks up the dates of targets and sources in its own process, where ${root} is not defined, so the rules name them relative to that directory. Shareable images are found through logical names.`,
  );
  out.push(...renderRule({ targets: [".FIRST"], sources: [], actions: first }, options));
  out.push("");

  if (prepare.actions.length > 0) {
    comment("Commands that make no object, library or image, in log order:");
    for (const line of prepare.comments) comment(line);
    out.push(...renderRule({ targets: [prepare.target], sources: [], actions: prepare.actions }, options));
    out.push("");
  }
  for (const rule of rules.values()) {
    for (const line of rule.comments) comment(line);
    out.push(
      ...renderRule(
        { targets: local([rule.target]), sources: local(rule.sources), actions: rule.actions },
        options,
      ),
    );
    out.push("");
  }

  for (const rule of afterProducts) {
    comment("Reads products built above, so it runs after them:");
    for (const line of rule.comments) comment(line);
    out.push(
      ...renderRule({ targets: [rule.target], sources: local(rule.sources), actions: rule.actions }, options),
    );
    out.push("");
  }

  const clean: (DclCommand | DclRaw)[] = products.map((product) => ({
    verb: "DELETE",
    qualifiers: [
      { name: "LOG", negated: true },
      { name: "CONFIRM", negated: true },
    ],
    parameters: [`${product};*`],
  }));
  comment("clean deletes every product; a missing file is not an error.");
  out.push(...renderRule({ targets: ["clean"], sources: [], actions: clean, actionPrefix: "-" }, options));

  if (skipped.length > 0) {
    out.push("");
    comment("Steps without an action in this file:");
    for (const line of skipped) comment(line);
  }
  return `${out.join("\n")}\n`;
}
