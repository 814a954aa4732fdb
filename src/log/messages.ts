/**
 * Recognisers for lines that are not commands: compiler diagnostics and their context lines, make's
 * failure messages, silent-rule progress lines and the chatter of make, ninja, cmake, configure and libtool.
 * Localised forms cover GNU make 4.3's German and French catalogues and gcc 12's German messages.
 * NOTE: the French gcc severity words (`erreur`, `attention`) were not checked against gcc's catalogue.
 */
import type { DiagnosticSeverity } from "../model/steps.js";

export interface DiagnosticLine {
  severity: DiagnosticSeverity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

const SEVERITY_WORDS: Record<string, DiagnosticSeverity> = {
  error: "error",
  "fatal error": "error",
  warning: "warning",
  note: "note",
  Fehler: "error",
  "schwerwiegender Fehler": "error",
  Warnung: "warning",
  Anmerkung: "note",
  erreur: "error",
  "erreur fatale": "error",
  attention: "warning",
  avertissement: "warning",
  remarque: "note",
};

const POSITIONED =
  /^(.+?):(\d+)(?::(\d+))?:[\s\u00a0]+(fatal error|error|warning|note|schwerwiegender Fehler|Fehler|Warnung|Anmerkung|erreur fatale|erreur|attention|avertissement|remarque|note)[\s\u00a0]?:[\s\u00a0]?(.*)$/;
const UNPOSITIONED =
  /^([^\s:]+):[\s\u00a0]+(fatal error|error|warning|note|schwerwiegender Fehler|Fehler|Warnung|Anmerkung|erreur fatale|erreur|attention|avertissement|remarque)[\s\u00a0]?:[\s\u00a0]?(.*)$/;

/** Recognises `file:line:column: warning: text` and `program: error: text` in English, German or French. */
export function parseDiagnostic(text: string): DiagnosticLine | undefined {
  // Both forms need a colon; most command lines have none, and the patterns would scan all of them.
  if (!text.includes(":")) return undefined;
  const positioned = POSITIONED.exec(text);
  if (positioned) {
    return {
      severity: SEVERITY_WORDS[positioned[4] as string] ?? "note",
      message: positioned[5] as string,
      file: positioned[1] as string,
      line: Number(positioned[2]),
      ...(positioned[3] === undefined ? {} : { column: Number(positioned[3]) }),
    };
  }
  const bare = UNPOSITIONED.exec(text);
  if (bare) {
    return {
      severity: SEVERITY_WORDS[bare[2] as string] ?? "note",
      message: bare[3] as string,
      file: bare[1] as string,
    };
  }
  return undefined;
}

const INCLUDED_FROM =
  /^(?:In file included from|In Datei, eingebunden von|Dans le fichier inclus depuis|[\s\u00a0]+(?:from|von|depuis)) (.+?):\d+(?::\d+)?[:,]?$/;
const IN_FUNCTION =
  /^(.+?):[\s\u00a0]+(?:In (?:function|member function|constructor|destructor|static member function|instantiation of|lambda function)|At (?:top level|global scope)|In Funktion|In Elementfunktion|Auf höchster Ebene|Dans la fonction|Hors de toute fonction|Au niveau global)\b.*:$/;
// gcc 9 and later quote the source line as `  12 | code` and mark it with `     | ^~~~`.
const CARET_CONTEXT = /^[\s\u00a0]*(?:\d+[\s\u00a0]*)?(?:\||\+\+\+ \|)/;
// gcc's inlining context: `In function 'f',` then `    inlined from 'g' at file.c:12:3:`, in English and
// German (`In Funktion »f«,` and `eingefügt von »g« bei file.c:12:3:`).
const INLINED =
  /^(?:In (?:function|Funktion) .*,|[\s\u00a0]+(?:inlined from|eingefügt von) .* (?:at|bei) .*:\d+:\d+[,:])$/;
// Closing remarks of gcc after its diagnostics.
const COMPILER_EPILOGUE =
  /^(?:cc1(?:plus|obj)?: some warnings being treated as errors|compilation terminated(?: due to -Wfatal-errors)?\.)$/;
const LINKER_CONTEXT = /^(?:\/\S*\/)?(?:ld|ld\.bfd|ld\.gold|ld\.lld|collect2)(?:\.\S+)?: /;
// GNU ld names a relocation by object or source file, section and offset: `main.c:(.text+0x74): undefined …`.
const LINKER_RELOCATION = /^\S+:\(\.[\w.$]*\+0x[0-9a-fA-F]+\): /;

/** Recognises the lines gcc prints around a diagnostic; returns the file they name, if any. */
export function parseDiagnosticContext(text: string): { file?: string; header?: boolean } | undefined {
  // The include, function and linker forms need a colon, so they are skipped for lines without one.
  const colon = text.includes(":");
  if (colon) {
    const included = INCLUDED_FROM.exec(text);
    if (included) return { file: included[1] as string };
    const inFunction = IN_FUNCTION.exec(text);
    if (inFunction) return { file: inFunction[1] as string, header: true };
  }
  if (INLINED.test(text) || COMPILER_EPILOGUE.test(text)) return {};
  if (CARET_CONTEXT.test(text)) return {};
  if (colon && (LINKER_CONTEXT.test(text) || LINKER_RELOCATION.test(text))) return {};
  if (/^[\s\u00a0]+\^/.test(text)) return {};
  return undefined;
}

export interface MakeFailure {
  target: string;
  exitStatus: number;
  ignored: boolean;
}

// `make[2]: *** [Makefile:12: lobject.o] Error 1`, the older `make: *** [lobject.o] Error 1`, and
// `make[1]: [Makefile:5: clean] Error 1 (ignored)`, in English, German and French.
const MAKE_FAILURE =
  /^(?:\S*make)(?:\[\d+\])?[\s\u00a0]?: (?:\*\*\* )?\[(?:[^\]]*?[\s\u00a0]?: )?(.+?)\] (?:Error|Fehler|Erreur) (\d+)(.*)$/;

