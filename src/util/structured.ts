import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { UserError } from "./errors.js";

/**
 * Loading of YAML and JSON files that users write (rule files, the configuration file), with JSON Schema
 * validation whose errors point at the file, line and column of the bad value. JSON is parsed with the YAML
 * parser, which accepts it and keeps positions.
 */

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Position of a node in the text, 1-based. */
interface Position {
  line: number;
  column: number;
}

function positionOf(node: Node | undefined, counter: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

/** Find the YAML node at a JSON pointer such as `/rules/3/match`. */
function nodeAtPointer(root: Node | null, pointer: string): Node | undefined {
  let node: unknown = root;
  const parts = pointer === "" ? [] : pointer.slice(1).split("/");
  for (const raw of parts) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
      );
      node = pair?.value ?? pair?.key;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
    } else {
      return isNode(node) ? node : undefined;
    }
  }
  return isNode(node) ? node : undefined;
}

/**
 * Reject text that YAML accepts but JSON does not (trailing commas, comments, single quotes), so that a
 * `.json` file that vmsport accepts also works in every other JSON tool. The YAML parser still reads it
 * afterwards, because it keeps the positions that schema errors need.
 */
function rejectInvalidJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(message)?.[1];
    let location: { file: string; line?: number; column?: number } = { file };
    if (offset !== undefined) {
      const before = text.slice(0, Number(offset)).split("\n");
      location = { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    }
    throw new UserError(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`, {
      location,
      hint: "Fix the syntax at this position; JSON allows no trailing commas or comments.",
    });
  }
}

/** Find the node an error is about: for an unknown property, its key rather than the object containing it. */
function nodeOfError(root: Node | null, error: ErrorObject): Node | undefined {
  if (error.keyword === "additionalProperties") {
    const parent = nodeAtPointer(root, error.instancePath);
    const name = error.params.additionalProperty as string;
    if (isMap(parent)) {
      const pair = parent.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === name,
      );
      if (pair && isNode(pair.key)) return pair.key;
    }
    return parent;
  }
  return nodeAtPointer(root, error.instancePath);
}

/** Describe one schema error as a sentence naming the bad value and what is allowed. */
function describeError(error: ErrorObject, value: unknown): string {
  const where =
    error.instancePath === "" ? "the document" : `"${error.instancePath.slice(1).replace(/\//g, ".")}"`;
  const shown = JSON.stringify(value);
  const shownValue = shown !== undefined && shown.length <= 60 ? ` (found ${shown})` : "";
  switch (error.keyword) {
    case "enum":
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${shownValue}`;
    case "additionalProperties":
      return `${where} has unknown property "${error.params.additionalProperty as string}"`;
    case "required":
      return `${where} is missing required property "${error.params.missingProperty as string}"`;
    case "type":
      return `${where} must be of type ${error.params.type as string}${shownValue}`;
    case "const":
      return `${where} must be ${JSON.stringify(error.params.allowedValue)}${shownValue}`;
    default:
      return `${where} ${error.message ?? "is invalid"}${shownValue}`;
  }
}

function valueAtPointer(data: unknown, pointer: string): unknown {
  let value: unknown = data;
  for (const raw of pointer === "" ? [] : pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A parsed document together with a way to find the line of any value in it. */
export interface LoadedDocument<T> {
  data: T;
  /** Line and column of the value at a JSON pointer, for messages about values that pass the schema. */
  positionAt(pointer: string): Position | undefined;
}

/**
 * Parse YAML or JSON text and validate it against a JSON Schema. Throws a UserError located at the first
 * offending value; the message lists up to five schema errors.
 */
export function loadStructured<T>(
  text: string,
  file: string,
  schema: object,
  what: string,
  hint?: string,
): LoadedDocument<T> {
  const counter = new LineCounter();
  if (/\.json$/i.test(file)) rejectInvalidJson(text, file);
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const { line, col } = counter.linePos(first.pos[0]);
    throw new UserError(`invalid ${what}: ${first.message.split("\n")[0]}`, {
      location: { file, line, column: col },
      hint: "Fix the syntax at this position.",
    });
  }
  const data = document.toJS({ maxAliasCount: 100 }) as unknown;
  const validate = validatorFor(schema);
  if (!validate(data)) {
    const errors = pruneErrors(validate.errors ?? []);
    const firstError = errors[0];
    const position = firstError ? positionOf(nodeOfError(document.contents, firstError), counter) : undefined;
    const lines = errors
      .slice(0, 5)
      .map((error) => describeError(error, valueAtPointer(data, error.instancePath)));
    const more = errors.length > 5 ? `\n  … and ${errors.length - 5} more` : "";
    throw new UserError(`invalid ${what}: ${lines.join("\n  ")}${more}`, {
      location: { file, ...(position ?? {}) },
      ...(hint ? { hint } : {}),
    });
  }
  return {
    data: data as T,
    positionAt: (pointer) => positionOf(nodeAtPointer(document.contents, pointer), counter),
  };
}

/**
 * Drop the errors that ajv reports for every branch of a failed `oneOf`/`anyOf`, keeping the deepest ones,
 * which name the value the user has to change.
 */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const meaningful = errors.filter(
    (error) => error.keyword !== "oneOf" && error.keyword !== "anyOf" && error.keyword !== "if",
  );
  const list = meaningful.length > 0 ? meaningful : errors;
  const deepest = Math.max(...list.map((error) => error.instancePath.split("/").length));
  const sorted = [...list].sort(
    (a, b) => b.instancePath.split("/").length - a.instancePath.split("/").length,
  );
  return deepest > 0 ? sorted : list;
}
