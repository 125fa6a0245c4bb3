import { describe, expect, it } from "vitest";
import { extractionSchema, type Extraction } from "../../extraction/schema";
import { parseScheduleText } from "./parse-text";

const rows = (result: Extraction) => result.shows.map((s) => [s.dayOfWeek, s.venueName, s.startTime, s.endTime, s.djName] as const);
const brief = (text: string) => rows(parseScheduleText(text));

describe("parseScheduleText: layouts", () => {
  it("reads a company's weekly schedule with addresses and phones", () => {
    const result = parseScheduleText(
      `MIC DROP PRODUCTIONS
WEEKLY KARAOKE SCHEDULE

MONDAY 7:00 PM - 12:00 AM
Shooters Sports Bar with DJ Rockin Rob
640 Park Ave, Mansfield, OH 44903 (419) 555-0156

TUESDAY 8:00 PM - 2:00 AM

The Rusty Nail with KJ Big Mike

822 Main St, Dayton, OH 45402 (937) 555-0178
SATURDAY 9:30 PM - 11:00 PM
Harbor Lights Inn with KJ Jax
58 Front St, Marietta, OH 45750 (740) 555-0125

Come sing with us! No cover. 21+`,
      { ocrConfidence: 0.94 },
    );
    expect(() => extractionSchema.parse(result)).not.toThrow();
    expect(result.shows).toEqual([
      expect.objectContaining({
        venueName: "Shooters Sports Bar",
        dayOfWeek: "monday",
        startTime: "19:00",
        endTime: "00:00",
        djName: "DJ Rockin Rob",
        vendor: "Mic Drop Productions",
        date: null,
      }),
      expect.objectContaining({
        venueName: "The Rusty Nail",
        dayOfWeek: "tuesday",
        startTime: "20:00",
        endTime: "02:00",
        djName: "KJ Big Mike",
        vendor: "Mic Drop Productions",
      }),
      expect.objectContaining({
        venueName: "Harbor Lights Inn",
        dayOfWeek: "saturday",
        startTime: "21:30",
        endTime: "23:00",
        djName: "KJ Jax",
        vendor: "Mic Drop Productions",
      }),
    ]);
    expect(result.venues[0]).toEqual({
      name: "Shooters Sports Bar",
      address: "640 Park Ave",
      city: "Mansfield",
      state: "OH",
      zip: "44903",
      phone: "(419) 555-0156",
      website: null,
      confidence: expect.any(Number),
    });
    expect(result.venues.map((v) => v.name)).toEqual(["Shooters Sports Bar", "The Rusty Nail", "Harbor Lights Inn"]);
    expect(result.djs.map((d) => d.name)).toEqual(["DJ Rockin Rob", "KJ Big Mike", "KJ Jax"]);
    expect(result.vendors).toEqual([{ name: "Mic Drop Productions", website: null, description: null, confidence: expect.any(Number) }]);
  });

  it("reads a poster: one venue on two weekdays, host and company in the footer", () => {
    const result = parseScheduleText(`KARAOKE
NIGHT

EVERY MONDAY & WEDNESDAY
8:30 PM - 11:30 PM

at The Velvet Note

77 Lake Shore Blvd, Cleveland, OH 44114
(216) 555-0171

Hosted by KJ Sarah

Karaoke by Encore K] Services`);
    expect(result.shows.map((s) => [s.dayOfWeek, s.venueName, s.startTime, s.endTime, s.djName, s.vendor])).toEqual([
      ["monday", "The Velvet Note", "20:30", "23:30", "KJ Sarah", "Encore KJ Services"],
      ["wednesday", "The Velvet Note", "20:30", "23:30", "KJ Sarah", "Encore KJ Services"],
    ]);
    expect(result.venues).toEqual([
      expect.objectContaining({
        name: "The Velvet Note",
        address: "77 Lake Shore Blvd",
        city: "Cleveland",
        state: "OH",
        zip: "44114",
        phone: "(216) 555-0171",
      }),
    ]);
    expect(result.djs).toEqual([expect.objectContaining({ name: "KJ Sarah", aliases: [], socialHandles: [] })]);
  });

  it("reads a social media post with OCR slips in the host prefixes and times", () => {
    const result = parseScheduleText(`O Sing It Loud Karaoke
18h + Public

This week's karaoke shows! Come out and sing:

Sun - Harbor Lights Inn 8pm-11pm w/ D] Max
58 Front St, Marietta, OH

Wed - Copper Kettle Taproom 10pm-1lam w/ KJ] Lisa Marie
1200 S Lamar Blvd, Austin, TX

Thu - Shooters Sports Bar 8pm-2am w/ D)J Rockin Rob
640 Park Ave, Mansfield, Ml

Like Comment Share`);
    expect(result.shows.map((s) => [s.dayOfWeek, s.venueName, s.startTime, s.endTime, s.djName, s.vendor])).toEqual([
      ["sunday", "Harbor Lights Inn", "20:00", "23:00", "DJ Max", "Sing It Loud Karaoke"],
      ["wednesday", "Copper Kettle Taproom", "22:00", "01:00", "KJ Lisa Marie", "Sing It Loud Karaoke"],
      ["thursday", "Shooters Sports Bar", "20:00", "02:00", "DJ Rockin Rob", "Sing It Loud Karaoke"],
    ]);
    expect(result.venues[1]).toMatchObject({ address: "1200 S Lamar Blvd", city: "Austin", state: "TX", zip: null, phone: null });
    expect(result.venues[2]).toMatchObject({ state: "MI" });
  });

  it("reads a venue's own flyer: the venue first, then its nights", () => {
    const result = parseScheduleText(`Murphy's Pub
2201 N High St
Columbus, OH 43201
Tuesdays 8pm-12am with DJ Max
Fridays 9pm-1am with KJ Sarah
Call (614) 555-0199`);
    expect(rows(result)).toEqual([
      ["tuesday", "Murphy's Pub", "20:00", "00:00", "DJ Max"],
      ["friday", "Murphy's Pub", "21:00", "01:00", "KJ Sarah"],
    ]);
    expect(result.venues).toEqual([
      expect.objectContaining({
        name: "Murphy's Pub",
        address: "2201 N High St",
        city: "Columbus",
        state: "OH",
        zip: "43201",
        phone: "(614) 555-0199",
      }),
    ]);
  });

  it("reads a line that puts the host before the time and venue", () => {
    expect(brief(`Tuesday KJ Sarah 9pm-1am Murphy's Pub`)).toEqual([["tuesday", "Murphy's Pub", "21:00", "01:00", "KJ Sarah"]]);
  });

  it("reads one weekday heading over several venues", () => {
    expect(brief(`TUESDAY\nMurphy's Pub 8pm-12am\nThe Rusty Nail 9pm-1am w/ KJ Jax`)).toEqual([
      ["tuesday", "Murphy's Pub", "20:00", "00:00", null],
      ["tuesday", "The Rusty Nail", "21:00", "01:00", "KJ Jax"],
    ]);
  });
});

