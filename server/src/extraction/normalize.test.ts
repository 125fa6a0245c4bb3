import { describe, expect, it } from "vitest";
import { compactKey, hostKey, nameKey, nightMinutes, timeKey, vendorKey, weekdayKey } from "./normalize";

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
    expect(nameKey("O'Reilly's Tavern")).toBe(nameKey("OReillys Tavern"));
    expect(nameKey("Blue Moon Bar & Grill")).toBe(nameKey("Blue Moon Bar and Grill"));
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

describe("compactKey", () => {
  it("also ignores where the spaces fall", () => {
    expect(compactKey("Lake Shore Lounge")).toBe(compactKey("Lakeshore Lounge"));
    expect(compactKey("O Reilly's")).toBe(compactKey("O'Reillys"));
  });
});

describe("hostKey", () => {
  it("drops DJ, KJ and MC titles and case", () => {
    const keys = ["DJ Max", "KJ Max", "MC Max", "dj max", "D.J. Max", "DJ/KJ Max", "Max", "  max "].map(hostKey);
    expect(new Set(keys)).toEqual(new Set(["max"]));
  });

  it("keeps names that only start like a title", () => {
    expect(hostKey("Djinn")).toBe("djinn");
    expect(hostKey("McKenzie")).toBe("mckenzie");
  });

  it('keeps a host named just "DJ"', () => {
    expect(hostKey("DJ")).toBe("dj");
  });
});

describe("vendorKey", () => {
  it("ignores the company form", () => {
    expect(vendorKey("Star Karaoke, LLC")).toBe(vendorKey("STAR KARAOKE"));
    expect(vendorKey("Night Owl Karaoke Inc.")).toBe("night owl karaoke");
  });
});

describe("weekdayKey", () => {
  it("reads abbreviations, plurals and case", () => {
    expect(["Mon", "mon.", "MONDAY", "Mondays", "monday nights"].map(weekdayKey)).toEqual(Array(5).fill("monday"));
    expect(["Tue", "Tues", "tuesdays"].map(weekdayKey)).toEqual(Array(3).fill("tuesday"));
    expect(["Wed", "Weds", "Wednesdays"].map(weekdayKey)).toEqual(Array(3).fill("wednesday"));
    expect(["Thu", "Thur", "Thurs"].map(weekdayKey)).toEqual(Array(3).fill("thursday"));
    expect(["Fri", "Sat", "Sun", "Sundays"].map(weekdayKey)).toEqual(["friday", "saturday", "sunday", "sunday"]);
  });

  it("answers empty for what is no single weekday", () => {
    expect(weekdayKey("t")).toBe("");
    expect(weekdayKey("s")).toBe("");
    expect(weekdayKey("weekend")).toBe("");
    expect(weekdayKey(null)).toBe("");
  });
});

describe("timeKey", () => {
  it("pads the hour", () => {
    expect(timeKey("7:30")).toBe("07:30");
    expect(timeKey("07:30")).toBe("07:30");
    expect(timeKey("21:00")).toBe("21:00");
  });

  it("reads 12-hour times in their usual spellings", () => {
    expect(["9pm", "9 PM", "9:00 PM", "9:00pm", "9 p.m.", "21:00", "2100", "9p"].map(timeKey)).toEqual(Array(8).fill("21:00"));
    expect(timeKey("9:30 am")).toBe("09:30");
    expect(timeKey("12pm")).toBe("12:00");
    expect(timeKey("930pm")).toBe("21:30");
  });

  it("reads midnight, noon and close", () => {
    expect(timeKey("Midnight")).toBe("00:00");
    expect(timeKey("12 midnight")).toBe("00:00");
    expect(timeKey("12am")).toBe("00:00");
    expect(timeKey("12:00 AM")).toBe("00:00");
    expect(timeKey("Noon")).toBe("12:00");
    expect(timeKey("close")).toBe("close");
    expect(timeKey("til close")).toBe("close");
  });

  it("maps anything else to the empty key", () => {
    expect(timeKey(null)).toBe("");
    expect(timeKey(undefined)).toBe("");
    expect(timeKey("7:3")).toBe("");
    expect(timeKey("25:00")).toBe("");
    expect(timeKey("13pm")).toBe("");
    expect(timeKey("9:75")).toBe("");
    expect(timeKey("late-ish")).toBe("");
  });
});

describe("nightMinutes", () => {
  it("counts a time after midnight as the next day's, so a show 21:00–02:00 ends after it starts", () => {
    expect(nightMinutes("21:00")).toBe(21 * 60);
    expect(nightMinutes("02:00")).toBe(26 * 60);
    expect(nightMinutes("2am")).toBeGreaterThan(nightMinutes("21:00") ?? Infinity);
    expect(nightMinutes("Midnight")).toBe(24 * 60);
  });

  it("keeps the morning and afternoon in their place", () => {
    expect(nightMinutes("06:00")).toBe(6 * 60);
    expect(nightMinutes("14:00")).toBe(14 * 60);
  });

  it("is null for no readable time", () => {
    expect(nightMinutes(null)).toBeNull();
    expect(nightMinutes("close")).toBeNull();
  });
});
