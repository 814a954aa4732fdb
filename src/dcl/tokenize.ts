/**
 * A reader for DCL command procedures that follows the rules DCL applies before it parses a command. It
 * handles records, the `$` prefix, `!` comments outside quotes and continuation with a trailing hyphen.
 * It also handles quoted strings with doubled quotes, apostrophe and ampersand substitution, and the
 * upper-casing of unquoted text (TRADITIONAL parse style). Sources: HP OpenVMS DCL Dictionary (DECK, EOD) and OpenVMS HELP topics
 * "String", "Symbol_Substitution" and "Ext_File_Specs ... Ampersand versus apostrophe substitution".
 */

import type { DclToken } from "./types.js";

/** A place where DCL would substitute a symbol value. */
export interface Substitution {
  /** `'NAME'` outside quotes, `''NAME'` inside quotes, or `&NAME` outside quotes. */
  kind: "apostrophe" | "double-apostrophe" | "ampersand";
  /** Symbol name or expression between the apostrophes, upper-cased. */
  name: string;
  /** Offset of the first character in the scanned text. */
  offset: number;
  /** Length of the reference as written. */
  length: number;
  /** Whether the closing apostrophe was found. */
  closed: boolean;
}

/** Tokens of one command and what the scanner noticed on the way. */
export interface CommandScan {
  tokens: DclToken[];
  substitutions: Substitution[];
  /** Offset where a `!` comment starts, if any. */
  commentOffset: number | undefined;
  /** Offset of a quote that is never closed, if any. */
  unclosedQuote: number | undefined;
}

const DELIMITERS: Record<string, DclToken["kind"]> = {
  "/": "slash",
  "=": "equals",
  ",": "comma",
  "+": "plus",
  "(": "open",
  ")": "close",
};

const SYMBOL_CHARACTER = /[A-Za-z0-9_$]/;

function isBlank(character: string | undefined): boolean {
  return character === " " || character === "\t";
}

/** Read `'NAME'` starting at `start` (the first apostrophe); returns the substitution and the next offset. */
function readApostropheReference(
  text: string,
  start: number,
  kind: "apostrophe" | "double-apostrophe",
): { substitution: Substitution; next: number } {
  const nameStart = start + (kind === "double-apostrophe" ? 2 : 1);
  const close = text.indexOf("'", nameStart);
  // A quote ends a reference inside a quoted string; the end of the text ends it anywhere.
  const quote = kind === "double-apostrophe" ? text.indexOf('"', nameStart) : -1;
  const closed = close >= 0 && (quote < 0 || close < quote);
  let end = text.length;
  if (closed) end = close;
  else if (quote >= 0) end = quote;
  const next = closed ? close + 1 : end;
  return {
    substitution: {
      kind,
      name: text.slice(nameStart, end).toUpperCase(),
      offset: start,
      length: next - start,
      closed,
    },
    next,
  };
}

/**
 * Scan one command (without the `$` and without continuation hyphens) into tokens. The scan stops at a
 * `!` outside quotes, which starts a comment.
 */
