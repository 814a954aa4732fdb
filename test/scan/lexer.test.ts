import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baseFacts } from "../../src/scan/conditions.js";
import {
  BranchState,
  type LexedFile,
  lex,
  Punct,
  punctText,
  TokenFlag,
  TokenKind,
} from "../../src/scan/lexer.js";
import { buildSymbolTable } from "../../src/scan/symbols.js";

const symbols = buildSymbolTable(["fork_count", "unix_only", "wait", "fork", "R", "u8", "BUFSIZE"]);
const facts = baseFacts({});

function lexText(text: string | Buffer): LexedFile {
  const bytes = typeof text === "string" ? Buffer.from(text, "latin1") : text;
  return lex(bytes, { symbols, facts });
}

function tokenText(file: LexedFile, index: number): string {
  return file.bytes.toString("latin1", file.starts[index], file.ends[index]);
}

/** Return each token as [kind name, text]. */
function tokensOf(file: LexedFile): [string, string][] {
  return Array.from({ length: file.count }, (_, index) => [
    TokenKind[file.kinds[index] as number] as string,
    tokenText(file, index),
  ]);
}

function lineStartsOf(file: LexedFile): number[] {
  return Array.from(file.lineStarts.subarray(0, file.lineCount));
}

describe("lexer on the tricky fixture", () => {
  const file = lexText(readFileSync(new URL("../../fixtures/scan/lexer/tricky.c", import.meta.url)));
  const tokens = tokensOf(file);

  it("token kinds and texts", () => {
    expect(tokens).toEqual([
      ["HeaderName", "<sys/wait.h>"],
      ["Identifier", "BUFSIZE"],
      ["Number", "0x1000"],
      ["Identifier", "static"],
      ["Identifier", "const"],
      ["Identifier", "char"],
      ["Punct", "*"],
      ["Identifier", "p"],
      ["Punct", "="],
      ["String", 'R"path(/usr/lib)"s")path"'],
      ["Punct", ";"],
      ["Identifier", "wchar_t"],
      ["Identifier", "w"],
      ["Punct", "="],
      ["Char", "L'x'"],
      ["Punct", ";"],
      ["Identifier", "char8_t"],
      ["Punct", "*"],
      ["Identifier", "s"],
      ["Punct", "="],
      ["String", 'u8"\\xc3\\xa9t\\xc3\\xa9"'],
      ["Punct", ";"],
      ["Identifier", "long"],
      ["Identifier", "n"],
      ["Punct", "="],
      ["Number", "1'000'000L"],
      ["Punct", "+"],
      ["Number", "1e+5"],
      ["Punct", "+"],
      ["Number", ".5f"],
      ["Punct", ";"],
      ["Identifier", "int"],
      ["Identifier", "fo\\\nrk_count"],
      ["Punct", "="],
      ["Identifier", "a"],
      ["Punct", "->"],
      ["Identifier", "b"],
      ["Punct", "<<"],
      ["Number", "2"],
      ["Punct", ";"],
      ["Identifier", "defined"],
      ["Punct", "("],
      ["Identifier", "__VMS"],
      ["Punct", ")"],
      ["Punct", "&&"],
      ["Identifier", "BUFSIZE"],
      ["Punct", ">="],
      ["Number", "4096"],
      ["Identifier", "int"],
      ["Identifier", "vms_only"],
      ["Punct", ";"],
      ["Identifier", "int"],
      ["Identifier", "unix_only"],
      ["Punct", ";"],
      ["Identifier", "can"],
      ["Char", "'t build here"],
    ]);
  });

  it("symbol ids and punctuator codes", () => {
    expect(file.values[32]).toBe(symbols.ids.get("fork_count"));
    expect(file.values[52]).toBe(symbols.ids.get("unix_only"));
    expect(file.values[1]).toBe(symbols.ids.get("BUFSIZE"));
    expect(file.values[3]).toBe(-1);
    expect(file.values[35]).toBe(Punct.Arrow);
    expect(file.values[37]).toBe(Punct.ShiftLeft);
    expect(file.values[44]).toBe(Punct.And);
    expect(file.values[6]).toBe(42);
  });

  it("directive flags", () => {
    const include =
      TokenFlag.Directive | TokenFlag.Include | TokenFlag.DirectiveStart | TokenFlag.SpaceBefore;
    expect(file.flags[0]).toBe(include);
    const defineName =
      TokenFlag.Directive | TokenFlag.DefineName | TokenFlag.DirectiveStart | TokenFlag.SpaceBefore;
    expect(file.flags[1]).toBe(defineName);
    expect(file.flags[2]).toBe(TokenFlag.Directive | TokenFlag.DefineBody | TokenFlag.SpaceBefore);
    expect(file.flags[40]).toBe(
      TokenFlag.Directive | TokenFlag.Condition | TokenFlag.DirectiveStart | TokenFlag.SpaceBefore,
    );
    expect(file.flags[41]).toBe(TokenFlag.Directive | TokenFlag.Condition);
    expect(file.flags[54]).toBe(TokenFlag.Directive | TokenFlag.DirectiveStart | TokenFlag.SpaceBefore);
  });

  it("splice and space flags", () => {
    expect(file.flags[32]).toBe(TokenFlag.Splice | TokenFlag.SpaceBefore);
    expect(file.flags[3]).toBe(TokenFlag.SpaceBefore);
    expect(file.flags[6]).toBe(TokenFlag.SpaceBefore);
    expect(file.flags[7]).toBe(0);
    expect(file.flags[10]).toBe(0);
  });

  it("branch states", () => {
    const states = Array.from(file.states.subarray(0, file.count));
    expect(states.slice(0, 48).every((state) => state === BranchState.Active)).toBe(true);
    expect(states.slice(48, 51)).toEqual([BranchState.Active, BranchState.Active, BranchState.Active]);
    expect(states.slice(51, 54)).toEqual([BranchState.Ported, BranchState.Ported, BranchState.Ported]);
    expect(states.slice(54)).toEqual([BranchState.Active, BranchState.Active]);
  });

  it("macro events and define names", () => {
    expect(file.macroEvents).toEqual([{ name: "BUFSIZE", tokenIndex: 1, defined: true }]);
    expect(file.defineNames).toEqual([1]);
  });

  it("suppression comment", () => {
    const offset = file.bytes.indexOf("// vmsport-ignore");
    expect(file.comments).toEqual([
      { text: "vmsport-ignore VMS1001 -- ported above", offset, state: BranchState.Ported },
    ]);
  });

  it("no problems", () => {
    expect(file.problems).toEqual([]);
  });

  it("line starts", () => {
    const expected = [0];
    for (let index = 0; index < file.bytes.length; index++)
      if (file.bytes[index] === 10) expected.push(index + 1);
    expect(lineStartsOf(file)).toEqual(expected);
  });
});

