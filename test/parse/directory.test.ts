import { describe, expect, it } from "vitest";
import { DirectoryTracker, parseDirectoryMessage, resolvePath } from "../../src/log/directory.js";

describe("parseDirectoryMessage", () => {
  const cases: [string, string, "enter" | "leave", number][] = [
    ["make[1]: Entering directory '/p/a'", "/p/a", "enter", 1],
    ["make: Leaving directory `/p/b'", "/p/b", "leave", 0],
    ["gmake[12]: Entering directory '/p/c d'", "/p/c d", "enter", 12],
    ['/usr/bin/make[2]: Entering directory "/p/q"', "/p/q", "enter", 2],
    ["make[1]: Verzeichnis „/p/de“ wird betreten", "/p/de", "enter", 1],
    ["make[1]: Verzeichnis „/p/de“ wird verlassen", "/p/de", "leave", 1],
    ["make[1]\u00a0: on entre dans le répertoire «\u00a0/p/fr\u00a0»", "/p/fr", "enter", 1],
    ["make[1]\u00a0: on quitte le répertoire «\u00a0/p/fr\u00a0»", "/p/fr", "leave", 1],
  ];
  for (const [text, path, kind, level] of cases) {
    it(`reads ${text}`, () => {
      expect(parseDirectoryMessage(text)).toEqual({ kind, path, level, source: "make-enter" });
    });
  }

  it("reads ninja's message", () => {
    expect(parseDirectoryMessage("ninja: Entering directory `build'")).toEqual({
      kind: "enter",
      path: "build",
      level: -1,
      source: "ninja-enter",
    });
  });

  it("ignores other make messages", () => {
    expect(parseDirectoryMessage("make[1]: Nothing to be done for 'all'.")).toBeUndefined();
  });

  it("ignores unknown-directory messages", () => {
    expect(parseDirectoryMessage("make[1]: Entering an unknown directory")).toBeUndefined();
  });
});

describe("DirectoryTracker", () => {
  it("starts in the initial directory", () => {
    expect(new DirectoryTracker("/start").current()).toEqual({ path: "/start", source: "initial" });
  });

  it("returns to the parent after Leaving", () => {
    const tracker = new DirectoryTracker(".");
    tracker.apply({ kind: "enter", path: "/p", level: 1, source: "make-enter" });
    tracker.apply({ kind: "enter", path: "/p/sub", level: 2, source: "make-enter" });
    tracker.apply({ kind: "leave", path: "/p/sub", level: 2, source: "make-enter" });
    expect(tracker.current().path).toBe("/p");
  });

  it("reports siblings as ambiguous", () => {
    const tracker = new DirectoryTracker(".");
    tracker.apply({ kind: "enter", path: "/p/a", level: 2, source: "make-enter" });
    tracker.apply({ kind: "enter", path: "/p/b", level: 2, source: "make-enter" });
    expect(tracker.current().ambiguous).toEqual({ candidates: ["/p/a", "/p/b"] });
  });

  it("removes the named directory on Leaving", () => {
    const tracker = new DirectoryTracker(".");
    tracker.apply({ kind: "enter", path: "/p/a", level: 2, source: "make-enter" });
    tracker.apply({ kind: "enter", path: "/p/b", level: 2, source: "make-enter" });
    tracker.apply({ kind: "leave", path: "/p/a", level: 2, source: "make-enter" });
    expect(tracker.current()).toEqual({ path: "/p/b", source: "make-enter" });
  });

  it("ignores a Leaving without Entering", () => {
    const tracker = new DirectoryTracker("/x");
    tracker.apply({ kind: "leave", path: "/never", level: 1, source: "make-enter" });
    expect(tracker.current()).toEqual({ path: "/x", source: "initial" });
  });

  it("resolves ninja's relative directory", () => {
    const tracker = new DirectoryTracker("/src");
    tracker.apply({ kind: "enter", path: "build", level: -1, source: "ninja-enter" });
    expect(tracker.current()).toEqual({ path: "/src/build", source: "ninja-enter" });
  });

  it("resolves a second ninja run from the start", () => {
    const tracker = new DirectoryTracker("/src");
    tracker.apply({ kind: "enter", path: "build", level: -1, source: "ninja-enter" });
    tracker.apply({ kind: "enter", path: "build", level: -1, source: "ninja-enter" });
    expect(tracker.current()).toEqual({ path: "/src/build", source: "ninja-enter" });
  });

  it("resolves ninja inside make's directory", () => {
    const tracker = new DirectoryTracker("/src");
    tracker.apply({ kind: "enter", path: "/src/lib", level: 1, source: "make-enter" });
    tracker.apply({ kind: "enter", path: "build", level: -1, source: "ninja-enter" });
    tracker.apply({ kind: "enter", path: "out", level: -1, source: "ninja-enter" });
    expect(tracker.current()).toEqual({ path: "/src/lib/out", source: "ninja-enter" });
  });
});

describe("resolvePath", () => {
  it("joins and normalises", () => {
    expect(resolvePath("/a/b", "../c/./d/")).toBe("/a/c/d");
  });

  it("keeps absolute paths", () => {
    expect(resolvePath("/a", "/x/y")).toBe("/x/y");
  });

  it("keeps relative bases relative", () => {
    expect(resolvePath(".", "build")).toBe("build");
  });
});
