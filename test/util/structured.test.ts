import { describe, expect, it } from "vitest";
import { UserError } from "../../src/util/errors.js";
import { loadStructured } from "../../src/util/structured.js";

const schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    target: { enum: ["alpha", "ia64", "x86_64"] },
    rules: { type: "array", items: { type: "string" } },
  },
};

function errorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("loadStructured", () => {
  it("returns valid YAML data", () => {
    const { data } = loadStructured<{ target: string }>(
      "target: ia64\n",
      "c.yaml",
      schema,
      "configuration file",
    );
    expect(data).toEqual({ target: "ia64" });
  });

  it("accepts JSON", () => {
    const { data } = loadStructured<{ rules: string[] }>('{"rules": ["a.yaml"]}', "c.json", schema, "file");
    expect(data.rules).toEqual(["a.yaml"]);
  });

  it("locates a value outside an enum", () => {
    const error = errorOf(() =>
      loadStructured("rules: []\ntarget: vax\n", "c.yaml", schema, "configuration file"),
    );
    expect(error.location).toEqual({ file: "c.yaml", line: 2, column: 9 });
    expect(error.message).toContain('must be one of "alpha", "ia64", "x86_64"');
    expect(error.message).toContain('found "vax"');
  });

  it("locates an element of the wrong type", () => {
    const error = errorOf(() => loadStructured("rules:\n  - a.yaml\n  - 3\n", "c.yaml", schema, "file"));
    expect(error.location?.line).toBe(3);
    expect(error.message).toContain('"rules.1" must be of type string');
  });

  it("names an unknown property", () => {
    const error = errorOf(() => loadStructured("colour: red\n", "c.yaml", schema, "file"));
    expect(error.message).toContain('unknown property "colour"');
  });

  it("locates a syntax error", () => {
    const error = errorOf(() => loadStructured('{"target": "ia64",,}', "c.json", schema, "file"));
    expect(error.location?.file).toBe("c.json");
    expect(error.location?.line).toBe(1);
  });

  it("rejects duplicate keys", () => {
    const error = errorOf(() => loadStructured("target: ia64\ntarget: alpha\n", "c.yaml", schema, "file"));
    expect(error.location?.line).toBe(2);
  });
});

describe("loadStructured positions", () => {
  it("locates an unknown property at its key", () => {
    const error = errorOf(() => loadStructured("target: ia64\ncolour: red\n", "c.yaml", schema, "file"));
    expect(error.location).toEqual({ file: "c.yaml", line: 2, column: 1 });
  });

  it("rejects a trailing comma in a .json file", () => {
    const error = errorOf(() => loadStructured('{"target": "ia64",}', "c.json", schema, "file"));
    expect(error.message).toContain("invalid JSON");
    expect(error.location?.line).toBe(1);
  });

  it("accepts the same text as YAML", () => {
    const { data } = loadStructured<{ target: string }>('{"target": "ia64",}', "c.yaml", schema, "file");
    expect(data.target).toBe("ia64");
  });
});
