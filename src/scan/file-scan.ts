/**
 * Scanning of one file's bytes: decoding, lexing, the per-file rule kinds, branch states, conditional
 * severities and inline suppressions. The result is plain data so worker threads can send it back.
 */

import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Finding, Severity } from "../model/finding.js";
import type { Language, RuleCondition, ScanRule } from "../rules/scan/model.js";
import { compareText } from "../util/compare.js";
import type { CompiledRules } from "./compile.js";
import { baseFacts, type MacroFact } from "./conditions.js";
import { readTopLevel, type TopLevel } from "./declarations.js";
import { BranchState, type LexedFile, lex, Punct, TokenKind } from "./lexer.js";
import { matchFile } from "./match.js";
import { parseDirective, type Suppression, SuppressionIndex } from "./suppression.js";
import type { ExternalName, FileEncoding, FileScan, ScanSourceOptions, ScanTargetOptions } from "./types.js";
import { compareVersions } from "./versions.js";

const CPP_EXTENSIONS = new Set([
  ".cc",
  ".cpp",
  ".cxx",
  ".c++",
  ".hpp",
  ".hh",
  ".hxx",
  ".h++",
  ".ipp",
  ".tcc",
  ".C",
  ".H",
]);

/** Return the language of a file from its extension. A `.h` file counts as C. */
export function languageOf(path: string): Language {
  const dot = path.lastIndexOf(".");
  return dot >= 0 && CPP_EXTENSIONS.has(path.slice(dot)) ? "cpp" : "c";
}

const factsCache = new WeakMap<ScanTargetOptions, Map<Language, Map<string, MacroFact>>>();

function factsFor(options: ScanTargetOptions, language: Language): Map<string, MacroFact> {
  let perLanguage = factsCache.get(options);
  if (!perLanguage) {
    perLanguage = new Map();
    factsCache.set(options, perLanguage);
  }
  let facts = perLanguage.get(language);
  if (!facts) {
    facts = baseFacts(options);
    const cpp = language === "cpp";
    const overridden = new Set([
      ...(options.undefine ?? []),
      ...(options.define ?? []).map((entry) => entry.split("=")[0]),
    ]);
    if (!overridden.has("__cplusplus"))
      facts.set("__cplusplus", cpp ? { defined: true, value: 201103 } : { defined: false });
    if (!overridden.has("__DECCXX"))
      facts.set("__DECCXX", cpp ? { defined: true, value: 1 } : { defined: false });
    if (!overridden.has("__DECC") && cpp) facts.set("__DECC", { defined: false });
    perLanguage.set(language, facts);
  }
  return facts;
}

/** Is the identifier at `index` a member name, written after `.` or `->`? */
function isMemberName(file: LexedFile, index: number): boolean {
  const previous = index - 1;
  if (previous < 0 || file.kinds[previous] !== TokenKind.Punct) return false;
  const code = file.values[previous];
  return code === 46 || code === Punct.Arrow;
}

