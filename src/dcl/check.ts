/**
 * A checker for DCL command procedures. It reads a procedure the way DCL does (see tokenize.ts) and reports
 * what would make DCL reject or rewrite a command. That covers records and commands over the length limits,
 * long tokens and accidental symbol substitution. It also covers unbalanced quotes and parentheses, comments
 * that cut a value short, missing labels and unterminated data blocks.
 */

import { byteLength, DEFAULT_LIMITS, findControlCharacter } from "./limits.js";
import { type LogicalCommand, locate, scanCommand, splitProcedure } from "./tokenize.js";
import type { CheckOptions, DclIssue, DclIssueCode } from "./types.js";

/** Verbs after which records without `$` are data read by the command (through SYS$INPUT). */
const DATA_READERS = /^(CREATE|CRE|CREA|CREAT|DECK|RUN|MCR|APPEND|COPY|TYPE|LINK|LIBRARY|MAIL|EDIT)\b/i;

function issue(
  record: number,
  column: number,
  code: DclIssueCode,
  message: string,
  severity: DclIssue["severity"] = "error",
): DclIssue {
  return { record, column, code, severity, message };
}

/** Allowed symbol names and their known values, from the options. */
function symbolTable(options: CheckOptions): Map<string, string | undefined> {
  const table = new Map<string, string | undefined>();
  const symbols = options.symbols ?? [];
  if (Array.isArray(symbols)) {
    for (const name of symbols as readonly string[]) table.set(name.toUpperCase(), undefined);
  } else {
    for (const [name, value] of Object.entries(symbols)) table.set(name.toUpperCase(), value);
  }
  return table;
}

/** Targets of GOTO, GOSUB and CALL in a command, with their offsets. */
function jumpTargets(text: string): { label: string; offset: number }[] {
  const targets: { label: string; offset: number }[] = [];
  const tokens = scanCommand(text).tokens.filter((token) => token.kind !== "blank");
  tokens.forEach((token, index) => {
    if (token.kind !== "word" || token.quoted) return;
    if (!/^(GOTO|GOSUB|CALL)$/.test(token.text)) return;
    const target = tokens[index + 1];
    // A target computed by substitution cannot be checked.
    if (target?.kind !== "word" || target.text.includes("'") || target.text.includes("&")) return;
    targets.push({ label: target.text, offset: target.offset });
  });
  return targets;
}

/** A block statement waiting for its closing command. */
interface OpenBlock {
  opener: "IF" | "SUBROUTINE";
  closer: "ENDIF" | "ENDSUBROUTINE";
  record: number;
}

/**
 * Track block IF (`$ IF cond` then `$ THEN` ... `$ ENDIF`) and SUBROUTINE ... ENDSUBROUTINE. An IF whose
 * record carries THEN is a single-line IF and opens no block.
 */
function trackBlock(text: string, record: number, blocks: OpenBlock[], issues: DclIssue[]): void {
  const words = scanCommand(text)
    .tokens.filter((token) => token.kind === "word" && !token.quoted)
    .map((token) => token.text);
  const verb = words[0];
  if (verb === "IF" && !words.includes("THEN")) {
    blocks.push({ opener: "IF", closer: "ENDIF", record });
  } else if (words.includes("SUBROUTINE") && (verb === "SUBROUTINE" || words[1] === "SUBROUTINE")) {
    blocks.push({ opener: "SUBROUTINE", closer: "ENDSUBROUTINE", record });
  } else if (verb === "ENDIF" || verb === "ENDSUBROUTINE") {
    const open = blocks[blocks.length - 1];
    if (open?.closer === verb) {
      blocks.pop();
    } else {
      issues.push(issue(record, 1, "unbalanced-block", `${verb} has no matching opening statement`));
    }
  }
}

