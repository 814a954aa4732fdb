import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CRTL_FACT_FILES,
  expandCrtlRules,
  functionNameOf,
  headerNameOf,
  readCrtlFactNames,
} from "../../src/rules/scan/crtl-facts.js";
import { loadScanRules, readScanRuleFile } from "../../src/rules/scan/load.js";
import type { ScanRule } from "../../src/rules/scan/model.js";
import { compileRules } from "../../src/scan/compile.js";
import { scanFileBytes } from "../../src/scan/file-scan.js";

const factFiles = {
  call: fileURLToPath(new URL("../../fixtures/scan/crtl-facts/functions.yaml", import.meta.url)),
  include: fileURLToPath(new URL("../../fixtures/scan/crtl-facts/headers.yaml", import.meta.url)),
};

/** Build a rule with only the fields that `expandCrtlRules` reads. */
function rule(id: string, match: ScanRule["match"]): ScanRule {
  return {
    id,
    title: id,
    family: "limits",
    severity: "error",
    confidence: "medium",
    message: "{name}: {detail} ({macro})",
    match,
    examples: { fire: [], pass: [] },
    kind: Object.keys(match)[0] as ScanRule["kind"],
    file: "test.yaml",
  };
}

describe("functionNameOf", () => {
  it("name confirmed by the title", () => {
    expect(functionNameOf({ macro: "HAVE_POSIX_SPAWN", title: "posix_spawn() is absent" })).toBe(
      "posix_spawn",
    );
  });

  it("name that starts with the title's first word", () => {
    expect(functionNameOf({ macro: "HAVE_EPOLL_CREATE1", title: "epoll is Linux-only" })).toBe(
      "epoll_create1",
    );
  });

  it("macro that names no function", () => {
    const entry = { macro: "HAVE_GLIBC_STRERROR_R", title: "the GNU strerror_r() variant is glibc-only" };
    expect(functionNameOf(entry)).toBeUndefined();
  });

  it("macro without HAVE_", () => {
    expect(functionNameOf({ macro: "USE_FORK", title: "fork() is absent" })).toBeUndefined();
  });
});

describe("headerNameOf", () => {
  it("header confirmed by the macro", () => {
    expect(headerNameOf({ macro: "HAVE_SYS_UN_H", title: "<sys/un.h> (AF_UNIX) is absent" })).toBe(
      "sys/un.h",
    );
  });

  it("title with a pattern", () => {
    expect(
      headerNameOf({ macro: "HAVE_LINUX_FS_H", title: "<linux/*> headers are Linux-only" }),
    ).toBeUndefined();
  });

  it("macro of another header", () => {
    expect(headerNameOf({ macro: "HAVE_SYS_UN_H", title: "<ifaddrs.h> is absent" })).toBeUndefined();
  });

  it("entry without a macro", () => {
    expect(headerNameOf({ title: "<asm/*> headers are Linux-only" })).toBeUndefined();
  });
});

describe("readCrtlFactNames", () => {
  it("absent functions in file order", () => {
    const { names } = readCrtlFactNames("call", "absent", factFiles.call);
    expect(names.map((entry) => entry.name)).toEqual(["fork", "getrandom", "epoll_wait"]);
  });

  it("entries without a derivable name", () => {
    expect(readCrtlFactNames("call", "absent", factFiles.call).unnamed).toEqual(["have-gnu-variant"]);
  });

  it("absent headers", () => {
    const { names, unnamed } = readCrtlFactNames("include", "absent", factFiles.include);
    expect(names.map((entry) => entry.name)).toEqual(["ifaddrs.h", "sys/epoll.h"]);
    expect(unnamed).toEqual(["have-linux-fs-h"]);
  });
});

describe("expandCrtlRules", () => {
  const fork = rule("VMS1001", { call: { names: ["fork"] } });
  const kernel = rule("VMS7001", { include: { headers: ["sys/epoll.h"], form: "system" } });
  const calls = rule("VMS4006", { call: { names: [], crtlStatus: "absent" } });
  const headers = rule("VMS7004", { include: { crtlStatus: "absent", form: "system" } });
  const expanded = expandCrtlRules([fork, kernel, calls, headers], factFiles);

  it("leaves out functions another rule matches", () => {
    expect(expanded[2]?.match.call?.names).toEqual(["getrandom", "epoll_wait"]);
  });

  it("leaves out headers another rule matches", () => {
    expect(expanded[3]?.match.include?.headers).toEqual(["ifaddrs.h"]);
  });

  it("placeholders from the fact", () => {
    expect(expanded[2]?.match.call?.placeholders?.getrandom).toEqual({
      detail: "getrandom() is Linux-only",
      macro: "HAVE_GETRANDOM",
    });
  });

  it("keeps the match options", () => {
    expect(expanded[3]?.match.include?.form).toBe("system");
  });

  it("other rules unchanged", () => {
    expect(expanded[0]).toBe(fork);
  });

  it("quoted-only rule does not count", () => {
    const quoted = rule("VMS9001", { include: { headers: ["ifaddrs.h"], form: "quoted" } });
    const [, result] = expandCrtlRules([quoted, headers], factFiles);
    expect(result?.match.include?.headers).toEqual(["ifaddrs.h", "sys/epoll.h"]);
  });
});

describe("built-in CRTL rules", () => {
  const rules = loadScanRules();
  const byId = new Map(rules.map((entry) => [entry.id, entry]));
  const callNames = byId.get("VMS4006")?.match.call?.names ?? [];
  const headerNames = byId.get("VMS7004")?.match.include?.headers ?? [];

  it("VMS4006 names the libevent functions", () => {
    for (const name of ["getifaddrs", "getrandom", "sendfile"]) expect(callNames).toContain(name);
  });

  it("VMS4006 names every function an entry lists", () => {
    for (const name of ["freeifaddrs", "arc4random_uniform"]) expect(callNames).toContain(name);
  });

  it("VMS7004 names the libevent headers", () => {
    for (const name of ["ifaddrs.h", "sys/random.h"]) expect(headerNames).toContain(name);
  });

  it("no function in two call rules", () => {
    const others = rules
      .filter((entry) => entry.id !== "VMS4006")
      .flatMap((entry) => entry.match.call?.names ?? []);
    expect(callNames.filter((name) => others.includes(name))).toEqual([]);
  });

  it("every absent function is reported", () => {
    const reported = new Set(rules.flatMap((entry) => entry.match.call?.names ?? []));
    const { names } = readCrtlFactNames("call", "absent", CRTL_FACT_FILES.call);
    expect(names.filter((entry) => !reported.has(entry.name)).map((entry) => entry.name)).toEqual([]);
  });

  it("every absent header is reported once", () => {
    const { names } = readCrtlFactNames("include", "absent", CRTL_FACT_FILES.include);
    const compiled = compileRules(rules);
    for (const { name } of names) {
      const scan = scanFileBytes(Buffer.from(`#include <${name}>\n`), "probe.c", compiled, {});
      const headerFindings = scan.findings.filter((finding) => finding.ruleId.startsWith("VMS7"));
      expect(headerFindings.length, name).toBe(1);
    }
  });

  it("rule file read alone gets its names", () => {
    const limits = readScanRuleFile(byId.get("VMS4006")?.file as string);
    expect(limits.find((entry) => entry.id === "VMS4006")?.match.call?.names).toEqual(callNames);
  });
});
