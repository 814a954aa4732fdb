import { describe, expect, it } from "vitest";
import { colorLevel } from "../../src/util/terminal.js";

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe("colorLevel", () => {
  it("is off for a pipe", () => {
    expect(colorLevel(pipe, {})).toBe(0);
  });

  it("is on for a terminal", () => {
    expect(colorLevel(tty, { TERM: "xterm-256color" })).toBeGreaterThan(0);
  });

  it("honours NO_COLOR on a terminal", () => {
    expect(colorLevel(tty, { NO_COLOR: "1" })).toBe(0);
  });

  it("ignores an empty NO_COLOR", () => {
    expect(colorLevel(tty, { NO_COLOR: "", TERM: "xterm" })).toBeGreaterThan(0);
  });

  it("lets NO_COLOR win over FORCE_COLOR", () => {
    expect(colorLevel(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(0);
  });

  it("forces colour into a pipe", () => {
    expect(colorLevel(pipe, { FORCE_COLOR: "1" })).toBe(1);
  });

  it("reads FORCE_COLOR=0 as off", () => {
    expect(colorLevel(tty, { FORCE_COLOR: "0" })).toBe(0);
  });

  it("lets --no-color win", () => {
    expect(colorLevel(tty, { FORCE_COLOR: "3" }, true)).toBe(0);
  });

  it("is off for a dumb terminal", () => {
    expect(colorLevel(tty, { TERM: "dumb" })).toBe(0);
  });
});
