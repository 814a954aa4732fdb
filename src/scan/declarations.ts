/**
 * A light reading of a file's top level: function bodies, the functions the file defines, and the names with
 * external linkage that the tree-wide length and case checks need. It follows braces and semicolons of live
 * code only. It is a heuristic, not a C parser, so macros that expand to declarations are not seen.
 */

import { BranchState, type LexedFile, latin1, TokenFlag, TokenKind } from "./lexer.js";

export interface FunctionBody {
  name: string;
  /** Token indexes of the body's braces. */
  open: number;
  close: number;
}

export interface TopLevel {
  functions: FunctionBody[];
  /** Names of functions defined in live code. */
  definedFunctions: Set<string>;
  /** Token indexes of file-scope names with external linkage. */
  externalNames: number[];
}

const NOT_NAMES = new Set([
  "auto",
  "break",
  "case",
  "char",
  "const",
  "continue",
  "default",
  "do",
  "double",
  "else",
  "enum",
  "extern",
  "float",
  "for",
  "goto",
  "if",
  "inline",
  "int",
  "long",
  "register",
  "restrict",
  "return",
  "short",
  "signed",
  "sizeof",
  "static",
  "struct",
  "switch",
  "typedef",
  "union",
  "unsigned",
  "void",
  "volatile",
  "while",
  "_Bool",
  "_Noreturn",
  "_Thread_local",
  "__inline",
  "__inline__",
  "__restrict",
  "__extension__",
  "bool",
  "class",
  "namespace",
  "template",
  "typename",
  "using",
  "operator",
  "virtual",
  "friend",
  "public",
  "private",
  "protected",
  "new",
  "delete",
  "constexpr",
  "noexcept",
  "decltype",
  "alignas",
  "_Alignas",
  "asm",
  "__asm__",
  "typeof",
  "__typeof__",
  "__attribute__",
  "__declspec",
  "thread_local",
  "mutable",
  "explicit",
]);

const isCode = (file: LexedFile, index: number) =>
  ((file.flags[index] as number) & TokenFlag.Directive) === 0 &&
  file.states[index] !== BranchState.Inactive &&
  file.states[index] !== BranchState.Ported;

const textOf = (file: LexedFile, index: number) =>
  latin1(file.bytes, file.starts[index] ?? 0, file.ends[index] ?? 0);
const isPunct = (file: LexedFile, index: number, code: number) =>
  file.kinds[index] === TokenKind.Punct && file.values[index] === code;

/** Symbol ids of the keywords the reader tests; -2 when a keyword is not in the table. */
export interface DeclarationKeywords {
  typedef: number;
  using: number;
  template: number;
  friend: number;
  static: number;
  extern: number;
  struct: number;
  union: number;
  enum: number;
  class: number;
  namespace: number;
}