export function scanCommand(text: string): CommandScan {
  const tokens: DclToken[] = [];
  const substitutions: Substitution[] = [];
  let commentOffset: number | undefined;
  let unclosedQuote: number | undefined;
  let index = 0;

  while (index < text.length) {
    const character = text.charAt(index);
    if (character === "!") {
      commentOffset = index;
      break;
    }
    if (isBlank(character)) {
      const start = index;
      while (isBlank(text[index])) index++;
      tokens.push({
        kind: "blank",
        source: text.slice(start, index),
        text: " ",
        quoted: false,
        offset: start,
      });
      continue;
    }
    const delimiter = DELIMITERS[character];
    if (delimiter !== undefined) {
      tokens.push({ kind: delimiter, source: character, text: character, quoted: false, offset: index });
      index++;
      continue;
    }

    // A word: unquoted characters, quoted sections and symbol references, up to a delimiter or blank.
    const start = index;
    let value = "";
    let quoted = false;
    while (index < text.length) {
      const current = text.charAt(index);
      if (current === '"') {
        quoted = true;
        const quoteStart = index;
        index++;
        let closed = false;
        while (index < text.length) {
          const inner = text.charAt(index);
          if (inner === '"') {
            if (text[index + 1] === '"') {
              value += '"';
              index += 2;
              continue;
            }
            index++;
            closed = true;
            break;
          }
          if (inner === "'" && text[index + 1] === "'") {
            const reference = readApostropheReference(text, index, "double-apostrophe");
            substitutions.push(reference.substitution);
            value += text.slice(index, reference.next);
            index = reference.next;
            continue;
          }
          value += inner;
          index++;
        }
        if (!closed) unclosedQuote ??= quoteStart;
        continue;
      }
      if (current === "'") {
        const reference = readApostropheReference(text, index, "apostrophe");
        substitutions.push(reference.substitution);
        value += text.slice(index, reference.next).toUpperCase();
        index = reference.next;
        continue;
      }
      if (current === "&" && SYMBOL_CHARACTER.test(text[index + 1] ?? "")) {
        let end = index + 1;
        while (end < text.length && SYMBOL_CHARACTER.test(text.charAt(end))) end++;
        substitutions.push({
          kind: "ampersand",
          name: text.slice(index + 1, end).toUpperCase(),
          offset: index,
          length: end - index,
          closed: true,
        });
        value += text.slice(index, end).toUpperCase();
        index = end;
        continue;
      }
      if (current === "!" || isBlank(current) || DELIMITERS[current] !== undefined) break;
      value += current.toUpperCase();
      index++;
    }
    tokens.push({ kind: "word", source: text.slice(start, index), text: value, quoted, offset: start });
  }

  return { tokens, substitutions, commentOffset, unclosedQuote };
}

/** Split one command (without `$`) into tokens as DCL reads it, up to any `!` comment. */
export function tokenizeCommand(text: string): DclToken[] {
  return scanCommand(text).tokens;
}

/** Position of one record's text inside a joined command. */
export interface CommandRecordSpan {
  /** Record number, 1-based. */
  record: number;
  /** Offset in the joined text where this record's contribution starts. */
  offset: number;
  /** Column (1-based) in the record that corresponds to that offset. */
  column: number;
}

/** One command of a procedure after continuation records are joined. */
export interface LogicalCommand {
  /** Command text without `$`, label, continuation hyphens and comments. */
  text: string;
  /** Records that make up the command, in order. */
  records: CommandRecordSpan[];
  /** Label defined on the first record before the command (`$ NAME: command`), upper-cased. */
  label: string | undefined;
  /** Comment text of each record, with the offset of its `!` in the record (1-based column). */
  comments: { record: number; column: number; text: string }[];
  /** The last record ended with a hyphen but no record followed. */
  danglingContinuation: boolean;
  /** A continuation record started with `$`. */
  continuationDollar: number[];
}

/** A record that is not part of a command: data for the running image, or an empty record. */
export interface DataRecord {
  record: number;
  text: string;
  /** Inside a `$ DECK` block, so a leading `$` is data too. */
  inDeck: boolean;
}

export type ProcedureItem = { kind: "command"; command: LogicalCommand } | { kind: "data"; data: DataRecord };

/** Split a record into command text and comment, following quotes; returns the comment column too. */
function splitComment(text: string): { content: string; comment: string | undefined; commentColumn: number } {
  let inQuote = false;
  for (let index = 0; index < text.length; index++) {
    const character = text.charAt(index);
    if (character === '"') inQuote = !inQuote;
    if (character === "!" && !inQuote) {
      return { content: text.slice(0, index), comment: text.slice(index + 1), commentColumn: index + 1 };
    }
  }
  return { content: text, comment: undefined, commentColumn: 0 };
}

