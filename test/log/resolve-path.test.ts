/**
 * `resolvePath` keeps its results, so a cached result must equal a fresh one for any base and relative
 * path, also after the cache has been emptied.
 */
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolvePath } from "../../src/log/directory.js";

/** Computes the POSIX join of `resolvePath` again, without its cache, for comparison. */
function expectedPath(base: string, relative: string): string {
  if (relative.startsWith("/")) return path.posix.normalize(relative);
  const joined = path.posix.normalize(path.posix.join(base, relative));
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

const segment = fc.constantFrom("a", "b", "..", ".", "", "src", "build");
const pathText = fc
  .tuple(fc.boolean(), fc.array(segment, { maxLength: 5 }))
  .map(([absolute, parts]) => `${absolute ? "/" : ""}${parts.join("/")}`);

describe("resolvePath", () => {
  it("matches a POSIX join on first and repeated calls", () => {
    fc.assert(
      fc.property(pathText, pathText, (base, relative) => {
        const expected = expectedPath(base, relative);
        expect(resolvePath(base, relative)).toBe(expected);
        expect(resolvePath(base, relative)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("stays correct after the cache is emptied", () => {
    for (let k = 0; k < 20000; k++) resolvePath(`/p/${k % 7}`, `f${k}.c`);
    expect(resolvePath("/p/3", "../x/./y.c")).toBe("/p/x/y.c");
  });

  it("resolves a relative base to a relative path", () => {
    expect(resolvePath("build", "../src/a.c")).toBe("src/a.c");
  });

  it("drops a trailing slash", () => {
    expect(resolvePath("/p", "sub/")).toBe("/p/sub");
  });
});
