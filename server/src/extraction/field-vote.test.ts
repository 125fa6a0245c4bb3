import { describe, expect, it } from "vitest";
import { vote } from "./field-vote";
import { hostKey, nameKey } from "./normalize";

const read = (value: string, imageId: string, confidence = 0.8) => ({ value, imageId, confidence });

describe("vote", () => {
  it("keeps the value most images give, an image counting once", () => {
    const readings = [read("KJ Sarah", "a", 0.99), read("KJ Sarah", "a", 0.99), read("DJ Max", "b", 0.5), read("Max", "c", 0.5)];
    expect(vote(readings, hostKey)).toEqual({ value: "DJ Max", values: ["DJ Max", "KJ Sarah"] });
  });

  it("breaks a tie by confidence, then by the fuller value, never by order", () => {
    expect(vote([read("A Bar", "a", 0.5), read("B Bar", "b", 0.9)], nameKey).value).toBe("B Bar");
    const tie = [read("Murphy's", "a"), read("Murphy's Pub", "b")];
    expect(vote(tie, nameKey).value).toBe("Murphy's Pub");
    expect(vote([...tie].reverse(), nameKey)).toEqual(vote(tie, nameKey));
  });

  it("shows a value in mixed case and with its apostrophes", () => {
    const readings = [
      read("O'REILLY'S TAVERN", "a", 0.99),
      read("OReillys Tavern", "b"),
      read("OReillys Tavern", "c"),
      read("O'Reilly's Tavern", "d"),
    ];
    expect(vote(readings, nameKey)).toEqual({ value: "O'Reilly's Tavern", values: ["O'Reilly's Tavern"] });
  });

  it("answers null for no readings", () => {
    expect(vote([], nameKey)).toEqual({ value: null, values: [] });
  });
});
