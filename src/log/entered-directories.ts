/**
 * A quick search of a whole log for the absolute directories that make or ninja report entering, without
 * parsing the log. `vmsport translate` takes them as a guess of the directories its steps run in.
 */
import { parseDirectoryMessage } from "./directory.js";
import { cleanPhysicalLine } from "./lines.js";

/** Words of the `Entering directory` messages that `parseDirectoryMessage` recognises, as UTF-8 bytes. */
const ENTER_PHRASES = ["Entering directory", "wird betreten", "on entre dans le répertoire"].map((phrase) =>
  Buffer.from(phrase, "utf8"),
);

/**
 * Returns each absolute directory of an `Entering directory` message of make or ninja in `bytes`, once, in
 * no particular order. The search looks for the phrases first, so it reads only the lines that hold them.
 */
export function enteredDirectories(bytes: Buffer): string[] {
  const found = new Set<string>();
  for (const phrase of ENTER_PHRASES) {
    let at = bytes.indexOf(phrase);
    while (at >= 0) {
      const start = bytes.lastIndexOf(10, at) + 1;
      let end = bytes.indexOf(10, at);
      if (end < 0) end = bytes.length;
      const message = parseDirectoryMessage(cleanPhysicalLine(bytes.subarray(start, end)));
      if (message?.kind === "enter" && message.path.startsWith("/")) found.add(message.path);
      at = end < bytes.length ? bytes.indexOf(phrase, end) : -1;
    }
  }
  return [...found];
}
