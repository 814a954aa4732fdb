import type { RuleCondition, RuleExample, ScanRule, SeverityOverride } from "../rules/scan/model.js";

/**
 * Building blocks shared by `vmsport rules explain` (plain text) and the generated `docs/rules/VMSnnnn.md`
 * pages (Markdown), so that both describe a rule in the same words.
 */

function quoteList(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(", ");
}

/** Describes in one sentence what the rule's `match` finds in the sources, with Markdown code spans. */
export function describeMatch(rule: Pick<ScanRule, "match">): string {
  const match = rule.match;
  if (match.call) {
    const several = match.call.names.length > 1;
    let text = `Calls of ${quoteList(match.call.names.map((name) => `${name}()`))}`;
    if (match.call.references !== false) {
      text += `, and other references to ${several ? "these functions" : "the function"} such as taking the address`;
    }
    const clauses: string[] = [];
    for (const argument of match.call.arguments ?? []) {
      const tests: string[] = [];
      if (argument.equalsAny) tests.push(`is ${quoteList(argument.equalsAny)}`);
      if (argument.mentionsAny) tests.push(`mentions ${quoteList(argument.mentionsAny)}`);
      if (argument.mentionsNone) tests.push(`mentions none of ${quoteList(argument.mentionsNone)}`);
      if (argument.regex) tests.push(`matches \`/${argument.regex}/\``);
      if (argument.stringLiteral !== undefined)
        tests.push(argument.stringLiteral ? "is a string literal" : "is not a string literal");
      if (tests.length > 0) clauses.push(`argument ${argument.position} ${tests.join(" and ")}`);
    }
    if (clauses.length > 0) text += `, where ${clauses.join(" and ")}`;
    if (match.call.minArguments !== undefined) text += `, with at least ${match.call.minArguments} arguments`;
    if (match.call.maxArguments !== undefined) text += `, with at most ${match.call.maxArguments} arguments`;
    return `${text}.`;
  }
  if (match.include) {
    const parts: string[] = [];
    if (match.include.headers) parts.push(quoteList(match.include.headers));
    if (match.include.regex) parts.push(`header names matching \`/${match.include.regex}/\``);
    return `\`#include\` of ${parts.join(" or ")}.`;
  }
  if (match.identifier) {
    const where = match.identifier.inConditions ? " in code and in `#if` conditions" : "";
    return `Uses of ${quoteList(match.identifier.names)}${where}.`;
  }
  if (match.member) return `Accesses of the structure members ${quoteList(match.member.names)}.`;
  if (match.type) return `The type-width patterns ${quoteList(match.type.patterns)}.`;
  if (match.string) {
    let text = `String literals matching \`/${match.string.regex}/\``;
    if (match.string.calls) {
      const position =
        match.string.calls.position === undefined
          ? "any argument"
          : `argument ${match.string.calls.position}`;
      text += ` passed as ${position} of ${quoteList(match.string.calls.names.map((name) => `${name}()`))}`;
    }
    if (match.string.includes) text += ", including the file names of `#include` directives";
    return `${text}.`;
  }
  if (match.exitStatus) {
    const calls = match.exitStatus.calls ?? ["exit", "_exit", "_Exit"];
    const values = match.exitStatus.values.map((value) => String(value)).join(", ");
    const fromMain = match.exitStatus.returnFromMain === false ? "" : " and to `return` in `main`";
    return `Constant exit status values (${values}) passed to ${quoteList(calls.map((name) => `${name}()`))}${fromMain}.`;
  }
  if (match.externalNames) {
    return match.externalNames.check === "length"
      ? `External names longer than ${match.externalNames.maxLength ?? 31} characters, checked across all scanned files.`
      : "External names that differ only in case, checked across all scanned files.";
  }
  if (match.fileNames) {
    const checks: Record<string, string> = {
      ods2: "File and directory names that ODS-2 cannot store.",
      ods5: "File and directory names that even ODS-5 cannot store.",
      "case-collision": "File names in one directory that differ only in case.",
      depth: `Directory trees deeper than ${match.fileNames.maxDepth ?? 8} levels.`,
    };
    return checks[match.fileNames.check] ?? "Names of the scanned files.";
  }
  if (match.meta === "unused-suppression") return "`vmsport-ignore` directives that suppress no finding.";
  if (match.meta === "skipped-file") return "Files the scanner could not read or chose not to scan.";
  return "Produced by the engine.";
}

/** Family names as a heading shows them. */
export const FAMILY_LABELS: Record<ScanRule["family"], string> = {
  meta: "Scan results",
  processes: "Processes, exec, exit status and signals",
  io: "Descriptors, I/O and IPC",
  files: "Files, paths and stat",
  limits: "Limits and system information",
  types: "Types, pointers and external names",
  filenames: "File names in the tree",
  headers: "Headers",
  environment: "Run-time environment",
};

