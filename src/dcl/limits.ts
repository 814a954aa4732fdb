import type { DclLimits } from "./types.js";

/**
 * Limits for any OpenVMS version (VAX, Alpha, I64, x86). Sources: K. Barkes, "DCL Dialogue" (July 1990),
 * states 1024 characters for a command after symbol and lexical expansion; OpenVMS HELP
 * SYS_PARAMETERS DCL_CTLFLAGS states 255 characters per token unless extended tokens are enabled.
 *
 * NOTE: the 255-byte record limit is a conservative assumption, not a documented figure. DCL reads longer
 * records on current versions, but a procedure that keeps records this short also survives editors and
 * transfer tools that truncate lines.
 */
export const DEFAULT_LIMITS: DclLimits = Object.freeze({ maxRecord: 255, maxCommand: 1024, maxToken: 255 });

/**
 * Limits for OpenVMS V7.3-2 and later on Alpha, I64 and x86.
 *
 * NOTE: the 4096-byte command limit is quoted by third parties (SAS 9.2 Companion for OpenVMS, "X command");
 * the V7.3-2 New Features manual itself was not consulted. Use these limits only when the target version is
 * known, and keep `DEFAULT_LIMITS` otherwise.
 */
export const EXTENDED_LIMITS: DclLimits = Object.freeze({ maxRecord: 255, maxCommand: 4096, maxToken: 255 });

/** Length of text in bytes as DCL counts it, with the text stored as UTF-8. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Return the index of the first control character (U+0000 to U+001F or U+007F) in `text`, or -1. A tab
 * counts only when `allowTab` is false. DCL records cannot carry these characters, even inside quotes.
 */
export function findControlCharacter(text: string, allowTab = false): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 || code === 0x7f) && !(allowTab && code === 0x09)) return index;
  }
  return -1;
}