describe("parseScheduleText: weekdays", () => {
  const days = (line: string) => parseScheduleText(`${line} 9pm-1am at Murphy's Pub`).shows.map((s) => s.dayOfWeek);

  it.each([
    ["Wed & Fri", ["wednesday", "friday"]],
    ["Wed and Fri", ["wednesday", "friday"]],
    ["Mon-Wed", ["monday", "tuesday", "wednesday"]],
    ["Fri - Sun", ["friday", "saturday", "sunday"]],
    ["EVERY TUESDAY", ["tuesday"]],
    ["every tuesday", ["tuesday"]],
    ["Thursdays", ["thursday"]],
    ["Thurs.", ["thursday"]],
    ["EVERY TUESOAY", ["tuesday"]],
    ["WEDNESDAV", ["wednesday"]],
    ["Tues, Thurs & Sat", ["tuesday", "thursday", "saturday"]],
    ["Nightly", ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]],
  ])("%s", (line, expected) => {
    expect(days(line)).toEqual(expected);
  });

  it("does not read a Sunday into a venue called Sun Valley", () => {
    expect(brief(`Friday 9pm-1am\nSun Valley Tavern with DJ Max`)).toEqual([["friday", "Sun Valley Tavern", "21:00", "01:00", "DJ Max"]]);
  });
});

