import { describe, expect, it } from "vitest";
import { addressKey, cityKey, handleKey, phoneKey, samePhone, stateKey, streetKey, websiteKey, zipKey } from "./place-keys";

describe("addressKey", () => {
  it("reads street type abbreviations", () => {
    expect(addressKey("822 Main Street")).toBe(addressKey("822 Main St"));
    expect(addressKey("640 Park Avenue")).toBe(addressKey("640 Park Ave."));
    expect(addressKey("4410 Sawmill Road")).toBe(addressKey("4410 Sawmill Rd"));
    expect(addressKey("77 Lake Shore Boulevard")).toBe(addressKey("77 Lake Shore Blvd"));
  });

  it("reads directions and written-out ordinals", () => {
    expect(addressKey("2201 North High Street")).toBe(addressKey("2201 N High St"));
    expect(addressKey("2201 N. High St.")).toBe(addressKey("2201 N High St"));
    expect(addressKey("1450 West Fifth Avenue")).toBe(addressKey("1450 W 5th Ave"));
  });

  it("treats Suite, Ste, Unit and # alike, but not another unit", () => {
    const keys = ["37 Elm St Suite 4", "37 Elm Street, Ste 4", "37 Elm St #4", "37 Elm St Unit 4"].map(addressKey);
    expect(new Set(keys).size).toBe(1);
    expect(addressKey("37 Elm St #5")).not.toBe(addressKey("37 Elm St #4"));
  });

  it("keeps other addresses apart", () => {
    expect(addressKey("822 Main St")).not.toBe(addressKey("823 Main St"));
    expect(addressKey("822 Main St")).not.toBe(addressKey("822 Main Ave"));
    expect(addressKey("2201 N High St")).not.toBe(addressKey("2201 S High St"));
  });

  it("ignores city, state and ZIP printed on the address line", () => {
    expect(addressKey("12 Main St, Springfield, IL 62701")).toBe(addressKey("12 Main Street"));
  });

  it("falls back to the text's name key for what is no street address", () => {
    expect(addressKey("Main & 5th")).toBe("main and 5th");
    expect(addressKey(null)).toBe("");
  });
});

describe("streetKey", () => {
  it("is the building: number and street, without direction, type or unit", () => {
    const keys = ["2201 N High St", "2201 High Street", "2201 North High St, Suite 4"].map(streetKey);
    expect(new Set(keys)).toEqual(new Set(["2201 high"]));
    expect(streetKey("77 Lakeshore Blvd")).toBe(streetKey("77 Lake Shore Boulevard"));
  });
});

describe("cityKey, stateKey, zipKey", () => {
  it("reads city abbreviations and case", () => {
    expect(cityKey("St. Pete Beach")).toBe(cityKey("Saint Pete Beach"));
    expect(cityKey("FT WAYNE")).toBe(cityKey("Fort Wayne"));
    expect(cityKey("Dayton")).not.toBe(cityKey("Columbus"));
  });

  it("makes states two-letter codes", () => {
    expect(["Ohio", "OH", "oh", "O.H."].map(stateKey)).toEqual(["OH", "OH", "OH", "OH"]);
    expect(stateKey("New York")).toBe("NY");
    expect(stateKey("district of columbia")).toBe("DC");
    expect(stateKey("Ontario")).toBe("ontario");
  });

  it("keeps the five-digit ZIP", () => {
    expect(zipKey("43201-1234")).toBe("43201");
    expect(zipKey(" 43201 ")).toBe("43201");
    expect(zipKey("n/a")).toBe("");
  });
});

describe("phoneKey", () => {
  it("reads the usual ways of writing a US number", () => {
    const keys = ["(614) 555-0199", "614.555.0199", "614-555-0199", "+1 614 555 0199", "1-614-555-0199", "614 555 0199 ext. 2"].map(
      phoneKey,
    );
    expect(new Set(keys)).toEqual(new Set(["6145550199"]));
  });

  it("keeps another country's code", () => {
    expect(phoneKey("+44 20 7946 0958")).toBe("+442079460958");
  });

  it("keeps the digits of what it cannot read, and nothing for no digits", () => {
    expect(phoneKey("call 5550100")).toBe("5550100");
    expect(phoneKey("")).toBe("");
  });

  it("takes a number without its area code for the same line", () => {
    expect(samePhone(phoneKey("555-0199"), phoneKey("(614) 555-0199"))).toBe(true);
    expect(samePhone(phoneKey("555-0198"), phoneKey("(614) 555-0199"))).toBe(false);
    expect(samePhone(phoneKey("(937) 555-0199"), phoneKey("(614) 555-0199"))).toBe(false);
  });
});

describe("websiteKey, handleKey", () => {
  it("ignores the scheme, www and a trailing slash", () => {
    expect(websiteKey("https://www.Star.example/")).toBe(websiteKey("star.example"));
  });

  it("ignores @ and case", () => {
    expect(handleKey("@DJMax")).toBe(handleKey("djmax"));
  });
});
