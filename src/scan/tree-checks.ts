/**
 * The tree-wide rule kinds: external names (length and case collisions across all files) and the scanned
 * files' own names (ODS-2, ODS-5, case collisions in one directory, directory depth).
 */

import type { Finding, Severity } from "../model/finding.js";
import type { ScanRule } from "../rules/scan/model.js";
import { compareText } from "../util/compare.js";
import { formatMessage, isOutsideVersions, languageOf, resolveSeverity } from "./file-scan.js";
import type { FileScan, ScanSourceOptions } from "./types.js";

/** A tree-wide finding before suppression and fingerprinting; `lineText` feeds the fingerprint. */
export interface TreeFinding extends Finding {
  lineText: string;
}

function makeFinding(
  rule: ScanRule,
  options: ScanSourceOptions,
  location: { path: string; line: number; column: number; lineText: string },
  placeholders: Record<string, string>,
  severity: Severity | "off" = rule.severity,
  message = rule.message,
): TreeFinding | undefined {
  if (severity === "off") return undefined;
  const resolved = resolveSeverity(
    rule,
    { severity, confidence: rule.confidence, message },
    {
      options,
      language: languageOf(location.path),
      isDefined: (name) => (options.define ?? []).some((entry) => entry.split("=")[0] === name),
      functionMentions: () => false,
      includes: [],
    },
  );
  if (resolved.severity === "off") return undefined;
  const finding: TreeFinding = {
    ruleId: rule.id,
    severity: resolved.severity,
    confidence: resolved.confidence,
    path: location.path,
    line: location.line,
    column: location.column,
    message: formatMessage(resolved.message, placeholders),
    fingerprint: "",
    context: "active",
    lineText: location.lineText,
  };
  if (rule.alternative !== undefined) finding.alternative = rule.alternative;
  return finding;
}

/** Run the tree-wide rules over the scanned files. */
export function checkTree(
  files: readonly FileScan[],
  rules: readonly ScanRule[],
  options: ScanSourceOptions,
): TreeFinding[] {
  const findings: TreeFinding[] = [];
  const disabled = new Set(options.disable ?? []);
  for (const rule of rules) {
    if (disabled.has(rule.id) || isOutsideVersions(rule, options.vmsVersion)) continue;
    if (rule.match.externalNames) findings.push(...checkExternalNames(files, rule, options));
    else if (rule.match.fileNames) findings.push(...checkFileNames(files, rule, options));
  }
  return findings;
}

/** Message for a long name that collides with nothing, which the rule's collision message does not fit. */
const UNIQUE_LONG_NAME_MESSAGE =
  "External name {name} has {length} characters and collides with no other name. It links only between modules compiled with the same /NAMES setting, because TRUNCATED and SHORTENED spell it differently.";

interface NameSite {
  name: string;
  path: string;
  line: number;
  column: number;
  lineText: string;
}

const firstSitesCache = new WeakMap<readonly FileScan[], Map<string, NameSite>>();

/**
 * Collect the first site of every distinct external name, in path and line order. The result is computed
 * once per file list, because every external-name rule reads it and callers do not change it.
 */
function firstSites(files: readonly FileScan[]): Map<string, NameSite> {
  const cached = firstSitesCache.get(files);
  if (cached !== undefined) return cached;
  const sites = new Map<string, NameSite>();
  firstSitesCache.set(files, sites);
  const sorted = [...files].sort((a, b) => compareText(a.path, b.path));
  for (const file of sorted) {
    for (const external of file.externalNames) {
      if (!sites.has(external.name)) sites.set(external.name, { ...external, path: file.path });
    }
  }
  return sites;
}

function addToGroup(groups: Map<string, NameSite[]>, key: string, site: NameSite): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [site]);
  else group.push(site);
}