describe("parseScheduleText: times", () => {
  const times = (range: string) => {
    const show = parseScheduleText(`Saturday ${range}\nat Murphy's Pub`).shows[0];
    return [show?.startTime, show?.endTime];
  };

  it.each([
    ["7:30 PM - 11:30 PM", "19:30", "23:30"],
    ["8PM-12AM", "20:00", "00:00"],
    ["9 pm - 1 am", "21:00", "01:00"],
    ["21:00-01:00", "21:00", "01:00"],
    ["8:30pm-1:30am", "20:30", "01:30"],
    ["7pm to midnight", "19:00", "00:00"],
    ["9pm - close", "21:00", null],
    ["starts at 9 P.M.", "21:00", null],
    ["8-11pm", "20:00", "23:00"],
    ["9-2am", "21:00", "02:00"],
    ["8pm-12", "20:00", "00:00"],
    ["9:00-1:00", "21:00", "01:00"],
    ["9-1", "21:00", "01:00"],
    ["12PM-4PM", "12:00", "16:00"],
    ["7:3O PM - l1:30 PM", "19:30", "23:30"],
    ["8Pm-12aM", "20:00", "00:00"],
  ])("%s", (range, start, end) => {
    expect(times(range)).toEqual([start, end]);
  });

  it("keeps a printed date only when it has a year", () => {
    expect(parseScheduleText(`Friday, March 14, 2025 9pm-1am at Murphy's Pub`).shows[0]?.date).toBe("2025-03-14");
    expect(parseScheduleText(`Friday 3/14 9pm-1am at Murphy's Pub`).shows[0]?.date).toBeNull();
  });
});

describe("parseScheduleText: OCR noise", () => {
  it("repairs | read for I and stray characters around lines", () => {
    const result = parseScheduleText(`~ MIC DROP PRODUCT|ONS .
| W|LD |RISH PUB W|TH DJ TONY VOX |
— THURSDAY 9:30PM - 1:30AM
' 1450 W 5th Ave, Columbus, OH 43212 (614) 555-0131 —
ee ,`);
    expect(result.vendors.map((v) => v.name)).toEqual(["Mic Drop Productions"]);
    expect(result.shows).toEqual([
      expect.objectContaining({
        venueName: "Wild Irish Pub",
        dayOfWeek: "thursday",
        startTime: "21:30",
        endTime: "01:30",
        djName: "DJ Tony Vox",
      }),
    ]);
    expect(result.venues[0]).toMatchObject({ address: "1450 W 5th Ave", city: "Columbus", state: "OH", zip: "43212" });
  });

  it("reads mixed case and a bare hosted-by name", () => {
    expect(brief(`EVERY Friday 9PM-1AM\nKaraoke at the tipsy cow\nhosted by Sarah`)).toEqual([
      ["friday", "The Tipsy Cow", "21:00", "01:00", "Sarah"],
    ]);
    expect(brief(`Sat 8pm-12am O'REILLY'S TAVERN w/ kj big mike`)).toEqual([
      ["saturday", "O'Reilly's Tavern", "20:00", "00:00", "KJ Big Mike"],
    ]);
  });

  it("drops the specks OCR reads around a name, keeping accented letters", () => {
    const result = parseScheduleText(`¢o ) Starlight Karaoke Entertainment\nThursday 9pm-1am\nCafé Luna with DJ Max`);
    expect(result.vendors.map((v) => v.name)).toEqual(["Starlight Karaoke Entertainment"]);
    expect(result.shows.map((s) => s.venueName)).toEqual(["Café Luna"]);
  });

  it("keeps an unreadable host out of the venue name", () => {
    expect(brief(`SUNDAY 9PM - 12:30AM\nThe Tipsy Cow with D*J Melody`)).toEqual([["sunday", "The Tipsy Cow", "21:00", "00:30", null]]);
  });

  it("collects a DJ's social handle", () => {
    const result = parseScheduleText(`Tuesday 8pm-12am\nRed Door Tavern with DJ Sparkle @djsparkle`);
    expect(result.djs).toEqual([expect.objectContaining({ name: "DJ Sparkle", socialHandles: ["@djsparkle"] })]);
  });
});

