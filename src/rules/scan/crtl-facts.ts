/**
 * Scanner rules whose names come from the CRTL knowledge base (`rules/crtl/functions.yaml` and
 * `rules/crtl/headers.yaml`), so that `vmsport scan` and `vmsport config` share one list of what the OpenVMS
 * C run-time library lacks. The build compiles the expanded rules into JSON (scripts/compile-scan-rules.mjs).
 */

import path from "node:path";
import { BUILTIN_CRTL_DIRECTORY, readCrtlRuleFile } from "../../adapt/knowledge.js";
import type { LocatedCrtlRule } from "../../adapt/types.js";
import type { CrtlStatus, NamePlaceholders, ScanRule } from "./model.js";

/** The knowledge-base files that `crtlStatus` rules read, also part of the compiled rules' source hash. */
export const CRTL_FACT_FILES = {
  call: path.join(BUILTIN_CRTL_DIRECTORY, "functions.yaml"),
  include: path.join(BUILTIN_CRTL_DIRECTORY, "headers.yaml"),
} as const;

/** A function or header name taken from a knowledge-base entry. */
export interface CrtlFactName {
  name: string;
  macro: string;
  title: string;
  /** Id of the knowledge-base entry. */
  entry: string;
}

/** Names of the entries with a status, and the ids of entries whose name could not be derived. */
export interface CrtlFactNames {
  names: CrtlFactName[];
  unnamed: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Derive the function an entry is about from its macro: `HAVE_POSIX_SPAWN` gives `posix_spawn`. The entries
 * have no field with the name, so the title must confirm it, by `name(` or by starting with the word the name
 * begins with (`epoll is Linux-only` for `epoll_create`). Otherwise the macro is no function name, as in
 * `HAVE_GLIBC_STRERROR_R`, and the entry is left out.
 */
export function functionNameOf(entry: Pick<LocatedCrtlRule, "macro" | "title">): string | undefined {
  const { macro, title } = entry;
  if (!macro?.startsWith("HAVE_")) return undefined;
  const name = macro.slice("HAVE_".length).toLowerCase();
  if (!IDENTIFIER.test(name)) return undefined;
  if (title.includes(`${name}(`)) return name;
  const firstWord = /^[A-Za-z_][A-Za-z0-9_]*/.exec(title)?.[0];
  if (firstWord !== undefined && (name === firstWord || name.startsWith(`${firstWord}_`))) return name;
  return undefined;
}

/**
 * Take the header an entry is about from the `<name>` that starts its title, confirmed by the macro:
 * `<sys/un.h>` must come with `HAVE_SYS_UN_H`. Titles such as `<linux/*> headers are Linux-only` on
 * `HAVE_LINUX_FS_H` name no single header and are left out.
 */
export function headerNameOf(entry: Pick<LocatedCrtlRule, "macro" | "title">): string | undefined {
  const header = /^<([A-Za-z0-9_./+-]+)>/.exec(entry.title)?.[1];
  if (header === undefined || entry.macro === undefined) return undefined;
  const expected = `HAVE_${header.toUpperCase().replace(/[/.+-]/g, "_")}`;
  return entry.macro === expected ? header : undefined;
}

/** List the function or header names of the knowledge-base entries in `file` with `status`. */
export function readCrtlFactNames(kind: "call" | "include", status: CrtlStatus, file: string): CrtlFactNames {
  const names: CrtlFactName[] = [];
  const unnamed: string[] = [];
  const seen = new Set<string>();
  for (const entry of readCrtlRuleFile(file)) {
    if (entry.status !== status) continue;
    const derived = kind === "call" ? functionNameOf(entry) : headerNameOf(entry);
    const entryNames = kind === "call" && entry.functions !== undefined ? entry.functions : [derived];
    if (entryNames.includes(undefined) || entry.macro === undefined) {
      unnamed.push(entry.id);
      continue;
    }
    for (const name of entryNames as string[]) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push({ name, macro: entry.macro, title: entry.title, entry: entry.id });
    }
  }
  return { names, unnamed };
}

/** Functions that rules without `crtlStatus` match by name, so the CRTL rules can leave them out. */
function matchedCallNames(rules: readonly ScanRule[]): Set<string> {
  const names = new Set<string>();
  for (const rule of rules) {
    const { call, identifier } = rule.match;
    if (call && call.crtlStatus === undefined) for (const name of call.names) names.add(name);
    if (identifier?.inCode !== false) for (const name of identifier?.names ?? []) names.add(name);
  }
  return names;
}

/** Does a rule without `crtlStatus` already match `#include <header>`? */
function isHeaderMatched(rules: readonly ScanRule[], header: string): boolean {
  return rules.some((rule) => {
    const { include, string } = rule.match;
    if (include && include.crtlStatus === undefined && include.form !== "quoted") {
      const byName = include.headers?.some((pattern) =>
        pattern.endsWith("*") ? header.startsWith(pattern.slice(0, -1)) : header === pattern,
      );
      if (byName || (include.regex !== undefined && new RegExp(include.regex, "u").test(header))) return true;
    }
    return string?.includes === true && new RegExp(string.regex, "u").test(header);
  });
}

function placeholdersOf(names: readonly CrtlFactName[]): NamePlaceholders {
  const placeholders: NamePlaceholders = {};
  for (const { name, macro, title } of names) placeholders[name] = { detail: title, macro };
  return placeholders;
}

/**
 * Fill in the names of the rules that give `crtlStatus`, from the knowledge-base files in `files`. A name that
 * another rule of `rules` already matches is left out, so that one call or include gives one finding.
 * Rules without `crtlStatus` are returned unchanged.
 */
export function expandCrtlRules(
  rules: readonly ScanRule[],
  files: { call: string; include: string } = CRTL_FACT_FILES,
): ScanRule[] {
  if (!rules.some((rule) => rule.match.call?.crtlStatus ?? rule.match.include?.crtlStatus)) return [...rules];
  const calledNames = matchedCallNames(rules);
  return rules.map((rule) => {
    const { call, include } = rule.match;
    if (call?.crtlStatus !== undefined) {
      const { names } = readCrtlFactNames("call", call.crtlStatus, files.call);
      const unmatched = names.filter((entry) => !calledNames.has(entry.name));
      const match = {
        ...call,
        names: unmatched.map((entry) => entry.name),
        placeholders: placeholdersOf(unmatched),
      };
      return { ...rule, match: { call: match } };
    }
    if (include?.crtlStatus !== undefined) {
      const { names } = readCrtlFactNames("include", include.crtlStatus, files.include);
      const unmatched = names.filter((entry) => !isHeaderMatched(rules, entry.name));
      const match = {
        ...include,
        headers: unmatched.map((entry) => entry.name),
        placeholders: placeholdersOf(unmatched),
      };
      return { ...rule, match: { include: match } };
    }
    return rule;
  });
}
