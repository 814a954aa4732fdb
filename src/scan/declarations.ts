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
  return new TopLevelReader(file, cpp, keyword).read();
}

/**
 * The state of one top-level read. The helpers are methods, not closures created per file, so V8 keeps one
 * optimized version of them instead of deoptimizing on each file's new closures.
 */
class TopLevelReader {
  readonly functions: FunctionBody[] = [];
  readonly definedFunctions = new Set<string>();
  readonly externalNames: number[] = [];
  readonly kinds: Uint8Array;
  readonly values: Int32Array;
  readonly count: number;
  readonly staticMacros: Set<string>;
  /** Depth of extern "C" blocks around the current declaration. */
  externC = 0;
  /** Depth of namespaces: C++ mangles the names inside one, even in a header named `.h` that is read as C. */
  namespaces = 0;

  constructor(
    readonly file: LexedFile,
    readonly cpp: boolean,
    readonly keyword: DeclarationKeywords,
  ) {
    this.kinds = file.kinds;
    this.values = file.values;
    this.count = file.count;
    this.staticMacros = this.staticAliases();
  }

  read(): TopLevel {
    const { kinds, values, count, file, keyword } = this;
    let declaration: number[] = [];
    // Blocks whose contents are read like the top level.
    const transparent: ("extern-c" | "namespace")[] = [];
    // The head `int f(a, b)` of a K&R definition while its parameter declarations are read.
    let pendingHead: number[] | undefined;

    for (let index = 0; index < count; index++) {
      if (!isCode(file, index)) continue;
      if (kinds[index] !== TokenKind.Punct) {
        declaration.push(index);
        continue;
      }
      const code = values[index];
      if (code === 59) {
        const head = this.oldStyleHead(declaration);
        if (head !== undefined && this.reachesOldStyleBody(index)) {
          // A later head means the earlier one was a prototype after all.
          if (pendingHead !== undefined) this.analyze(pendingHead, false);
          pendingHead = head;
        } else if (pendingHead === undefined) this.analyze(declaration, false);
        // Otherwise a parameter declaration such as `char *b;`, which has no linkage.
        declaration = [];
        continue;
      }
      if (code === 125) {
        const block = transparent.pop();
        if (block === "extern-c") this.externC--;
        else if (block === "namespace") this.namespaces--;
        declaration = [];
        continue;
      }
      if (code !== 123) {
        declaration.push(index);
        continue;
      }
      // An opening brace at declaration level.
      if (pendingHead !== undefined) {
        if (declaration.length === 0) declaration = pendingHead;
        pendingHead = undefined;
      }
      const first = declaration[0];
      const isExternC =
        first !== undefined &&
        this.isKeyword(first, keyword.extern) &&
        declaration.length === 2 &&
        kinds[declaration[1] as number] === TokenKind.String;
      if (isExternC || declaration.some((token) => this.isKeyword(token, keyword.namespace))) {
        transparent.push(isExternC ? "extern-c" : "namespace");
        if (isExternC) this.externC++;
        else this.namespaces++;
        declaration = [];
        continue;
      }
      const hasEquals = declaration.some((token) => isPunct(file, token, 61));
      const isAggregate = declaration.some(
        (token) =>
          this.isKeyword(token, keyword.struct) ||
          this.isKeyword(token, keyword.union) ||
          this.isKeyword(token, keyword.enum) ||
          this.isKeyword(token, keyword.class),
      );
      const close = this.skipBraces(index);
      if (this.closesParameterList(declaration) && !hasEquals) {
        const name = this.analyze(declaration, true);
        if (name !== undefined) this.functions.push({ name, open: index, close });
        declaration = [];
      } else if (hasEquals || isAggregate) {
        // An initializer or a struct body: the declaration goes on after the closing brace.
        declaration.push(index, close);
      } else declaration = [];
      index = close;
    }

    return {
      functions: this.functions,
      definedFunctions: this.definedFunctions,
      externalNames: this.externalNames,
    };
  }

  isKeyword(index: number, id: number): boolean {
    return this.kinds[index] === TokenKind.Identifier && this.values[index] === id;
  }

  /** Token index of the brace that closes the one at `open`, or the last token. */
  skipBraces(open: number): number {
    const { kinds, values, count, file } = this;
    let depth = 0;
    // Most tokens of a body are not braces, so the branch state is tested only for braces.
    for (let index = open; index < count; index++) {
      if (kinds[index] !== TokenKind.Punct) continue;
      const code = values[index];
      if ((code !== 123 && code !== 125) || !isCode(file, index)) continue;
      if (code === 123) depth++;
      else if (code === 125 && --depth === 0) return index;
    }
    return count - 1;
  }

  /**
   * Collect the names the this.file defines as `static`, such as zlib's `#define local static`.
   * NOTE: a definition in an included header is not seen, so such names still this.count as external there.
   */
  staticAliases(): Set<string> {
    const names = new Set<string>();
    const { flags } = this.file;
    for (const index of this.file.defineNames) {
      if (index + 1 >= this.count) continue;
      const body = index + 1;
      const afterBody = index + 2;
      const isOnlyToken =
        afterBody >= this.count || ((flags[afterBody] as number) & TokenFlag.DefineBody) === 0;
      if (
        (flags[body] as number) & TokenFlag.DefineBody &&
        this.isKeyword(body, this.keyword.static) &&
        isOnlyToken
      )
        names.add(textOf(this.file, index));
    }
    return names;
  }