/** Check quotes, parentheses, tokens, substitution and length of one command. */
function checkCommand(
  command: LogicalCommand,
  options: CheckOptions,
  symbols: Map<string, string | undefined>,
  records: readonly string[],
  issues: DclIssue[],
): void {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const scan = scanCommand(command.text);
  const at = (offset: number) => locate(command, offset);

  if (scan.unclosedQuote !== undefined) {
    const where = at(scan.unclosedQuote);
    issues.push(
      issue(where.record, where.column, "unbalanced-quote", "quoted string is not closed on this command"),
    );
  }

  let depth = 0;
  let firstOpen = 0;
  for (const token of scan.tokens) {
    if (token.kind === "open") {
      if (depth === 0) firstOpen = token.offset;
      depth++;
    } else if (token.kind === "close") {
      depth--;
      if (depth < 0) {
        const where = at(token.offset);
        issues.push(
          issue(
            where.record,
            where.column,
            "unbalanced-parenthesis",
            "closing parenthesis without an opening one",
          ),
        );
        depth = 0;
      }
    } else if (token.kind === "word" && byteLength(token.source) > limits.maxToken) {
      const where = at(token.offset);
      issues.push(
        issue(
          where.record,
          where.column,
          "token-too-long",
          `token of ${byteLength(token.source)} bytes exceeds the DCL token limit of ${limits.maxToken} bytes`,
        ),
      );
    }
  }
  if (depth > 0) {
    const where = at(firstOpen);
    issues.push(
      issue(where.record, where.column, "unbalanced-parenthesis", "opening parenthesis is not closed"),
    );
  }

  let expansion = 0;
  for (const substitution of scan.substitutions) {
    const known = symbols.has(substitution.name);
    if (known) {
      const value = symbols.get(substitution.name);
      const length = value === undefined ? (options.assumedSymbolLength ?? 0) : byteLength(value);
      expansion += length - substitution.length;
      continue;
    }
    const where = at(substitution.offset);
    const written = command.text.slice(substitution.offset, substitution.offset + substitution.length);
    issues.push(
      issue(
        where.record,
        where.column,
        "unintended-substitution",
        `DCL substitutes ${written} with the value of symbol ${substitution.name}; quote the text, ` +
          "list the symbol as intended, or move a value that contains '' to a file",
      ),
    );
  }

  const length = byteLength(command.text) + Math.max(0, expansion);
  if (length > limits.maxCommand) {
    const first = command.records[0];
    issues.push(
      issue(
        first?.record ?? 1,
        1,
        "command-too-long",
        `command is ${length} bytes after continuation and substitution, over the limit of ${limits.maxCommand} bytes`,
      ),
    );
  }

  // A comment that starts right after a value, with no blank before the `!`, usually cut a value short.
  for (const comment of command.comments) {
    const record = records[comment.record - 1] ?? "";
    const before = record.slice(0, comment.column - 1);
    if (/[^ \t$]$/.test(before)) {
      issues.push(
        issue(
          comment.record,
          comment.column,
          "comment-in-value",
          "`!` directly after a value starts a comment; quote the value if the `!` belongs to it",
          "warning",
        ),
      );
    }
    if (comment.text.includes("'")) {
      issues.push(
        issue(
          comment.record,
          comment.column,
          "unintended-substitution",
          "comment contains an apostrophe; DCL substitutes symbols in comment records too",
          "warning",
        ),
      );
    }
  }

  if (command.danglingContinuation) {
    const last = command.records[command.records.length - 1];
    issues.push(
      issue(
        last?.record ?? 1,
        1,
        "dangling-continuation",
        "the last record ends with a hyphen but no record follows",
      ),
    );
  }
  for (const record of command.continuationDollar) {
    issues.push(
      issue(
        record,
        1,
        "continuation-dollar",
        "continuation record starts with `$`; write continuation records without `$`",
        "warning",
      ),
    );
  }
}

/** Report records over the record limit and control characters, for command records. */
function checkRecords(
  records: readonly string[],
  commandRecords: Set<number>,
  options: CheckOptions,
  issues: DclIssue[],
): void {
  const limits = options.limits ?? DEFAULT_LIMITS;
  records.forEach((record, index) => {
    const number = index + 1;
    if (!commandRecords.has(number)) return;
    const length = byteLength(record);
    if (length > limits.maxRecord) {
      issues.push(
        issue(
          number,
          limits.maxRecord + 1,
          "record-too-long",
          `record is ${length} bytes, over the limit of ${limits.maxRecord}`,
        ),
      );
    }
    const control = findControlCharacter(record, true);
    if (control >= 0) {
      issues.push(issue(number, control + 1, "invalid-character", "record contains a control character"));
    }
  });
}

/**
 * Check a DCL command procedure and return every problem found, sorted by record and column. The checker
 * needs no VMS system: it applies the rules of tokenize.ts and the limits in `options.limits`.
 */
export function checkProcedure(text: string, options: CheckOptions = {}): DclIssue[] {
  const issues: DclIssue[] = [];
  const symbols = symbolTable(options);
  const { items, openDeck } = splitProcedure(text);
  const records = text.split("\n").map((record) => record.replace(/\r$/, ""));

  const labels = new Map<string, number>();
  const jumps: { label: string; record: number; column: number }[] = [];
  const commandRecords = new Set<number>();
  const blocks: OpenBlock[] = [];
  let dataAllowed = false;

  for (const item of items) {
    if (item.kind === "data") {
      const data = item.data;
      const bare = !data.inDeck && data.text.trim().length > 0;
      if (bare && !dataAllowed && !options.allowBareData) {
        issues.push(
          issue(
            data.record,
            1,
            "missing-dollar",
            "record does not start with `$`, so DCL reads it as data, and no command before it reads data",
            "warning",
          ),
        );
      }
      continue;
    }

    const command = item.command;
    for (const span of command.records) commandRecords.add(span.record);
    const first = command.records[0]?.record ?? 1;
    if (command.label !== undefined) {
      if (labels.has(command.label)) {
        issues.push(
          issue(
            first,
            1,
            "duplicate-label",
            `label ${command.label} is already defined on record ${labels.get(command.label)}`,
            "warning",
          ),
        );
      } else {
        labels.set(command.label, first);
      }
    }
    for (const target of jumpTargets(command.text)) {
      const where = locate(command, target.offset);
      jumps.push({ label: target.label, record: where.record, column: where.column });
    }
    checkCommand(command, options, symbols, records, issues);

    trackBlock(command.text, first, blocks, issues);

    const verbText = command.text.trim();
    dataAllowed = DATA_READERS.test(verbText) || /SYS\$INPUT/i.test(verbText);
    if (/^CREATE\b.*\/DIR/i.test(verbText)) dataAllowed = false;
  }

  for (const block of blocks) {
    issues.push(
      issue(block.record, 1, "unbalanced-block", `${block.opener} on this record has no ${block.closer}`),
    );
  }
  for (const jump of jumps) {
    if (!labels.has(jump.label)) {
      issues.push(
        issue(
          jump.record,
          jump.column,
          "undefined-label",
          `label ${jump.label} is not defined in this procedure`,
        ),
      );
    }
  }
  if (openDeck !== undefined) {
    issues.push(
      issue(
        openDeck,
        1,
        "unterminated-data",
        "DECK block has no end-of-data record before the end of the file",
      ),
    );
  }

  checkRecords(records, commandRecords, options, issues);
  return issues.sort((a, b) => a.record - b.record || a.column - b.column);
}