function checkExternalNames(
  files: readonly FileScan[],
  rule: ScanRule,
  options: ScanSourceOptions,
): TreeFinding[] {
  const spec = rule.match.externalNames;
  if (!spec) return [];
  const sites = firstSites(files);
  const findings: TreeFinding[] = [];
  const groups = new Map<string, NameSite[]>();
  if (spec.check === "length") {
    const max = spec.maxLength ?? 31;
    for (const site of sites.values()) {
      if (site.name.length <= max) continue;
      // The compiler folds case before truncating under the default /NAMES=(UPPERCASE,TRUNCATED).
      const key = site.name.slice(0, max).toUpperCase();
      addToGroup(groups, key, site);
    }
    for (const group of groups.values()) {
      for (const site of group) {
        const others = group.filter((other) => other !== site).map((other) => other.name);
        const unique = others.length === 0;
        const severity = unique ? (spec.uniqueSeverity ?? rule.severity) : rule.severity;
        const finding = makeFinding(
          rule,
          options,
          site,
          {
            name: site.name,
            other: others.join(", "),
            length: String(site.name.length),
            text: site.name.slice(0, max),
          },
          severity,
          unique ? UNIQUE_LONG_NAME_MESSAGE : rule.message,
        );
        if (finding) findings.push(finding);
      }
    }
    return findings;
  }
  for (const site of sites.values()) {
    addToGroup(groups, site.name.toUpperCase(), site);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const site of group) {
      const others = group.filter((other) => other !== site).map((other) => other.name);
      const finding = makeFinding(rule, options, site, { name: site.name, other: others.join(", ") });
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/**
 * Count the leading path components that the file-name checks skip. Paths that leave the working directory
 * (`../../src/otp-25.2/erts/x.c`) are measured from the deepest directory all scanned files share, because
 * the directories above it, and the name of that root itself, are not part of the tree being ported. Paths
 * inside the working directory are taken as they are.
 */
export function outsideRootLength(paths: readonly string[]): number {
  if (!paths.some((path) => path.startsWith("../") || path.startsWith("/"))) return 0;
  const directories = paths.map((path) => path.split("/").slice(0, -1));
  const first = directories[0] ?? [];
  let length = 0;
  while (length < first.length && directories.every((components) => components[length] === first[length]))
    length++;
  return length;
}

/** Characters an ODS-5 name cannot hold: control characters and " * \ : < > / ? | (HELP Ext_File_Specs). */
const ODS5_FORBIDDEN = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}"*\\\\:<>/?|]`);

/** Return why a path component is not a valid ODS-2 name, or undefined when it is valid. */
export function ods2Problem(component: string, isDirectory: boolean): string | undefined {
  const dot = component.indexOf(".");
  if (isDirectory && dot >= 0) return `the directory name "${component}", which has a dot`;
  if (component.indexOf(".", dot + 1) > dot && dot >= 0) return "more than one dot";
  const name = dot >= 0 ? component.slice(0, dot) : component;
  const type = dot >= 0 ? component.slice(dot + 1) : "";
  const bad = /[^A-Za-z0-9$_-]/.exec(name + type);
  if (bad) return `the character "${bad[0]}"`;
  if (name.length > 39) return `a name of ${name.length} characters (at most 39)`;
  if (type.length > 39) return `a type of ${type.length} characters (at most 39)`;
  if (name.length === 0 && type.length === 0) return "an empty name";
  return undefined;
}

/** Return why a path component cannot be stored on ODS-5, or undefined when it can. */
export function ods5Problem(component: string): string | undefined {
  const bad = ODS5_FORBIDDEN.exec(component);
  if (bad) return `the character ${JSON.stringify(bad[0])}`;
  if (component.length > 236) return `a component of ${component.length} characters (at most 236)`;
  return undefined;
}

const sortedPathsCache = new WeakMap<readonly FileScan[], { paths: string[]; rootLength: number }>();

/** Sort the files' paths and compute their `outsideRootLength`, once per file list. */
function sortedPaths(files: readonly FileScan[]): { paths: string[]; rootLength: number } {
  let cached = sortedPathsCache.get(files);
  if (cached === undefined) {
    const paths = files.map((file) => file.path).sort();
    cached = { paths, rootLength: outsideRootLength(paths) };
    sortedPathsCache.set(files, cached);
  }
  return cached;
}

/** Records a file-name finding at a path with the placeholders of the rule's message. */
type ReportAt = (path: string, placeholders: Record<string, string>) => void;

function checkFileNames(
  files: readonly FileScan[],
  rule: ScanRule,
  options: ScanSourceOptions,
): TreeFinding[] {
  const spec = rule.match.fileNames;
  if (!spec) return [];
  const findings: TreeFinding[] = [];
  const { paths, rootLength } = sortedPaths(files);
  const at: ReportAt = (path, placeholders) => {
    const finding = makeFinding(
      rule,
      options,
      { path, line: 1, column: 1, lineText: "" },
      { path, ...placeholders },
    );
    if (finding) findings.push(finding);
  };
  // Each check is its own function, so V8 compiles only the loop a rule runs.
  if (spec.check === "depth") checkDepth(paths, rootLength, spec.maxDepth ?? 8, at);
  else if (spec.check === "ods2" || spec.check === "ods5") checkOdsNames(paths, rootLength, spec.check, at);
  else if (spec.check === "case-collision") checkCaseCollisions(paths, rootLength, at);
  return findings;
}

/** Split a path into its components after the first `rootLength`, dropping `.` and empty ones. */
function treeComponents(path: string, rootLength: number): string[] {
  return path
    .split("/")
    .slice(rootLength)
    .filter((component) => component !== "." && component !== "");
}

function checkDepth(paths: readonly string[], rootLength: number, max: number, at: ReportAt): void {
  for (const path of paths) {
    const components = treeComponents(path, rootLength);
    const depth = components.length - 1;
    if (depth > max)
      at(path, { reason: `${depth} directory levels (more than ${max})`, name: components.at(-1) ?? path });
  }
}

function checkOdsNames(
  paths: readonly string[],
  rootLength: number,
  check: "ods2" | "ods5",
  at: ReportAt,
): void {
  const checkedDirectories = new Set<string>();
  let previous: string[] = [];
  for (const path of paths) {
    const components = treeComponents(path, rootLength);
    const treePath = components.join("/");
    if (check === "ods5" && Buffer.byteLength(treePath) > 255) {
      at(path, { reason: `a path of ${Buffer.byteLength(treePath)} bytes (over 255)`, name: treePath });
    }
    // The directories this path shares with the previous one were checked with it, so they are skipped.
    const shared = sharedDirectories(previous, components);
    previous = components;
    let directory = components.slice(0, shared).join("/");
    for (let position = shared; position < components.length; position++) {
      const component = components[position] as string;
      const isDirectory = position < components.length - 1;
      // Each directory is checked once, at the first file under it, and reported at most once.
      if (isDirectory) {
        directory = position === 0 ? component : `${directory}/${component}`;
        if (checkedDirectories.has(directory)) continue;
        checkedDirectories.add(directory);
      }
      if (component === "..") continue;
      const problem = check === "ods2" ? ods2Problem(component, isDirectory) : ods5Problem(component);
      if (problem) at(path, { reason: problem, name: component });
    }
  }
}

/** Count the leading directory components that two split paths have in common; file names do not count. */
function sharedDirectories(a: readonly string[], b: readonly string[]): number {
  const limit = Math.min(a.length, b.length) - 1;
  let count = 0;
  while (count < limit && a[count] === b[count]) count++;
  return count;
}

function checkCaseCollisions(paths: readonly string[], rootLength: number, at: ReportAt): void {
  const byFolded = new Map<string, Set<string>>();
  let previous: string[] = [];
  for (const path of paths) {
    const components = path.split("/");
    // The directories this path shares with the previous one were added with it, so they are skipped.
    const shared = sharedDirectories(previous, components);
    previous = components;
    const first = Math.max(rootLength, shared);
    // Each entry is its parent's text plus one component, so both are built up rather than joined anew.
    let parent = components.slice(0, first).join("/");
    let parentFolded = parent.toUpperCase();
    for (let length = first + 1; length <= components.length; length++) {
      const component = components[length - 1] ?? "";
      const entry = length === 1 ? component : `${parent}/${component}`;
      const folded = `${parentFolded}/${component.toUpperCase()}`;
      let set = byFolded.get(folded);
      if (set === undefined) {
        set = new Set<string>();
        byFolded.set(folded, set);
      }
      set.add(entry);
      parent = entry;
      parentFolded = length === 1 ? component.toUpperCase() : folded;
    }
  }
  for (const entries of byFolded.values()) {
    if (entries.size < 2) continue;
    const sorted = [...entries].sort();
    for (const entry of sorted) {
      const file = paths.find((path) => path === entry || path.startsWith(`${entry}/`)) ?? entry;
      const others = sorted.filter((other) => other !== entry);
      at(file, {
        name: entry.split("/").at(-1) ?? entry,
        other: others.join(", "),
        reason: "names equal except for case",
      });
    }
  }
}
