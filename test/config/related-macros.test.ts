import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adjustHeader, decide, loadCrtlKnowledgeBase, type TargetSettings } from "../../src/adapt/index.js";

const knowledge = loadCrtlKnowledgeBase();
const probe = readFileSync(new URL("../../fixtures/config/autoconf-probe/config.h", import.meta.url), "utf8");

function ruleFor(macro: string) {
  const rule = knowledge.byMacro.get(macro);
  if (!rule) throw new Error(`no knowledge-base entry for ${macro}`);
  return rule;
}

/** Pairs of macros that name one facility, so both must get the same decision for OpenVMS. */
const RELATED: [string, string][] = [
  ["HAVE_ARC4RANDOM", "HAVE_ARC4RANDOM_BUF"],
  ["HAVE_GETRANDOM", "HAVE_SYS_RANDOM_H"],
  ["HAVE_SYS_UN_H", "HAVE_STRUCT_SOCKADDR_UN"],
  ["HAVE_STRERROR_R", "HAVE_DECL_STRERROR_R"],
  ["HAVE_STRUCT_SOCKADDR_SA_LEN", "HAVE_STRUCT_SOCKADDR_IN_SIN_LEN"],
];

const settings: fc.Arbitrary<TargetSettings> = fc.record(
  {
    vmsVersion: fc.constantFrom("7.3-2", "8.2", "8.4", "8.4-2L1", "8.5", "9.2"),
    pointerSize: fc.constantFrom(32 as const, 64 as const),
    target: fc.constantFrom("alpha" as const, "ia64" as const, "x86_64" as const),
  },
  { requiredKeys: [] },
);

function macroLine(text: string, macro: string): string[] {
  return text
    .split("\n")
    .filter((line) => new RegExp(`\\b${macro}\\b`).test(line) && !line.includes("vmsport:"));
}

describe("related macros", () => {
  it.each(RELATED)("%s and %s decide alike", (first, second) => {
    fc.assert(
      fc.property(settings, (target) => {
        expect(decide(ruleFor(second), target)).toEqual(decide(ruleFor(first), target));
        expect(ruleFor(second).status).toBe(ruleFor(first).status);
      }),
    );
  });

  it("undefines arc4random_buf with arc4random", () => {
    const { text } = adjustHeader(probe, knowledge, { vmsVersion: "8.4", target: "alpha" });
    expect(macroLine(text, "HAVE_ARC4RANDOM_BUF")).toEqual(["/* #undef HAVE_ARC4RANDOM_BUF */"]);
  });

  it("undefines sys/random.h with getrandom", () => {
    const { text } = adjustHeader(probe, knowledge, { vmsVersion: "8.4", target: "alpha" });
    expect(macroLine(text, "HAVE_SYS_RANDOM_H")).toEqual(["/* #undef HAVE_SYS_RANDOM_H */"]);
  });

  it("sets the strerror_r declaration to 0 before 8.5", () => {
    const { text } = adjustHeader(probe, knowledge, { vmsVersion: "8.4", target: "alpha" });
    expect(macroLine(text, "HAVE_DECL_STRERROR_R")).toEqual(["#define HAVE_DECL_STRERROR_R 0"]);
  });

  it("ties sin_len to the added _SOCKADDR_LEN", () => {
    const { text } = adjustHeader(probe, knowledge, { vmsVersion: "8.4", target: "alpha" });
    const lines = text.split("\n");
    const at = lines.indexOf("#define HAVE_STRUCT_SOCKADDR_IN_SIN_LEN 1");
    expect(lines[at - 1]).toBe("#if (defined _SOCKADDR_LEN)");
  });

  it.each(["HAVE_SYS_UN_H", "HAVE_STRUCT_SOCKADDR_UN", "STRERROR_R_CHAR_P"])(
    "keeps %s for review",
    (macro) => {
      const { report } = adjustHeader(probe, knowledge, { vmsVersion: "8.4", target: "alpha" });
      expect(report.review.find((item) => item.macro === macro)?.category).toBe("platform-test");
    },
  );

  it("names the undecided entry in the review", () => {
    const { report } = adjustHeader(probe, knowledge, {});
    expect(report.review.find((item) => item.macro === "HAVE_SYS_UN_H")?.ruleId).toBe("have-sys-un-h");
  });
});

describe("_POSIX_EXIT comment", () => {
  it("says DCL sees success severity", () => {
    const { text } = adjustHeader(probe, knowledge, {});
    const comment = text.split("\n").find((line) => line.startsWith("/* vmsport: exit()"));
    expect(comment).toBe(
      "/* vmsport: exit() passes the POSIX status to a waiting C parent, but DCL receives any non-zero status with success severity */",
    );
  });
});

describe("review of macros the sources disagree on", () => {
  it("lists a template's #undef for checking", () => {
    const template = "/* Define to 1 if you have <sys/un.h>. */\n#undef HAVE_SYS_UN_H\n";
    const { report } = adjustHeader(template, knowledge, {}, { file: "config.h.in" });
    expect(report.review).toContainEqual(
      expect.objectContaining({ macro: "HAVE_SYS_UN_H", category: "platform-test" }),
    );
  });
});