describe("lexer edge cases", () => {
  it("cr, crlf and lf line ends", () => {
    const file = lexText("a\rb\r\nc\nd");
    expect(lineStartsOf(file)).toEqual([0, 2, 5, 7]);
    expect(tokensOf(file).map(([, text]) => text)).toEqual(["a", "b", "c", "d"]);
  });

  it("splice with blanks and crlf", () => {
    const file = lexText("x = 1 \\ \t\r\n+ 2;");
    expect(tokensOf(file).map(([, text]) => text)).toEqual(["x", "=", "1", "+", "2", ";"]);
    expect(lineStartsOf(file)).toEqual([0, 11]);
  });

  it("backslash at end of file", () => {
    const file = lexText("a \\");
    expect(tokensOf(file)).toEqual([
      ["Identifier", "a"],
      ["Punct", "\\"],
    ]);
  });

  it("unterminated comment resumes next line", () => {
    const file = lexText("int a; /* open\nint b;\n");
    expect(tokensOf(file).map(([, text]) => text)).toEqual(["int", "a", ";", "int", "b", ";"]);
    expect(file.problems).toEqual([
      { offset: 7, message: "unterminated comment; scanning resumes on the next line" },
    ]);
    expect(lineStartsOf(file)).toEqual([0, 15, 22]);
  });

  it("unterminated raw string", () => {
    const file = lexText('s = R"x(never closed\nt;');
    // After the failed raw string, `R` is an identifier and the quote starts an ordinary string.
    expect(file.problems).toEqual([
      { offset: 5, message: "unterminated raw string literal" },
      { offset: 5, message: "unterminated string literal" },
    ]);
    expect(tokensOf(file).slice(0, 4)).toEqual([
      ["Identifier", "s"],
      ["Punct", "="],
      ["Identifier", "R"],
      ["String", '"x(never closed'],
    ]);
  });

  it("raw string delimiter too long", () => {
    const file = lexText('R"abcdefghijklmnopqr(x)abcdefghijklmnopqr"');
    expect(tokensOf(file)[0]).toEqual(["Identifier", "R"]);
  });

  it("raw string keeps its line starts", () => {
    const file = lexText('LR"(a\nb)" c');
    expect(tokensOf(file)).toEqual([
      ["String", 'LR"(a\nb)"'],
      ["Identifier", "c"],
    ]);
    expect(lineStartsOf(file)).toEqual([0, 6]);
  });

  it("prefixes that are identifiers", () => {
    const file = lexText("u8x'a' uR'b' LL\"c\"");
    expect(tokensOf(file)).toEqual([
      ["Identifier", "u8x"],
      ["Char", "'a'"],
      ["Identifier", "uR"],
      ["Char", "'b'"],
      ["Identifier", "LL"],
      ["String", '"c"'],
    ]);
  });

  it("unterminated literal problems", () => {
    const live = lexText("x = 'a;\n");
    expect(live.problems).toEqual([{ offset: 4, message: "unterminated character literal" }]);
    const dead = lexText("#if 0\nit's\n#endif\n");
    expect(dead.problems).toEqual([]);
    const error = lexText('#error "no\n');
    expect(error.problems).toEqual([]);
  });

  it("conditional nesting problems", () => {
    const file = lexText("a\n#else\n#if 1\n");
    expect(file.problems).toEqual([
      { offset: 0, message: "#else without a matching #if" },
      { offset: 14, message: "1 #if without a matching #endif at the end of the file" },
    ]);
  });

  it("define in unknown branch forgets the macro", () => {
    const file = lexText("#define X 1\n#ifdef UNKNOWN\n#define X 2\n#endif\n#if X\ny\n#endif\n");
    const y = tokensOf(file).findIndex(([, text]) => text === "y");
    expect(file.states[y]).toBe(BranchState.Unknown);
    expect(file.macroEvents).toEqual([{ name: "X", tokenIndex: 0, defined: true }]);
  });

  it("spliced macro name", () => {
    const file = lexText("#define BUF\\\nSIZE 8\n#if BUFSIZE == 8\nz\n#endif\n");
    expect(file.macroEvents[0]?.name).toBe("BUFSIZE");
    expect(file.values[0]).toBe(symbols.ids.get("BUFSIZE"));
    const z = tokensOf(file).findIndex(([, text]) => text === "z");
    expect(file.states[z]).toBe(BranchState.Active);
  });

  it("nul and high bytes", () => {
    const file = lexText(Buffer.from([0x61, 0x00, 0x62, 0x20, 0xe9, 0x74, 0xe9]));
    expect(tokensOf(file)).toEqual([
      ["Identifier", "a"],
      ["Punct", "\0"],
      ["Identifier", "b"],
      ["Identifier", "\xe9t\xe9"],
    ]);
  });

  it("empty input", () => {
    const file = lexText("");
    expect(file.count).toBe(0);
    expect(lineStartsOf(file)).toEqual([0]);
  });

  // The core keeps its largest arrays between calls, so these run before the larger inputs below.
  it("more tokens than estimated", () => {
    const file = lexText(";".repeat(300_000));
    expect(file.count).toBe(300_000);
    expect(file.ends[299_999]).toBe(300_000);
  });

  it("more lines than estimated", () => {
    const file = lexText(`${"\n".repeat(100_000)}x`);
    expect(file.lineCount).toBe(100_001);
    expect(file.lineStarts[100_000]).toBe(100_000);
    expect(tokensOf(file)).toEqual([["Identifier", "x"]]);
  });

  it("input larger than the first layout", () => {
    const line = "int fork_count = 1; /* c */\n";
    const text = line.repeat(Math.ceil((600 * 1024) / line.length));
    const file = lexText(text);
    expect(file.count).toBe((text.length / line.length) * 5);
    expect(file.values[1]).toBe(symbols.ids.get("fork_count"));
    expect(file.lineCount).toBe(text.length / line.length + 1);
  });

  it("many events", () => {
    const text = "// vmsport-ignore\n".repeat(20_000);
    expect(lexText(text).comments).toHaveLength(20_000);
  });
});