describe("parseScheduleText: websites", () => {
  it("gives a printed website to the company or venue whose name it spells", () => {
    const result = parseScheduleText(`HIGH NOTES KARAOKE
www.highnoteskaraoke.com
FRIDAY 9PM-2AM
Lone Star Icehouse with DJ Sparkle
2810 Guadalupe St, San Marcos, TX 78666
lonestaricehouse.com
facebook.com/somebodyelse`);
    expect(result.vendors).toEqual([expect.objectContaining({ name: "High Notes Karaoke", website: "www.highnoteskaraoke.com" })]);
    expect(result.venues).toEqual([expect.objectContaining({ name: "Lone Star Icehouse", website: "lonestaricehouse.com", zip: "78666" })]);
  });
});

describe("parseScheduleText: never invents", () => {
  it("returns an empty extraction for empty or unreadable text", () => {
    expect(parseScheduleText("")).toEqual({ shows: [], venues: [], djs: [], vendors: [] });
    expect(parseScheduleText("~ . ee |\n  ,, —")).toEqual({ shows: [], venues: [], djs: [], vendors: [] });
  });

  it("drops a show whose venue is never named", () => {
    const result = parseScheduleText(`KARAOKE TONIGHT\nEVERY FRIDAY 9PM-1AM\nHosted by DJ Max`);
    expect(result.shows).toEqual([]);
    expect(result.venues).toEqual([]);
  });

  it("leaves unprinted fields null", () => {
    const [show] = parseScheduleText(`Wednesday at Lucky Clover Pub`).shows;
    expect(show).toMatchObject({
      venueName: "Lucky Clover Pub",
      dayOfWeek: "wednesday",
      startTime: null,
      endTime: null,
      djName: null,
      vendor: null,
      date: null,
    });
  });
});

describe("parseScheduleText: confidence", () => {
  it("follows the OCR confidence and how complete a show is", () => {
    const text = `Tuesday 8pm-12am\nRed Door Tavern with DJ Sparkle\n506 Walnut St, Lancaster, PA 17603`;
    const sure = parseScheduleText(text, { ocrConfidence: 0.95 }).shows[0]!.confidence;
    const unsure = parseScheduleText(text, { ocrConfidence: 0.5 }).shows[0]!.confidence;
    const partial = parseScheduleText(`Tuesday\nRed Door Tavern`, { ocrConfidence: 0.95 }).shows[0]!.confidence;
    expect(sure).toBeGreaterThan(0.85);
    expect(unsure).toBeLessThan(sure);
    expect(partial).toBeLessThan(sure);
  });
});

/** OCR lines from text, every word at `confidence` unless `unsure` lists it (by its text) with its own. */
const ocrLines = (text: string, confidence: number, unsure: Record<string, number> = {}) =>
  text.split("\n").map((line) => line.split(" ").map((word) => ({ text: word, confidence: unsure[word] ?? confidence })));

describe("parseScheduleText: word confidences", () => {
  it("drops unsure specks at a line's ends (emoji read as letters) but keeps sure short words", () => {
    const text = `Q THURSDAY 8:00 PM - 11:00 PM *\nYr Sully's Corner Bar with KJ Lisa Marie J]`;
    const result = parseScheduleText(text, { ocrConfidence: 0.9, lines: ocrLines(text, 0.92, { Q: 0.4, Yr: 0.35, "J]": 0.3 }) });
    expect(rows(result)).toEqual([["thursday", "Sully's Corner Bar", "20:00", "23:00", "KJ Lisa Marie"]]);
    const poster = `EVERY FRIDAY 9PM-1AM\nat Murphy's Pub`;
    expect(rows(parseScheduleText(poster, { lines: ocrLines(poster, 0.9) }))).toEqual([["friday", "Murphy's Pub", "21:00", "01:00", null]]);
  });

  it("gives each show the confidence of its own lines", () => {
    const text = `MONDAY 8PM-12AM\nShooters Sports Bar\nTUESDAY 9PM-1AM\nThe Rusty Nail`;
    const result = parseScheduleText(text, { lines: ocrLines(text, 0.95, { Rusty: 0.5, Nail: 0.5 }) });
    const [sure, shaky] = result.shows;
    expect(sure?.venueName).toBe("Shooters Sports Bar");
    expect(shaky?.venueName).toBe("The Rusty Nail");
    expect(shaky!.confidence).toBeLessThan(sure!.confidence - 0.2);
  });

  it("leaves the end time and host null when their line was read unsure", () => {
    const text = `SATURDAY 9PM-2AM with DJ Max\nat Murphy's Pub`;
    const sure = parseScheduleText(text, { lines: ocrLines(text, 0.9) });
    expect(rows(sure)).toEqual([["saturday", "Murphy's Pub", "21:00", "02:00", "DJ Max"]]);
    const shaky = parseScheduleText(text, { lines: ocrLines(text, 0.9, { SATURDAY: 0.3, "9PM-2AM": 0.3, with: 0.3, DJ: 0.3, Max: 0.3 }) });
    expect(rows(shaky)).toEqual([["saturday", "Murphy's Pub", "21:00", null, null]]);
  });
});

