/**
 * A parser that starts mid-log lists the lookups of recent steps that found nothing, so the coordinator can
 * ask them again of the real window. Each distinct lookup is listed once.
 */
import { describe, expect, it } from "vitest";
import type { LogicalLine } from "../../src/log/lines.js";
import { LogParser } from "../../src/log/parser.js";

function midLogParser(): LogParser {
  return new LogParser({
    file: "x.log",
    initialDirectory: ".",
    readResponseFile: undefined,
    responseFileRoots: [],
    start: { active: [], inferred: undefined },
  });
}

function line(text: string, number: number): LogicalLine {
  return { text, startLine: number, endLine: number, latin1: false };
}

describe("LogParser dependencies", () => {
  it("lists a repeated miss once", () => {
    const parser = midLogParser();
    for (let k = 1; k <= 500; k++) parser.push(line("x.h:4:2: note: declared here", k));
    expect(parser.dependencies().windowMisses).toEqual([{ kind: "compile", file: "x.h" }]);
  });

  it("lists distinct misses apart", () => {
    const parser = midLogParser();
    parser.push(line("x.h:4:2: note: declared here", 1));
    parser.push(line("y.h:4:2: note: declared here", 2));
    expect(parser.dependencies().windowMisses).toHaveLength(2);
  });

  it("replaces many distinct misses by any", () => {
    const parser = midLogParser();
    for (let k = 1; k <= 300; k++) parser.push(line(`h${k}.h:4:2: note: declared here`, k));
    expect(parser.dependencies().windowMisses).toEqual([{ kind: "any" }]);
  });
});
