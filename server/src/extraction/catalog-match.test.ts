import { describe, expect, it } from "vitest";
import { matchCatalog } from "./catalog-match";

const venue = (over: Record<string, unknown> = {}) => ({
  name: "The Rusty Nail",
  address: "822 Main St",
  city: "Dayton",
  state: "OH",
  zip: "45402",
  phone: "(937) 555-0178",
  website: null,
  ...over,
});

const show = (over: Record<string, unknown> = {}) => ({
  venueName: "The Rusty Nail",
  dayOfWeek: "friday",
  startTime: "21:00",
  endTime: "01:00",
  date: null,
  djName: "DJ Max",
  vendor: "Star Karaoke",
  description: null,
  address: "822 Main St",
  city: "Dayton",
  state: "OH",
  zip: "45402",
  phone: "(937) 555-0178",
  ...over,
});

const known = (catalogItemId: string) => ({ match: "known", catalogItemId, previous: null });
const fresh = { match: "new", catalogItemId: null, previous: null };

describe("matchCatalog: venues", () => {
  const catalog = [{ id: "c-rusty", fields: venue() }];

  it("knows a venue under another spelling of its name and address", () => {
    const [match] = matchCatalog(
      "venue",
      [{ fields: venue({ name: "Rusty Nail", address: "822 Main Street", phone: "937.555.0178" }) }],
      catalog,
    );
    expect(match).toEqual(known("c-rusty"));
  });

  it("does not count what the new item leaves out as a difference", () => {
    const [match] = matchCatalog("venue", [{ fields: venue({ address: null, zip: null, phone: null, state: "Ohio" }) }], catalog);
    expect(match).toEqual(known("c-rusty"));
  });

  it("reports the catalog's values of the fields that changed", () => {
    const [match] = matchCatalog("venue", [{ fields: venue({ phone: "(937) 555-0100", website: "rustynail.example" }) }], catalog);
    expect(match).toEqual({ match: "changed", catalogItemId: "c-rusty", previous: { phone: "(937) 555-0178", website: null } });
  });

  it("knows a similar name at the same street", () => {
    const [match] = matchCatalog("venue", [{ fields: venue({ name: "Rusty Nail Bar", city: null }) }], catalog);
    expect(match?.catalogItemId).toBe("c-rusty");
  });

  it("keeps a venue of the same name in another city new", () => {
    const [match] = matchCatalog(
      "venue",
      [{ fields: venue({ address: "45 Oak Ave", city: "Columbus", zip: "43215", phone: null }) }],
      catalog,
    );
    expect(match).toEqual(fresh);
  });

  it("takes no side when a bare name matches venues in two cities", () => {
    const two = [
      ...catalog,
      { id: "c-rusty-columbus", fields: venue({ address: "45 Oak Ave", city: "Columbus", zip: "43215", phone: null }) },
    ];
    const bare = { name: "Rusty Nail", address: null, city: null, state: null, zip: null, phone: null, website: null };
    expect(matchCatalog("venue", [{ fields: bare }], two)).toEqual([fresh]);
    expect(matchCatalog("venue", [{ fields: { ...bare, city: "Columbus" } }], two)[0]?.catalogItemId).toBe("c-rusty-columbus");
  });
});

describe("matchCatalog: hosts and companies", () => {
  const hosts = [{ id: "c-max", fields: { name: "DJ Max", aliases: ["Maximum"], socialHandles: ["@djmax"] } }];

  it("knows a host without his title, or by an alias", () => {
    expect(matchCatalog("dj", [{ fields: { name: "Max", aliases: [], socialHandles: ["djmax"] } }], hosts)).toEqual([known("c-max")]);
    expect(matchCatalog("dj", [{ fields: { name: "Maximum", aliases: [], socialHandles: [] } }], hosts)[0]?.catalogItemId).toBe("c-max");
  });

  it("reports a new alias as a change", () => {
    const [match] = matchCatalog("dj", [{ fields: { name: "KJ Max", aliases: ["Mad Max"], socialHandles: [] } }], hosts);
    expect(match).toEqual({ match: "changed", catalogItemId: "c-max", previous: { aliases: ["Maximum"] } });
  });

  it("knows a company whatever its case or company form", () => {
    const companies = [{ id: "c-star", fields: { name: "Star Karaoke", website: "https://star.example/", description: null } }];
    const [match] = matchCatalog(
      "vendor",
      [{ fields: { name: "STAR KARAOKE LLC", website: "star.example", description: null } }],
      companies,
    );
    expect(match).toEqual(known("c-star"));
  });

  it("answers new for an empty catalog, one answer per item in order", () => {
    expect(matchCatalog("vendor", [{ fields: { name: "A" } }, { fields: { name: "B" } }], [])).toEqual([fresh, fresh]);
  });
});

describe("matchCatalog: shows", () => {
  const catalog = [{ id: "c-fri", fields: show() }];

  it("knows a show by venue, weekday and start whatever the spelling", () => {
    const [match] = matchCatalog(
      "show",
      [{ fields: show({ venueName: "Rusty Nail", djName: "Max", address: "822 Main Street" }) }],
      catalog,
    );
    expect(match).toEqual(known("c-fri"));
  });

  it("reports a new host as a change", () => {
    const [match] = matchCatalog("show", [{ fields: show({ djName: "KJ Sarah" }) }], catalog);
    expect(match).toEqual({ match: "changed", catalogItemId: "c-fri", previous: { djName: "DJ Max" } });
  });

  it("keeps another weekday, or the same name in another city, new", () => {
    expect(matchCatalog("show", [{ fields: show({ dayOfWeek: "saturday" }) }], catalog)).toEqual([fresh]);
    const columbus = show({ address: "45 Oak Ave", city: "Columbus", zip: "43215", phone: null });
    expect(matchCatalog("show", [{ fields: columbus }], catalog)).toEqual([fresh]);
  });

  it("takes the one show at the venue and weekday that moved its start", () => {
    const [match] = matchCatalog("show", [{ fields: show({ startTime: "20:00" }) }], catalog);
    expect(match).toEqual({ match: "changed", catalogItemId: "c-fri", previous: { startTime: "21:00" } });
  });

  it("does not call it a move when the batch has two shows there", () => {
    const matches = matchCatalog("show", [{ fields: show({ startTime: "14:00" }) }, { fields: show({ startTime: "20:00" }) }], catalog);
    expect(matches).toEqual([fresh, fresh]);
  });

  it("does not call it a move when the catalog has two shows there", () => {
    const two = [...catalog, { id: "c-fri-late", fields: show({ startTime: "23:00" }) }];
    expect(matchCatalog("show", [{ fields: show({ startTime: "20:00" }) }], two)).toEqual([fresh]);
    expect(matchCatalog("show", [{ fields: show({ startTime: "23:00" }) }], two)).toEqual([known("c-fri-late")]);
  });

  it("takes the one show there for a show read without a start", () => {
    expect(matchCatalog("show", [{ fields: show({ startTime: null, djName: null }) }], catalog)).toEqual([known("c-fri")]);
  });
});