describe("parseScheduleText: harder wording", () => {
  it("reads several venues on one line, each with its own time", () => {
    expect(brief(`WEDNESDAY\nHonky Tonk Heaven 8PM-12:30AM | Blue Moon Bar & Grill 10:00 PM - 2:30 AM`)).toEqual([
      ["wednesday", "Honky Tonk Heaven", "20:00", "00:30", null],
      ["wednesday", "Blue Moon Bar & Grill", "22:00", "02:30", null],
    ]);
    expect(brief(`Sat - Mockingbird Bar 10pm-3am & Lucky Clover Pub 9pm-1am`)).toEqual([
      ["saturday", "Mockingbird Bar", "22:00", "03:00", null],
      ["saturday", "Lucky Clover Pub", "21:00", "01:00", null],
    ]);
  });

  it("reads a bare time on a line of its own under the weekday as an evening", () => {
    expect(brief(`KARAOKE\nNIGHT\nEVERY TUESDAY\n7-10\nat Lucky Clover Pub`)).toEqual([
      ["tuesday", "Lucky Clover Pub", "19:00", "22:00", null],
    ]);
    expect(brief(`EVERY MONDAY\n8 till 11\nat O'Reilly's Tavern`)).toEqual([["monday", "O'Reilly's Tavern", "20:00", "23:00", null]]);
  });

  it("reads day ranges and lists, 'till close', and OCR's letters for digits in a time", () => {
    expect(brief(`Mon-Thu 8PM - CLOSE\nat The Tin Roof`).map(([day, , start, end]) => [day, start, end])).toEqual([
      ["monday", "20:00", null],
      ["tuesday", "20:00", null],
      ["wednesday", "20:00", null],
      ["thursday", "20:00", null],
    ]);
    expect(brief(`Wed & FRl 9:3O PM - 1:3O AM\nat Murphy's Pub`)).toEqual([
      ["wednesday", "Murphy's Pub", "21:30", "01:30", null],
      ["friday", "Murphy's Pub", "21:30", "01:30", null],
    ]);
  });
});

describe("parseScheduleText: specks and digits", () => {
  it("keeps an unsure digit at a line's end and cuts an emoji's reading glued to a name", () => {
    const text = `@ WEDNESDAY 9:00 -2 >\nYrRiverside Roadhouse with DJ Max JJ`;
    const result = parseScheduleText(text, { lines: ocrLines(text, 0.9, { "-2": 0.4, YrRiverside: 0.5, JJ: 0.3 }) });
    expect(rows(result)).toEqual([["wednesday", "Riverside Roadhouse", "21:00", "02:00", "DJ Max"]]);
    const post = `4") Mic Drop Productions\nFri - Murphy's Pub 9pm-1am`;
    const read = parseScheduleText(post, { lines: ocrLines(post, 0.95, { '4")': 0.23 }) });
    expect(read.shows[0]?.vendor).toBe("Mic Drop Productions");
    const sure = `McDonald's Pub\nFRIDAY 9PM-1AM`;
    expect(rows(parseScheduleText(sure, { lines: ocrLines(sure, 0.95) }))[0]?.[1]).toBe("McDonald's Pub");
  });
});