/** Recognises make's report that a recipe failed. */
export function parseMakeFailure(text: string): MakeFailure | undefined {
  const match = MAKE_FAILURE.exec(text);
  if (!match) return undefined;
  const rest = match[3] as string;
  return {
    target: match[1] as string,
    exitStatus: Number(match[2]),
    ignored: /\((?:ignored|ignoriert|ignorée)\)/.test(rest),
  };
}

/** Recognises ninja's `FAILED: out1 out2` line, which precedes the failed command. */
export function parseNinjaFailure(text: string): string[] | undefined {
  if (!text.startsWith("FAILED: ")) return undefined;
  return text
    .slice(8)
    .split(" ")
    .filter((word) => word !== "");
}

// A silent rule's progress line: indentation, an upper-case tag and one target (automake `  CC  x.lo`,
// OTP ` CC\tobj/x.o`, redis `    CC adlist.o`, Linux-style `  CCLD  prog`).
const SILENT_RULE = /^[\s]+([A-Z][A-Z0-9+_]{1,9})[\s]+(\S+)[\s]*$/;
// Hand-written Makefiles often print the tag at the start of the line (`@echo "CC $@"`). Without the
// indentation any upper-case word would match, so only the tags of compile, link and archive rules count.
// The target starts like a file name, so a settings listing such as redis's `CXX   : g++` does not count.
const UNINDENTED_SILENT_RULE = /^(CC|CXX|CPP|AS|LD|CCLD|CXXLD|AR|RANLIB|LINK|GEN)[ \t]+([\w./][^\s]*)[\s]*$/;

/** Recognises a silent-rule progress line and returns its tag and target. */
export function parseSilentRule(text: string): { tag: string; target: string } | undefined {
  const match = SILENT_RULE.exec(text) ?? UNINDENTED_SILENT_RULE.exec(text);
  if (!match) return undefined;
  return { tag: match[1] as string, target: match[2] as string };
}

const MAKING_IN =
  /^Making (?:all|install|check|clean|distclean|install-exec|install-data|uninstall|mostlyclean|maintainer-clean|install-am|all-am) in (\S+)$/;

/** Recognises automake's `Making all in DIR` and returns DIR. */
export function parseMakingIn(text: string): string | undefined {
  return MAKING_IN.exec(text)?.[1];
}

const CHATTER: readonly RegExp[] = [
  /^\S*make(?:\[\d+\])?[\s\u00a0]?: /,
  /^ninja: /,
  /^(?:checking|Checking|Looking for|Building|Using|Found|configure|config\.status|creating|Creating) /,
  /^(?:configure|config\.status|libtoolize|autoreconf|aclocal|automake|autoconf|libtool|ar|ranlib|install|cp|mv|rm|ln|mkdir|touch|chmod):[\s\u00a0]/,
  /^-- /,
  /^CMake (?:Warning|Error|Deprecation Warning)/,
  /^\[\s*\d+%\] /,
  /^(?:Scanning dependencies of target|Consolidate compiler generated dependencies of target|Built target|Dependee |Dependencies file|Clearing dependencies) /,
  /^=== (?:Entering|Leaving) application /,
  /^[A-Z][a-z]+ [^=|&;<>]*\.\.\.$/,
  /^a - /,
  /^\*\*\* /,
  /^(?:warning|Warning|WARNING|error|Error|ERROR|note|Note|NOTE)\b/,
  /^\s*(?:\.\.\.|\*\*\*)/,
  /^Call Stack|^Makefile:\d+: /,
  /^[A-Za-z_./-]+\.(?:mk|make|am|in):\d+: /,
  // `make --trace` names the rule, or the built-in rules, of each target it updates. The English, German and
  // French forms are those of GNU make 4.3 and its catalogues, including their quotes and spaces.
  /^(?:<builtin>|<eingebaut>|<commande interne>|\S+:\d+)[\s\u00a0]?: (?:update target '.*' due to: |target '.*' does not exist$|Ziel „.*“ wird aktualisiert wegen: |Archiv „.*“ existiert nicht$|mise à jour de la cible «.*» causée par[\s\u00a0]?: |la cible «.*» n'existe pas$)/,
];

/** Recognises a status line of make, ninja, cmake, configure, libtool or ar that carries no command. */
export function isChatter(text: string): boolean {
  for (const pattern of CHATTER) if (pattern.test(text)) return true;
  return false;
}
