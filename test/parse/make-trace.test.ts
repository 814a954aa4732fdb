/**
 * The fixtures `real-make-silent-v1` and `real-make-trace-silent` come from one Makefile with silent rules,
 * built by GNU make 4.3 with `make V=1` and with `make --trace`. That project is kept in
 * `real-make-trace-silent/project`. Both logs show every command, so they
 * must give the same steps, apart from the `V=` that the top make passes to the sub-make. Under `make -j2`
 * the steps come in another order.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import type { BuildStep } from "../../src/model/steps.js";

const root = path.resolve(import.meta.dirname, "../../fixtures/parse");

function parseFixture(name: string) {
  return parseLogText(readFileSync(path.join(root, name, "build.log")), { file: "build.log" });
}

/** Return the build steps in a fixed order, without the fields that depend on their position in the log. */
function shapes(steps: readonly BuildStep[]): string[] {
  return steps
    .filter((step) => !(step.kind === "shell" && step.operation === "submake"))
    .map((step) => {
      const { index: _index, origin: _origin, command: _command, ...rest } = step;
      return JSON.stringify(rest);
    })
    .sort();
}

describe("make --trace log", () => {
  const verbose = parseFixture("real-make-silent-v1");
  for (const name of ["real-make-trace-silent", "real-make-trace-silent-j2", "real-make-trace-german"]) {
    it(`${name} matches V=1 steps`, () => {
      const traced = parseFixture(name);
      expect(shapes(traced.steps)).toEqual(shapes(verbose.steps));
      expect(traced.summary.steps).toEqual(verbose.summary.steps);
      expect(traced.summary.silentRuleTargets).toBe(verbose.summary.silentRuleTargets);
    });
  }
});