/** 1-based line of a byte offset. */
export function lineOf(file: LexedFile, offset: number): number {
  let low = 0;
  let high = file.lineCount - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((file.lineStarts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** 1-based column of an offset on its line: characters for UTF-8 text, bytes for ISO-8859-1. */
function columnOf(file: LexedFile, line: number, offset: number, encoding: FileEncoding): number {
  const start = file.lineStarts[line - 1] as number;
  if (encoding === "iso-8859-1") return offset - start + 1;
  let column = 1;
  for (let index = start; index < offset; index++)
    if (((file.bytes[index] as number) & 0xc0) !== 0x80) column++;
  return column;
}

/** Text of a physical line without its line end. */
function lineText(file: LexedFile, line: number, encoding: FileEncoding): string {
  const start = file.lineStarts[line - 1] as number;
  let end = line < file.lineCount ? (file.lineStarts[line] as number) : file.bytes.length;
  while (end > start && (file.bytes[end - 1] === 10 || file.bytes[end - 1] === 13)) end--;
  return file.bytes.toString(encoding === "utf-8" ? "utf8" : "latin1", start, end);
}

/** Stable id of a finding: rule, path, the line's text without white-space differences, and occurrence. */
export function fingerprintOf(
  ruleId: string,
  path: string,
  text: string,
  occurrence: number,
  base = "",
): string {
  const normalized = text.trim().replace(/\s+/g, " ");
  const rooted = base === "" ? path : posix.join(base, path);
  return createHash("sha256")
    .update(`${ruleId}\0${rooted}\0${normalized}\0${occurrence}`)
    .digest("hex")
    .slice(0, 32);
}

/** Replace `{name}`-style placeholders; unknown ones stay as written. */
export function formatMessage(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Is a rule silent for the given --vms-version because of its `since`/`until`? */
export function isOutsideVersions(rule: ScanRule, version: string | undefined): boolean {
  if (version === undefined) return false;
  if (rule.until !== undefined && compareVersions(version, rule.until) >= 0) return true;
  return rule.since !== undefined && compareVersions(version, rule.since) < 0;
}

/** Facts a condition can be tested against. */
export interface ConditionContext {
  options: ScanTargetOptions;
  language: Language;
  isDefined: (name: string) => boolean;
  functionMentions: (names: readonly string[]) => boolean;
  /** Header names the file includes; empty for tree-wide findings. */
  includes: readonly string[];
}

/** Does a severity-override condition hold? */
export function conditionHolds(condition: RuleCondition, context: ConditionContext): boolean {
  const { options } = context;
  const version = options.vmsVersion;
  if (condition.vmsVersionUnknown !== undefined && condition.vmsVersionUnknown !== (version === undefined))
    return false;
  if (condition.vmsVersionAtLeast !== undefined) {
    if (version === undefined || compareVersions(version, condition.vmsVersionAtLeast) < 0) return false;
  }
  if (condition.vmsVersionBelow !== undefined) {
    if (version === undefined || compareVersions(version, condition.vmsVersionBelow) >= 0) return false;
  }
  if (condition.target && (options.target === undefined || !condition.target.includes(options.target)))
    return false;
  if (condition.ods !== undefined && options.ods !== condition.ods) return false;
  if (condition.pointerSize !== undefined && options.pointerSize !== condition.pointerSize) return false;
  if (condition.language !== undefined && condition.language !== context.language) return false;
  if (condition.defined && !condition.defined.every((name) => context.isDefined(name))) return false;
  if (condition.notDefined?.some((name) => context.isDefined(name))) return false;
  if (condition.functionMentions && !context.functionMentions(condition.functionMentions)) return false;
  if (condition.fileIncludes && !condition.fileIncludes.some((header) => context.includes.includes(header)))
    return false;
  return true;
}

/** Severity, confidence and message after the first override whose condition holds. */
export function resolveSeverity(
  rule: ScanRule,
  base: { severity: Severity; confidence: Finding["confidence"]; message: string },
  context: ConditionContext,
): { severity: Severity | "off"; confidence: Finding["confidence"]; message: string } {
  for (const override of rule.severityOverrides ?? []) {
    if (!conditionHolds(override.when, context)) continue;
    return {
      severity: override.severity ?? base.severity,
      confidence: override.confidence ?? base.confidence,
      message: override.message ?? base.message,
    };
  }
  return base;
}

/** A file after its first stage: decoded and lexed, before any rule runs. */
export interface LexedSource {
  /** The file's bytes as read, with a UTF-8 byte order mark if it has one. */
  content: Buffer;
  encoding: FileEncoding;
  /** Tokens of the content after the byte order mark. */
  file: LexedFile;
  /** The top-level reading of the tokens, when a lexing worker has done it already. */
  top?: TopLevel;
}

/** Length of the UTF-8 byte order mark at the start of `content`: 3 or 0. */
export function byteOrderMarkLength(content: Uint8Array): number {
  return content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
}

/**
 * Decode and lex one file's bytes, the first stage of `scanFileBytes`. The token arrays of the result are
 * valid only until the next `lex` call in the same thread (see `lex`).
 */
export function lexFileBytes(
  content: Buffer,
  path: string,
  compiled: CompiledRules,
  options: ScanSourceOptions,
): LexedSource {
  const bytes = content.subarray(byteOrderMarkLength(content));
  const encoding: FileEncoding = isUtf8(bytes) ? "utf-8" : "iso-8859-1";
  const file = lex(bytes, { symbols: compiled.symbols, facts: factsFor(options, languageOf(path)) });
  return { content, encoding, file };
}

/**
 * Read the top level of a lexed file and keep the result in `source`, the part of `scanLexedSource` that a
 * lexing worker runs so that the calling thread has less to do.
 */
export function readSourceTopLevel(source: LexedSource, path: string, compiled: CompiledRules): LexedSource {
  source.top = readTopLevel(source.file, languageOf(path) === "cpp", compiled.keyword);
  return source;
}

/** Scan one file's bytes. `path` is the relative path findings report. */
export function scanFileBytes(
  content: Buffer,
  path: string,
  compiled: CompiledRules,
  options: ScanSourceOptions,
): FileScan {
  return scanLexedSource(lexFileBytes(content, path, compiled, options), path, compiled, options);
}

/** Run the per-file rules over a lexed file, the second stage of `scanFileBytes`. */
export function scanLexedSource(
  source: LexedSource,
  path: string,
  compiled: CompiledRules,
  options: ScanSourceOptions,
): FileScan {
  const { content, encoding, file } = source;
  const bytes = file.bytes;
  const language = languageOf(path);
  const top = source.top ?? readTopLevel(file, language === "cpp", compiled.keyword);

  const notes: FileScan["notes"] = [];
  if (encoding === "iso-8859-1") notes.push({ path, message: "not valid UTF-8; decoded as ISO-8859-1" });
  for (const problem of file.problems)
    notes.push({ path, line: lineOf(file, problem.offset), message: problem.message });

  const mainBodies = top.functions
    .filter((body) => body.name === "main")
    .map((body): [number, number] => [body.open, body.close]);
  const raw = matchFile(file, compiled, mainBodies);

  const suppressions = options.inlineSuppressions === false ? [] : readSuppressions(file, encoding);
  const index = new SuppressionIndex(suppressions);
  const disabled = new Set(options.disable ?? []);
  const defaultFacts = factsFor(options, language);

  const isDefinedAt = (token: number) => (name: string) => {
    let defined = defaultFacts.get(name)?.defined === true;
    for (const event of file.macroEvents) {
      if (event.tokenIndex >= token) break;
      if (event.name === name) defined = event.defined;
    }
    return defined;
  };
  const mentionsIn = (token: number) => (names: readonly string[]) => {
    const ids = names.map((name) => compiled.symbols.ids.get(name) ?? -2);
    const body = top.functions.find((candidate) => candidate.open < token && token < candidate.close);
    const [from, to] = body ? [body.open, body.close] : [0, file.count];
    for (let position = from; position < to; position++) {
      if (file.kinds[position] !== TokenKind.Identifier || !ids.includes(file.values[position] as number))
        continue;
      // A member such as `conn->open`, or a name in a branch OpenVMS never compiles, does not describe the code.
      const state = file.states[position];
      if (state === BranchState.Inactive || state === BranchState.Ported) continue;
      if (!isMemberName(file, position)) return true;
    }
    return false;
  };

  let headers: string[] | undefined;
  const includedHeaders = () => {
    headers ??= collectIncludes(file);
    return headers;
  };

  let alreadyPorted = 0;
  let inactive = 0;
  const findings: FileScan["findings"] = [];
  const seenLines = new Set<string>();
  for (const finding of raw) {
    const rule = finding.rule;
    if (disabled.has(rule.id) || isOutsideVersions(rule, options.vmsVersion)) continue;
    if (rule.languages && !rule.languages.includes(language)) continue;
    if (finding.calledName !== undefined && top.definedFunctions.has(finding.calledName)) continue;
    const state = file.states[finding.token] as BranchState;
    if (state === BranchState.Ported) {
      alreadyPorted++;
      continue;
    }
    if (state === BranchState.Inactive) {
      inactive++;
      if (!options.includeInactive) continue;
    }
    const resolved = resolveSeverity(
      rule,
      {
        severity: finding.severity ?? rule.severity,
        confidence: finding.confidence ?? rule.confidence,
        message: finding.message ?? rule.message,
      },
      {
        options,
        language,
        isDefined: isDefinedAt(finding.token),
        functionMentions: mentionsIn(finding.token),
        includes: includedHeaders(),
      },
    );
    if (resolved.severity === "off") continue;
    const offset = file.starts[finding.token] as number;
    const line = lineOf(file, offset);
    if (finding.onePerLine) {
      const key = `${rule.id}:${line}`;
      if (seenLines.has(key)) continue;
      seenLines.add(key);
    }
    const column = columnOf(file, line, offset, encoding);
    const end = file.ends[finding.token] as number;
    const endLine = lineOf(file, end);
    const result: FileScan["findings"][number] = {
      ruleId: rule.id,
      severity: state === BranchState.Inactive ? "info" : resolved.severity,
      confidence: resolved.confidence,
      path,
      line,
      column,
      endLine,
      endColumn: columnOf(file, endLine, end, encoding),
      message: formatMessage(resolved.message, finding.placeholders),
      fingerprint: lineText(file, line, encoding),
      context:
        state === BranchState.Inactive
          ? "inactive"
          : state === BranchState.Unknown
            ? "unknown-condition"
            : "active",
    };
    if (rule.alternative !== undefined) result.alternative = rule.alternative;
    if (finding.calledName !== undefined) result.calledName = finding.calledName;
    const suppression = index.take(rule.id, line);
    if (suppression) {
      result.suppression = {
        kind: "inline",
        ...(suppression.justification ? { justification: suppression.justification } : {}),
      };
    }
    findings.push(result);
  }
  assignFingerprints(findings, options.fingerprintBase);

  const externalNames: ExternalName[] = top.externalNames.map((token) => {
    const offset = file.starts[token] as number;
    const line = lineOf(file, offset);
    return {
      name: bytes.toString("latin1", offset, file.ends[token] as number),
      line,
      column: columnOf(file, line, offset, encoding),
      lineText: lineText(file, line, encoding),
    };
  });

  return {
    path,
    findings,
    lines: file.lineCount,
    bytes: content.length,
    encoding,
    alreadyPorted,
    inactive,
    notes,
    externalNames,
    definedFunctions: [...top.definedFunctions],
    suppressions,
  };
}

/**
 * Replace each finding's `fingerprint`, which contains its line text on entry, by the hash of rule, path, text
 * and the occurrence number among findings with the same three.
 */
export function assignFingerprints(findings: Finding[], base = ""): void {
  findings.sort(compareFindings);
  const occurrences = new Map<string, number>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\0${finding.path}\0${finding.fingerprint.trim().replace(/\s+/g, " ")}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    finding.fingerprint = fingerprintOf(finding.ruleId, finding.path, finding.fingerprint, occurrence, base);
  }
}

/** Order of findings in every output: path, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  const byPath = compareText(a.path, b.path);
  if (byPath !== 0) return byPath;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return compareText(a.ruleId, b.ruleId);
}

function readSuppressions(file: LexedFile, encoding: FileEncoding): Suppression[] {
  const list: Suppression[] = [];
  const open: Suppression[] = [];
  for (const comment of file.comments) {
    const parsed = parseDirective(comment.text);
    const line = lineOf(file, comment.offset);
    const column = columnOf(file, line, comment.offset, encoding);
    const inDeadBranch = comment.state === BranchState.Inactive || comment.state === BranchState.Ported;
    const base = { ruleIds: parsed.ruleIds, line, column, inDeadBranch, used: 0 };
    const extra = {
      ...(parsed.justification ? { justification: parsed.justification } : {}),
      ...(parsed.invalid ? { invalid: parsed.invalid } : {}),
    };
    if (parsed.kind === "line") list.push({ ...base, ...extra, scope: "line", fromLine: line, toLine: line });
    else if (parsed.kind === "file")
      list.push({ ...base, ...extra, scope: "file", fromLine: 1, toLine: file.lineCount });
    else if (parsed.kind === "next-line") {
      const target = nextCodeLine(file, comment.offset);
      list.push({ ...base, ...extra, scope: "next-line", fromLine: target, toLine: target });
    } else if (parsed.kind === "begin") {
      const range: Suppression = {
        ...base,
        ...extra,
        scope: "range",
        fromLine: line,
        toLine: file.lineCount,
      };
      list.push(range);
      open.push(range);
    } else {
      // -end closes the latest -begin with the same ids.
      const key = parsed.ruleIds.join(",");
      const position = open.findLastIndex((range) => range.ruleIds.join(",") === key);
      if (position >= 0) {
        const [range] = open.splice(position, 1);
        if (range) range.toLine = line;
      } else {
        list.push({
          ...base,
          scope: "range",
          fromLine: line,
          toLine: line,
          invalid: "vmsport-ignore-end without a matching -begin",
        });
      }
    }
  }
  for (const range of open) range.unclosed = true;
  return list;
}

/** Header names of the file's #include directives in live branches. */
function collectIncludes(file: LexedFile): string[] {
  const headers: string[] = [];
  for (let token = 0; token < file.count; token++) {
    if (file.kinds[token] !== TokenKind.HeaderName) continue;
    const state = file.states[token];
    if (state === BranchState.Inactive || state === BranchState.Ported) continue;
    headers.push(
      file.bytes.toString("latin1", (file.starts[token] as number) + 1, (file.ends[token] as number) - 1),
    );
  }
  return headers;
}

/** Line of the first token after `offset` on a later line. */
function nextCodeLine(file: LexedFile, offset: number): number {
  const line = lineOf(file, offset);
  let low = 0;
  let high = file.count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((file.starts[middle] as number) <= offset) low = middle + 1;
    else high = middle;
  }
  for (let token = low; token < file.count; token++) {
    const tokenLine = lineOf(file, file.starts[token] as number);
    if (tokenLine > line) return tokenLine;
  }
  return line + 1;
}