/** Read the top level of a lexed file. `cpp`: only names inside extern "C" count as external. */
export function readTopLevel(file: LexedFile, cpp: boolean, keyword: DeclarationKeywords): TopLevel {
  const functions: FunctionBody[] = [];
  const definedFunctions = new Set<string>();
  const externalNames: number[] = [];
  const { kinds, values, count } = file;
  const isKeyword = (index: number, id: number) =>
    kinds[index] === TokenKind.Identifier && values[index] === id;

  /** Token index of the brace that closes the one at `open`, or the last token. */
  const skipBraces = (open: number): number => {
    let depth = 0;
    for (let index = open; index < count; index++) {
      if (kinds[index] !== TokenKind.Punct || !isCode(file, index)) continue;
      const code = values[index];
      if (code === 123) depth++;
      else if (code === 125 && --depth === 0) return index;
    }
    return count - 1;
  };

  let declaration: number[] = [];
  const transparent: boolean[] = [];
  let externC = 0;

  for (let index = 0; index < count; index++) {
    if (!isCode(file, index)) continue;
    if (kinds[index] !== TokenKind.Punct) {
      declaration.push(index);
      continue;
    }
    const code = values[index];
    if (code === 59) {
      analyze(declaration, false);
      declaration = [];
      continue;
    }
    if (code === 125) {
      const wasExternC = transparent.pop();
      if (wasExternC) externC--;
      declaration = [];
      continue;
    }
    if (code !== 123) {
      declaration.push(index);
      continue;
    }
    // An opening brace at declaration level.
    const first = declaration[0];
    const isExternC =
      first !== undefined &&
      isKeyword(first, keyword.extern) &&
      declaration.length === 2 &&
      kinds[declaration[1] as number] === TokenKind.String;
    if (isExternC || declaration.some((token) => isKeyword(token, keyword.namespace))) {
      transparent.push(isExternC);
      if (isExternC) externC++;
      declaration = [];
      continue;
    }
    const hasEquals = declaration.some((token) => isPunct(file, token, 61));
    const isAggregate = declaration.some(
      (token) =>
        isKeyword(token, keyword.struct) ||
        isKeyword(token, keyword.union) ||
        isKeyword(token, keyword.enum) ||
        isKeyword(token, keyword.class),
    );
    const close = skipBraces(index);
    if (closesParameterList(declaration) && !hasEquals) {
      const name = analyze(declaration, true);
      if (name !== undefined) functions.push({ name, open: index, close });
      declaration = [];
    } else if (hasEquals || isAggregate) {
      // An initializer or a struct body: the declaration goes on after the closing brace.
      declaration.push(index, close);
    } else declaration = [];
    index = close;
  }

  return { functions, definedFunctions, externalNames };

  /** Does the declaration end with a parameter list, perhaps followed by qualifiers or attributes? */
  function closesParameterList(tokens: number[]): boolean {
    for (let k = tokens.length - 1; k >= 0; k--) {
      const token = tokens[k] as number;
      if (isPunct(file, token, 41)) return true;
      if (kinds[token] !== TokenKind.Identifier) return false;
    }
    return false;
  }

  /** Record the names a declaration declares; returns the function name for a definition. */
  function analyze(tokens: number[], hasBody: boolean): string | undefined {
    if (tokens.length === 0) return undefined;
    let isStatic = false;
    let externCLocal = false;
    let depth = 0;
    const candidates: number[] = [];
    const objects: number[] = [];
    let inInitializer = false;
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k] as number;
      const kind = kinds[token];
      if (kind === TokenKind.Identifier) {
        const id = values[token];
        if (
          id === keyword.typedef ||
          id === keyword.using ||
          id === keyword.template ||
          id === keyword.friend
        ) {
          return undefined;
        }
        if (id === keyword.static) isStatic = true;
        if (id === keyword.extern && kinds[tokens[k + 1] as number] === TokenKind.String) externCLocal = true;
        if (depth !== 0 || inInitializer) continue;
        const next = tokens[k + 1];
        const previous = tokens[k - 1];
        const isCallLike = next !== undefined && isPunct(file, next, 40);
        const isObjectLike =
          next === undefined ||
          isPunct(file, next, 61) ||
          isPunct(file, next, 44) ||
          isPunct(file, next, 91) ||
          isPunct(file, next, 59);
        if (!isCallLike && !(isObjectLike && k > 0)) continue;
        if (previous !== undefined && isPunct(file, previous, 257)) continue;
        if (
          previous !== undefined &&
          (isKeyword(previous, keyword.struct) ||
            isKeyword(previous, keyword.union) ||
            isKeyword(previous, keyword.enum) ||
            isKeyword(previous, keyword.class))
        ) {
          continue;
        }
        const text = textOf(file, token);
        if (NOT_NAMES.has(text)) continue;
        if (isCallLike) {
          if (!text.startsWith("__") && !(k === 0 && /^[A-Z0-9_]+$/.test(text))) candidates.push(token);
        } else objects.push(token);
        continue;
      }
      if (kind !== TokenKind.Punct) continue;
      const code = values[token];
      if (code === 40 || code === 91) depth++;
      else if (code === 41 || code === 93) depth--;
      else if (code === 61 && depth === 0) inInitializer = true;
      else if (code === 44 && depth === 0) inInitializer = false;
    }
    const external = !isStatic && (!cpp || externC > 0 || externCLocal);
    const lowerCase = candidates.filter((token) => !/^[A-Z0-9_]+$/.test(textOf(file, token)));
    const functionToken = lowerCase[lowerCase.length - 1] ?? candidates[candidates.length - 1];
    if (functionToken !== undefined) {
      const name = textOf(file, functionToken);
      if (hasBody) definedFunctions.add(name);
      if (external) externalNames.push(functionToken);
      return name;
    }
    if (external && !hasBody) externalNames.push(...objects);
    return undefined;
  }
}
