import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cmakeBookkeeping } from "../../src/emit/cmake.js";
import { Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { options } from "./steps.js";

function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/translate/logs/${name}`, import.meta.url)));
}

function translateLog(name: string) {
  const parsed = parseLogText(fixture(name), { file: name });
  return { parsed, plan: Translator.translate(parsed.steps, options()) };
}

function stepOf(command: string) {
  const parsed = parseLogText(`make: Entering directory '/home/user/src/proj'\n${command}\n`, {
    file: "build.log",
  });
  const step = parsed.steps[0];
  if (step === undefined) throw new Error(`no step for ${command}`);
  return step;
}

describe("cmake bookkeeping", () => {
  it("translates a VERBOSE=1 log completely", () => {
    expect(translateLog("cmake-verbose.log").plan.summary.notTranslated).toBe(0);
  });

  it("still links the executable", () => {
    const { plan } = translateLog("cmake-verbose.log");
    expect(plan.steps.some((planned) => planned.product?.kind === "executable")).toBe(true);
  });

  it("comments the progress start", () => {
    const result = cmakeBookkeeping(stepOf("/usr/bin/cmake -E cmake_progress_start /p/CMakeFiles 0"));
    expect(result?.disposition).toBe("commented");
  });

  it("comments the colour echo", () => {
    const result = cmakeBookkeeping(
      stepOf('/usr/bin/cmake -E cmake_echo_color --green --progress-num=1 "Linking C executable x"'),
    );
    expect(result?.reason).toContain("not needed on OpenVMS");
  });

  it("comments the clean-target script", () => {
    const result = cmakeBookkeeping(stepOf("/usr/bin/cmake -P CMakeFiles/x.dir/cmake_clean_target.cmake"));
    expect(result?.disposition).toBe("commented");
  });

  it("keeps a silent link script untranslated", () => {
    const result = cmakeBookkeeping(stepOf("/usr/bin/cmake -E cmake_link_script CMakeFiles/x.dir/link.txt"));
    expect(result?.disposition).toBe("not-translated");
  });

  it("names the hidden link script", () => {
    const result = cmakeBookkeeping(stepOf("/usr/bin/cmake -E cmake_link_script CMakeFiles/x.dir/link.txt"));
    expect(result?.reason).toContain("CMakeFiles/x.dir/link.txt");
  });

  it("ignores other cmake commands", () => {
    expect(cmakeBookkeeping(stepOf("/usr/bin/cmake -E copy a.h b.h"))).toBeUndefined();
  });
});

describe("linker diagnostics", () => {
  it("makes no step of an undefined reference", () => {
    const { parsed } = translateLog("cmake-undefined.log");
    expect(parsed.steps.some((step) => step.command.includes("undefined reference"))).toBe(false);
  });

  it("leaves no step untranslated", () => {
    expect(translateLog("cmake-undefined.log").plan.summary.notTranslated).toBe(0);
  });
});