/** First name the rule matches, used to show its message with a real name in place of `{name}`. */
function sampleName(rule: Pick<ScanRule, "match">): string | undefined {
  const match = rule.match;
  return (
    match.call?.names[0] ??
    match.identifier?.names[0] ??
    match.member?.names[0] ??
    match.include?.headers?.[0]
  );
}

/**
 * Fills the placeholders of a rule's message with a name the rule matches where one is known, and with the
 * placeholder's name in angle brackets otherwise, such as `<value>`.
 */
export function sampleMessage(rule: Pick<ScanRule, "match" | "message">): string {
  const name = sampleName(rule);
  return rule.message.replace(/\{(\w+)\}/g, (_placeholder, key: string) => {
    if ((key === "name" || key === "header") && name !== undefined) return name;
    return `<${key}>`;
  });
}

function describeCondition(condition: RuleCondition): string {
  const parts: string[] = [];
  if (condition.vmsVersionUnknown === true) parts.push("`--vms-version` is not given");
  if (condition.vmsVersionUnknown === false) parts.push("`--vms-version` is given");
  if (condition.vmsVersionAtLeast)
    parts.push(`the OpenVMS version is ${condition.vmsVersionAtLeast} or later`);
  if (condition.vmsVersionBelow) parts.push(`the OpenVMS version is older than ${condition.vmsVersionBelow}`);
  if (condition.target) parts.push(`the target is ${condition.target.join(" or ")}`);
  if (condition.ods !== undefined) parts.push(`\`--ods ${condition.ods}\` is given`);
  if (condition.pointerSize !== undefined) parts.push(`pointers are ${condition.pointerSize} bits`);
  if (condition.defined)
    parts.push(`${quoteList(condition.defined)} ${condition.defined.length > 1 ? "are" : "is"} defined`);
  if (condition.notDefined) {
    parts.push(
      `${quoteList(condition.notDefined)} ${condition.notDefined.length > 1 ? "are" : "is"} not defined`,
    );
  }
  if (condition.functionMentions)
    parts.push(
      condition.functionMentions.length > 1
        ? `the enclosing function uses any of ${quoteList(condition.functionMentions)}`
        : `the enclosing function uses ${quoteList(condition.functionMentions)}`,
    );
  if (condition.language) parts.push(`the file is ${condition.language === "cpp" ? "C++" : "C"}`);
  return parts.join(" and ");
}

/** Describes one severity override, such as "info when `--vms-version` is not given". */
export function describeOverride(override: SeverityOverride): string {
  const effects: string[] = [];
  if (override.severity === "off") effects.push("not reported");
  else if (override.severity) effects.push(override.severity);
  if (override.confidence) effects.push(`confidence ${override.confidence}`);
  return `${effects.join(", ")} when ${describeCondition(override.when)}`;
}

/** Describes the rule's severity with its conditions and the versions it applies to, in one paragraph. */
export function describeSeverity(rule: ScanRule): string {
  let text = `${capitalize(rule.severity)} (confidence ${rule.confidence})`;
  const overrides = rule.severityOverrides ?? [];
  if (overrides.length === 1 && overrides[0]) text += `; ${describeOverride(overrides[0])}`;
  if (overrides.length > 1) {
    text += `; otherwise the first of these that holds: ${overrides.map(describeOverride).join("; ")}`;
  }
  text += ".";
  if (rule.since) text += ` Applies from OpenVMS ${rule.since}.`;
  if (rule.until) text += ` Not reported with \`--vms-version\` ${rule.until} or later.`;
  return text;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase()}${text.slice(1)}`;
}

/** Joins the code of an example, with each file's path as a header comment for multi-file examples. */
export function exampleCode(example: RuleExample): string {
  if (example.code !== undefined) return example.code.replace(/\n$/, "");
  return (example.files ?? [])
    .map((file) =>
      file.code === undefined ? file.path : `/* ${file.path} */\n${file.code.replace(/\n$/, "")}`,
    )
    .join("\n");
}

/** Scan options of an example written as command-line options, such as `--ods 2 --vms-version 8.4`. */
export function exampleOptions(example: RuleExample): string {
  const options = example.options;
  if (!options) return "";
  const parts: string[] = [];
  if (options.vmsVersion) parts.push(`--vms-version ${options.vmsVersion}`);
  if (options.target) parts.push(`--target ${options.target}`);
  if (options.ods !== undefined) parts.push(`--ods ${options.ods}`);
  if (options.pointerSize !== undefined) parts.push(`--pointer-size ${options.pointerSize}`);
  for (const define of options.define ?? []) parts.push(`--define ${define}`);
  for (const name of options.undefine ?? []) parts.push(`--undefine ${name}`);
  if (options.includeInactive) parts.push("--include-inactive");
  return parts.join(" ");
}