const PUNCTUATORS = [
  "->",
  "::",
  "<<",
  ">>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "##",
  "(",
  ";",
  "<",
  "#",
  ".",
];

/** C-like source text from fragments, with every kind of line end and some arbitrary bytes. */
const sourceText = fc
  .array(
    fc.oneof(
      fc.constantFrom("x", "fork", "fork_count", "_a9", "u8", "R", "L", "defined", "__VMS", "BUFSIZE"),
      fc.constantFrom("0x1F", "1e+5", ".5", "1'000", "10UL"),
      fc.constantFrom('"s\\"t"', "'c'", '"open', 'R"d(raw\n)d"', 'u8"x"', "L'w'", 'R"(open'),
      fc.constantFrom("/* c\n */", "// l", "/* open", "//\\\nx", "// vmsport-ignore"),
      fc.constantFrom("#if 1", "#ifdef __VMS", "#else", "#endif", "#define BUFSIZE 8", "#include <a.h>"),
      fc.constantFrom(...PUNCTUATORS),
      fc.constantFrom(" ", "\t", "\\\n", "\\ \r\n", "\n", "\r", "\r\n"),
      fc.uint8Array({ minLength: 1, maxLength: 4 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    ),
    { maxLength: 80 },
  )
  .map((parts) => Buffer.from(parts.join(""), "latin1"));

describe("lexer properties", () => {
  it("tokens ordered inside the input", () => {
    fc.assert(
      fc.property(sourceText, (bytes) => {
        const file = lexText(bytes);
        let previousEnd = 0;
        for (let index = 0; index < file.count; index++) {
          const start = file.starts[index] as number;
          const end = file.ends[index] as number;
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(bytes.length);
          previousEnd = end;
        }
      }),
    );
  });

  it("one line start after each line end", () => {
    fc.assert(
      fc.property(sourceText, (bytes) => {
        const expected = [0];
        for (let index = 0; index < bytes.length; index++) {
          if (bytes[index] === 10) expected.push(index + 1);
          else if (bytes[index] === 13 && bytes[index + 1] !== 10) expected.push(index + 1);
        }
        expect(lineStartsOf(lexText(bytes))).toEqual(expected);
      }),
    );
  });

  it("values match token texts", () => {
    fc.assert(
      fc.property(sourceText, (bytes) => {
        const file = lexText(bytes);
        for (let index = 0; index < file.count; index++) {
          const kind = file.kinds[index];
          const text = tokenText(file, index).replace(/\\[ \t]*(\r\n|\r|\n)/g, "");
          if (kind === TokenKind.Identifier) expect(file.values[index]).toBe(symbols.ids.get(text) ?? -1);
          else if (kind === TokenKind.Punct) expect(punctText(file.values[index] as number)).toBe(text);
          else expect(file.values[index]).toBe(-1);
        }
      }),
    );
  });
});
