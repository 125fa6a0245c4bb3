import { describe, expect, it } from "vitest";
import { nameKey, showKey, timeKey } from "./normalize";

describe("nameKey", () => {
  it("makes spellings of the same venue equal", () => {
    const keys = ["The Rusty Nail", "rusty nail", "Rusty Nail!", "THE  RUSTY   NAIL  ", "The Rusty-Nail", "rusty nail."].map(nameKey);
    expect(new Set(keys)).toEqual(new Set(["rusty nail"]));
  });

  it('drops a leading "the" also after leading spaces or punctuation', () => {
    expect(nameKey("  The Rusty Nail")).toBe("rusty nail");
    expect(nameKey('"The Rusty Nail"')).toBe("rusty nail");
  });

  it("drops accents, apostrophes and treats & as and", () => {
    expect(nameKey("Café Olé")).toBe("cafe ole");
    expect(nameKey("Joe's Bar")).toBe(nameKey("Joes Bar"));
    expect(nameKey("Joe’s Bar")).toBe("joes bar");
    expect(nameKey("Bar & Grill")).toBe(nameKey("Bar and Grill"));
  });

  it('removes only a leading "the"', () => {
    expect(nameKey("Theatre Pub")).toBe("theatre pub");
    expect(nameKey("Over The Top")).toBe("over the top");
  });

  it("keeps different names different", () => {
    expect(nameKey("Rusty Nail")).not.toBe(nameKey("Rusty Anchor"));
    expect(nameKey("Bar 21")).not.toBe(nameKey("Bar 12"));
  });

  it("maps null and undefined to the empty key", () => {
    expect(nameKey(null)).toBe("");
    expect(nameKey(undefined)).toBe("");
  });
});

describe("timeKey", () => {
  it("pads the hour", () => {
    expect(timeKey("7:30")).toBe("07:30");
    expect(timeKey("07:30")).toBe("07:30");
    expect(timeKey("21:00")).toBe("21:00");
  });

  it("maps anything else to the empty key", () => {
    expect(timeKey(null)).toBe("");
    expect(timeKey(undefined)).toBe("");
    expect(timeKey("9pm")).toBe("");
    expect(timeKey("7:3")).toBe("");
  });
});

describe("showKey", () => {
  it("combines venue, weekday and start", () => {
    expect(showKey({ venueName: "The Rusty Nail", dayOfWeek: "friday", startTime: "7:30" })).toBe("rusty nail|friday|07:30");
    expect(showKey({ venueName: "Rusty Nail!", dayOfWeek: "friday", startTime: null })).toBe("rusty nail|friday|");
  });

  it("differs by weekday and by start", () => {
    const base = { venueName: "Rusty Nail", dayOfWeek: "friday", startTime: "21:00" };
    expect(showKey(base)).not.toBe(showKey({ ...base, dayOfWeek: "saturday" }));
    expect(showKey(base)).not.toBe(showKey({ ...base, startTime: "20:00" }));
  });
});
