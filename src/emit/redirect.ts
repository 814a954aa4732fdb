/** Standard-stream redirections of one simple command, read from the logged shell text. */
export interface Redirections {
  input?: string;
  output?: string;
  error?: string;
  /** Another command of the same pipeline, when the program reads from or writes into a `|`. */
  pipedWith?: string;
  /** A redirection DCL PIPE cannot express (`>>`, `2>&1`, `&>`, a here-document). */
  unsupported?: string;
}

type Token = { kind: "word"; text: string } | { kind: "operator"; text: string };

const OPERATORS = ["&&", "||", "2>&1", ">&2", "&>", "2>>", "2>", ">>", "<<", ">", "<", "|", ";", "&"];

/** Split shell text into words and operators. Quotes group characters and are removed. */
function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  let word: string | undefined;
  const flush = () => {
    if (word !== undefined) tokens.push({ kind: "word", text: word });
    word = undefined;
  };
  let index = 0;
  while (index < command.length) {
    const char = command[index] ?? "";
    if (char === "'" || char === '"') {
      const end = command.indexOf(char, index + 1);
      const stop = end < 0 ? command.length : end;
      word = (word ?? "") + command.slice(index + 1, stop);
      index = stop + 1;
      continue;
    }
    if (/\s/.test(char)) {
      flush();
      index++;
      continue;
    }
    // `2>` is an operator only at the start of a word, so `file2>x` keeps its digit.
    const operator = OPERATORS.find(
      (text) => command.startsWith(text, index) && (!text.startsWith("2") || word === undefined),
    );
    if (operator !== undefined) {
      flush();
      tokens.push({ kind: "operator", text: operator });
      index += operator.length;
      continue;
    }
    word = (word ?? "") + char;
    index++;
  }
  flush();
  return tokens;
}

/**
 * Find the redirections of the simple command that starts with `program` in a logged command line such as
 * `cd build && ./gen < in > out`. Returns undefined when no command of the line starts with `program`.
 */
export function programRedirections(command: string, program: string): Redirections | undefined {
  const lists: Token[][][] = [[[]]];
  for (const token of tokenize(command)) {
    const pipeline = lists.at(-1) ?? [];
    if (token.kind === "operator" && ["&&", "||", ";", "&"].includes(token.text)) {
      lists.push([[]]);
    } else if (token.kind === "operator" && token.text === "|") {
      pipeline.push([]);
    } else {
      pipeline.at(-1)?.push(token);
    }
  }
  for (const pipeline of lists) {
    const position = pipeline.findIndex((simple) => simple[0]?.kind === "word" && simple[0].text === program);
    const simple = pipeline[position];
    if (simple === undefined) continue;
    const result: Redirections = {};
    if (pipeline.length > 1) {
      const other = pipeline.find((_, index) => index !== position)?.find((token) => token.kind === "word");
      result.pipedWith = other?.text ?? "|";
    }
    for (const [index, token] of simple.entries()) {
      if (token.kind !== "operator") continue;
      const next = simple[index + 1];
      const target = next?.kind === "word" ? next.text : undefined;
      if (token.text === "<" && target !== undefined) result.input = target;
      else if (token.text === ">" && target !== undefined) result.output = target;
      else if (token.text === "2>" && target !== undefined) result.error = target;
      else result.unsupported = token.text;
    }
    return result;
  }
  return undefined;
}
