import { describe, expect, it } from "vitest";
import { quoteShellWord, splitCommandLine } from "../../src/log/shell.js";

function words(text: string): string[][] {
  return splitCommandLine(text).commands.map((command) => command.words);
}

describe("splitCommandLine", () => {
  it("removes single and double quotes", () => {
    expect(words(`cc '-DA="x y"' "-DB=it's" -DC=\\"q\\"`)).toEqual([
      ["cc", '-DA="x y"', "-DB=it's", '-DC="q"'],
    ]);
  });

  it("keeps backslashes that double quotes do not escape", () => {
    expect(words(`echo "a\\nb" "c\\$d"`)).toEqual([["echo", "a\\nb", "c$d"]]);
  });

  it("joins adjacent quoted parts into one word", () => {
    expect(words(`gcc -DDATADIR=\\""/opt/app/"\\" -c x.c`)).toEqual([
      ["gcc", '-DDATADIR="/opt/app/"', "-c", "x.c"],
    ]);
  });

  it("keeps an empty quoted word", () => {
    expect(words("cc -DX='' ''")).toEqual([["cc", "-DX=", ""]]);
  });

  it("splits at control operators", () => {
    const line = splitCommandLine("a && b || c; d | e & f");
    expect(line.commands.map((command) => [command.words[0], command.connector])).toEqual([
      ["a", ""],
      ["b", "&&"],
      ["c", "||"],
      ["d", ";"],
      ["e", "|"],
      ["f", "&"],
    ]);
  });

  it("separates redirections from words", () => {
    const [command] = splitCommandLine("gcc -c a.c > out.txt 2>&1 2>/dev/null <in").commands;
    expect(command?.words).toEqual(["gcc", "-c", "a.c"]);
    expect(command?.redirections).toEqual([
      { operator: ">", target: "out.txt" },
      { operator: "2>&1", target: "" },
      { operator: "2>", target: "/dev/null" },
      { operator: "<", target: "in" },
    ]);
  });

  it("takes VAR=value prefixes as environment", () => {
    const [command] = splitCommandLine("LC_ALL=C CFLAGS='-O2 -g' gcc X=1").commands;
    expect(command?.environment).toEqual({ LC_ALL: "C", CFLAGS: "-O2 -g" });
    expect(command?.words).toEqual(["gcc", "X=1"]);
  });

  it("records subshell scopes", () => {
    const line = splitCommandLine("(cd sub && make) && make");
    expect(line.commands.map((command) => command.depth)).toEqual([1, 1, 0]);
    expect(line.commands[0]?.scope).toEqual(line.commands[1]?.scope);
    expect(line.commands[2]?.scope).toEqual([0]);
  });

  it("applies a group redirection to the group", () => {
    const line = splitCommandLine("{ echo a; echo b; } > conf.h");
    expect(line.commands.map((command) => command.redirections[0]?.target)).toEqual(["conf.h", "conf.h"]);
  });

  it("keeps command substitutions unexpanded", () => {
    const [command] = splitCommandLine("gcc -DV=$(cat VERSION) -c `echo x.c`").commands;
    expect(command?.words).toEqual(["gcc", "-DV=$(cat VERSION)", "-c", "`echo x.c`"]);
    expect(command?.unexpanded).toBe(true);
  });

  it("resolves the automake source idiom", () => {
    const [command] = splitCommandLine("gcc -c `test -f 'src/x.c' || echo './'`src/x.c").commands;
    expect(command?.words).toEqual(["gcc", "-c", "src/x.c"]);
    expect(command?.unexpanded).toBe(false);
  });

  it("reports an unterminated quote", () => {
    expect(splitCommandLine(`echo "open`).incomplete).toBe(true);
  });

  it("reports an unbalanced parenthesis", () => {
    expect(splitCommandLine("Hint: run 'make test' ;)").incomplete).toBe(true);
  });

  it("stops at a comment", () => {
    expect(words("gcc -c a.c # not this")).toEqual([["gcc", "-c", "a.c"]]);
  });
});

describe("quoteShellWord", () => {
  it("leaves plain words bare", () => {
    expect(quoteShellWord("-DX=1")).toBe("-DX=1");
  });

  it("quotes words with blanks and quotes", () => {
    expect(quoteShellWord(`it's "x"`)).toBe(`'it'\\''s "x"'`);
  });

  it("round-trips through the splitter", () => {
    const original = ["cc", `-DA="x y"`, "it's", "", "$HOME"];
    expect(words(original.map(quoteShellWord).join(" "))).toEqual([original]);
  });
});