const LABEL_PREFIX = /^([A-Za-z_$][A-Za-z0-9_$]*):(?![=])/;

/** Split the records of a command procedure into commands and data, joining continuation records. */
export function splitProcedure(text: string): { items: ProcedureItem[]; openDeck: number | undefined } {
  const records = text.split("\n").map((record) => record.replace(/\r$/, ""));
  if (records.length > 0 && records[records.length - 1] === "") records.pop();

  const items: ProcedureItem[] = [];
  let deckTerminator: string | undefined;
  let deckStart: number | undefined;
  let index = 0;

  while (index < records.length) {
    const recordNumber = index + 1;
    const record = records[index] ?? "";
    index++;

    if (deckTerminator !== undefined) {
      const upper = record.toUpperCase();
      const ends =
        deckTerminator === "$EOD"
          ? /^\$[ \t]*EOD\b/.test(upper.trimStart())
          : upper.startsWith(deckTerminator);
      if (ends) {
        deckTerminator = undefined;
        deckStart = undefined;
        continue;
      }
      items.push({ kind: "data", data: { record: recordNumber, text: record, inDeck: true } });
      continue;
    }

    const leading = record.length - record.trimStart().length;
    if (record.trimStart().charAt(0) !== "$") {
      items.push({ kind: "data", data: { record: recordNumber, text: record, inDeck: false } });
      continue;
    }

    const command: LogicalCommand = {
      text: "",
      records: [],
      label: undefined,
      comments: [],
      danglingContinuation: false,
      continuationDollar: [],
    };
    let body = record.slice(leading + 1);
    let column = leading + 2;

    // A label sits before the command on its first record.
    const bodyStart = body.length - body.trimStart().length;
    const label = LABEL_PREFIX.exec(body.slice(bodyStart));
    if (label?.[1] !== undefined) {
      command.label = label[1].toUpperCase();
      const skip = bodyStart + label[0].length;
      body = body.slice(skip);
      column += skip;
    }

    let currentRecord = recordNumber;
    for (;;) {
      const { content, comment, commentColumn } = splitComment(body);
      if (comment !== undefined) {
        command.comments.push({ record: currentRecord, column: column - 1 + commentColumn, text: comment });
      }
      const trimmed = content.trimEnd();
      const continues = trimmed.endsWith("-");
      command.records.push({ record: currentRecord, offset: command.text.length, column });
      command.text += continues ? trimmed.slice(0, -1) : trimmed;
      if (!continues) break;

      if (index >= records.length) {
        command.danglingContinuation = true;
        break;
      }
      currentRecord = index + 1;
      body = records[index] ?? "";
      column = 1;
      index++;
      if (body.trimStart().startsWith("$")) command.continuationDollar.push(currentRecord);
    }

    items.push({ kind: "command", command });

    const deck = /^DECK\b(.*)$/i.exec(command.text.trim());
    if (deck) {
      deckStart = recordNumber;
      const dollars = /\/DOL(?:L(?:A(?:R(?:S)?)?)?)?\s*=\s*("(?:[^"]|"")*"|[^\s/]+)/i.exec(deck[1] ?? "");
      const value = dollars?.[1];
      if (value === undefined) {
        deckTerminator = "$EOD";
      } else if (value.startsWith('"')) {
        deckTerminator = value.slice(1, -1).replaceAll('""', '"').toUpperCase();
      } else {
        deckTerminator = value.toUpperCase();
      }
    }
  }

  return { items, openDeck: deckTerminator === undefined ? undefined : deckStart };
}

/** Map an offset in a joined command back to its record and column. */
export function locate(command: LogicalCommand, offset: number): { record: number; column: number } {
  let span = command.records[0] ?? { record: 1, offset: 0, column: 1 };
  for (const candidate of command.records) {
    if (candidate.offset <= offset) span = candidate;
  }
  return { record: span.record, column: span.column + (offset - span.offset) };
}