  /**
   * Return the head `int f(a, b)` of a declaration that goes on with the first parameter declaration of a K&R
   * definition (`int f(a, b) char *a;`), or undefined. Only K&R definitions have an identifier list there.
   */
  oldStyleHead(tokens: number[]): number[] | undefined {
    const open = tokens.findIndex((token) => isPunct(this.file, token, 40));
    const functionName = tokens[open - 1];
    if (open < 1 || functionName === undefined || this.kinds[functionName] !== TokenKind.Identifier)
      return undefined;
    let position = open + 1;
    for (;;) {
      const name = tokens[position];
      if (
        name === undefined ||
        this.kinds[name] !== TokenKind.Identifier ||
        NOT_NAMES.has(textOf(this.file, name))
      )
        return undefined;
      const separator = tokens[position + 1];
      if (separator === undefined) return undefined;
      if (isPunct(this.file, separator, 44)) {
        position += 2;
        continue;
      }
      if (!isPunct(this.file, separator, 41)) return undefined;
      const firstParameter = tokens[position + 2];
      if (firstParameter === undefined || this.kinds[firstParameter] !== TokenKind.Identifier)
        return undefined;
      return tokens.slice(0, position + 2);
    }
  }

  /**
   * Test whether the declarations after the `;` at `semicolon` run into a function body, as the parameter
   * declarations of a K&R definition do. A prototype such as `int f(uInt, voidpf);` is followed by another
   * declaration, a struct body (`{` after a name) or an initializer instead.
   */
  reachesOldStyleBody(semicolon: number): boolean {
    let previous = semicolon;
    for (let index = semicolon + 1, steps = 0; index < this.count && steps < 400; index++, steps++) {
      if (!isCode(this.file, index)) continue;
      if (this.kinds[index] === TokenKind.Punct) {
        const code = this.values[index];
        if (code === 123) return isPunct(this.file, previous, 59);
        if (code === 125 || code === 61) return false;
      }
      previous = index;
    }
    return false;
  }

  /** Does the declaration end with a parameter list, perhaps followed by qualifiers or attributes? */
  closesParameterList(tokens: number[]): boolean {
    for (let k = tokens.length - 1; k >= 0; k--) {
      const token = tokens[k] as number;
      if (isPunct(this.file, token, 41)) return true;
      if (this.kinds[token] !== TokenKind.Identifier) return false;
    }
    return false;
  }

  /** Record the names a declaration declares; returns the function name for a definition. */
  analyze(tokens: number[], hasBody: boolean): string | undefined {
    if (tokens.length === 0) return undefined;
    let isStatic = false;
    let externCLocal = false;
    let depth = 0;
    const candidates: number[] = [];
    const objects: number[] = [];
    let inInitializer = false;
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k] as number;
      const kind = this.kinds[token];
      if (kind === TokenKind.Identifier) {
        const id = this.values[token];
        if (
          id === this.keyword.typedef ||
          id === this.keyword.using ||
          id === this.keyword.template ||
          id === this.keyword.friend
        ) {
          return undefined;
        }
        if (
          id === this.keyword.static ||
          (this.staticMacros.size > 0 && this.staticMacros.has(textOf(this.file, token)))
        )
          isStatic = true;
        if (id === this.keyword.extern && this.kinds[tokens[k + 1] as number] === TokenKind.String)
          externCLocal = true;
        if (depth !== 0 || inInitializer) continue;
        const next = tokens[k + 1];
        const previous = tokens[k - 1];
        const isCallLike = next !== undefined && isPunct(this.file, next, 40);
        const isObjectLike =
          next === undefined ||
          isPunct(this.file, next, 61) ||
          isPunct(this.file, next, 44) ||
          isPunct(this.file, next, 91) ||
          isPunct(this.file, next, 59);
        if (!isCallLike && !(isObjectLike && k > 0)) continue;
        if (previous !== undefined && isPunct(this.file, previous, 257)) continue;
        if (
          previous !== undefined &&
          (this.isKeyword(previous, this.keyword.struct) ||
            this.isKeyword(previous, this.keyword.union) ||
            this.isKeyword(previous, this.keyword.enum) ||
            this.isKeyword(previous, this.keyword.class))
        ) {
          continue;
        }
        const text = textOf(this.file, token);
        if (NOT_NAMES.has(text)) continue;
        if (isCallLike) {
          if (!text.startsWith("__") && !(k === 0 && /^[A-Z0-9_]+$/.test(text))) candidates.push(token);
        } else objects.push(token);
        continue;
      }
      if (kind !== TokenKind.Punct) continue;
      const code = this.values[token];
      if (code === 40 || code === 91) depth++;
      else if (code === 41 || code === 93) depth--;
      else if (code === 61 && depth === 0) inInitializer = true;
      else if (code === 44 && depth === 0) inInitializer = false;
    }
    const external = !isStatic && ((!this.cpp && this.namespaces === 0) || this.externC > 0 || externCLocal);
    const lowerCase = candidates.filter((token) => !/^[A-Z0-9_]+$/.test(textOf(this.file, token)));
    const functionToken = lowerCase[lowerCase.length - 1] ?? candidates[candidates.length - 1];
    if (functionToken !== undefined) {
      const name = textOf(this.file, functionToken);
      if (hasBody) this.definedFunctions.add(name);
      // An all-capitals name such as `MAIN(int argc, ...)` is nearly always a macro for the real name.
      if (external && lowerCase.length > 0) this.externalNames.push(functionToken);
      return name;
    }
    if (external && !hasBody) this.externalNames.push(...objects);
    return undefined;
  }
}
