/**
 * The steps that need no DCL command whatever steps came before them: dependency listings, CMake
 * bookkeeping, and the programs whose tool rule comments them (`ranlib`, `chmod`, a recursive make). The
 * translator comments them through `noCommandReason`, and `vmsport translate` uses the same test to decide
 * whether the directory of a step matters.
 */
import type { BuildStep } from "../model/steps.js";
import type { Located, ToolRule } from "../rules/translate/types.js";
import { cmakeBookkeeping, cmakeFileCommandTool } from "./cmake.js";
import { programRedirections } from "./redirect.js";
import { archiveWithoutCommand, findToolRule, ruleWithoutCommand } from "./shell.js";

export const DEPENDENCY_REASON =
  "this command only lists header dependencies for make; the description file names only the source of each object";

export const LIBTOOL_LINK_REASON =
  "libtool ran this link as the `libtool: link:` commands that follow it in the log, which are translated instead";

/**
 * Return why a file operation only keeps the books of libtool or automake, or undefined when it does more.
 * Such an operation moves, copies, links or deletes libtool's library descriptions (`.la`, `.lai`), which
 * record where the Unix libraries are and have no OpenVMS counterpart. Or it renames the file of automake's
 * dependency tracking (`mv -f .deps/x.Tpo .deps/x.Po`) that gcc -MD wrote and no OpenVMS compile writes.
 */
export function buildToolBookkeeping(step: Extract<BuildStep, { kind: "shell" }>): string | undefined {
  const operation = step.operation;
  if (
    operation !== "rm" &&
    operation !== "ln" &&
    operation !== "cp" &&
    operation !== "mv" &&
    operation !== "install"
  )
    return undefined;
  const operands = step.destination === undefined ? step.sources : [...step.sources, step.destination];
  if (operands.length === 0) return undefined;
  if (operands.every((operand) => /\.lai?$/.test(operand)))
    return "libtool's library descriptions (.la) tell the Unix linker where a library is, and nothing on OpenVMS reads them";
  // The Makefile names the file `.deps/x.Tpo` or, in a recipe that computes it, `$depbase.Tpo`.
  const source = step.sources.length === 1 ? (step.sources[0] as string) : "";
  if (
    operation === "mv" &&
    source.endsWith(".Tpo") &&
    /\.P(?:lo|o)$/.test(step.destination ?? "") &&
    source.slice(0, -4) === step.destination?.replace(/\.P(?:lo|o)$/, "")
  )
    return "automake's dependency tracking renames the file of header dependencies that gcc -MD wrote; an OpenVMS compile writes none";
  return undefined;
}

/** Reason a step needs no command, with the id of the tool rule that decided it, if one did. */
export interface NoCommand {
  reason: string;
  ruleId?: string;
}

/**
 * Check whether a logged command is part of a dependency listing such as `gcc -MM … | sed … > x.d`, which
 * serves make only.
 */
export function isDependencyListing(command: string): boolean {
  return /(^|[;&|(]\s*)(\S*\/)?(\S+-)?(gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(-[0-9.]+)?\s([^|;&]*\s)?-MM?(\s|$)/.test(
    command,
  );
}

/**
 * Return the `@file` that the log reader could not read and left among an archive's members or a link's
 * inputs. That file contains the members or inputs themselves, so a translation without them would build an
 * empty product.
 */
export function unreadResponseFile(step: BuildStep): string | undefined {
  if (step.kind === "archive") return step.members.find((member) => member.startsWith("@"));
  if (step.kind === "link") return step.inputs.find((input) => input.startsWith("@"));
  return undefined;
}

/** Find the tool rule of an archive step, falling back to the rule of `ar`, or of `ranlib` for an index. */
export function archiveToolRule(
  tools: ReadonlyMap<string, Located<ToolRule>>,
  step: Extract<BuildStep, { kind: "archive" }>,
): Located<ToolRule> | undefined {
  return findToolRule(tools, step.tool) ?? findToolRule(tools, step.operation === "index" ? "ranlib" : "ar");
}

/**
 * Return why a step needs no DCL command, whatever steps came before it, or undefined when it may need one.
 * The checks run in the translator's order, so a step this returns undefined for can still be commented
 * later (`cp a b` where both have the same OpenVMS name, a compile that only lists dependencies).
 */
export function noCommandReason(
  step: BuildStep,
  tools: ReadonlyMap<string, Located<ToolRule>>,
): NoCommand | undefined {
  if (unreadResponseFile(step) !== undefined) return undefined;
  switch (step.kind) {
    case "link":
      return step.libtoolCommandsShown === true ? { reason: LIBTOOL_LINK_REASON } : undefined;
    case "archive": {
      const rule = archiveToolRule(tools, step);
      return byRule(rule === undefined ? undefined : archiveWithoutCommand(step, rule));
    }
    case "shell": {
      if (isDependencyListing(step.command)) return { reason: DEPENDENCY_REASON };
      const bookkeeping = buildToolBookkeeping(step);
      if (bookkeeping !== undefined) return { reason: bookkeeping };
      const cmake = cmakeBookkeeping(step);
      if (cmake !== undefined)
        return cmake.disposition === "commented" ? { reason: cmake.reason } : undefined;
      // A command in a pipeline is left for the porter before its tool rule is looked up.
      if (
        step.command.includes("|") &&
        programRedirections(step.command, step.argv[0] ?? "")?.pipedWith !== undefined
      )
        return undefined;
      const rule = findToolRule(tools, cmakeFileCommandTool(step) ?? step.tool);
      return byRule(rule === undefined ? undefined : ruleWithoutCommand(rule));
    }
    case "unknown":
      return isDependencyListing(step.command) ? { reason: DEPENDENCY_REASON } : undefined;
    default:
      return undefined;
  }
}

function byRule(outcome: { reason: string; rule?: Located<ToolRule> } | undefined): NoCommand | undefined {
  if (outcome === undefined) return undefined;
  return outcome.rule === undefined
    ? { reason: outcome.reason }
    : { reason: outcome.reason, ruleId: outcome.rule.id };
}
