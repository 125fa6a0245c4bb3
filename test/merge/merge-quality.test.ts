import { describe, expect, it } from "vitest";
import { mergeExtractions, type MergedShow } from "../../server/src/extraction/merge";
import { nightMinutes } from "../../server/src/extraction/normalize";
import { RECORDS, SHOWS, sourcesOf, type ShowId } from "./labelled-set";

const merged = mergeExtractions(sourcesOf(RECORDS));

/** The records a merged show holds: each record's id is its show's description, and a merged show keeps every one it saw. */
const recordsOf = (show: MergedShow): string[] => [...new Set([show.description, ...(show.conflicts.description ?? [])])].map(String);
const showOfRecord = new Map(merged.shows.flatMap((show) => recordsOf(show).map((id) => [id, show] as const)));
const truthOf = new Map(RECORDS.map((r) => [r.id, r.truth]));

/** The one merged show holding the records of a true show; fails when they are split. */
function mergedShow(truth: ShowId): MergedShow {
  const shows = new Set(RECORDS.filter((r) => r.truth === truth).map((r) => showOfRecord.get(r.id)));
  expect(shows.size, `${truth} is in ${shows.size} merged shows`).toBe(1);
  const [show] = shows;
  if (!show) throw new Error(`${truth}: no merged show`);
  return show;
}

const venuesCalled = (name: RegExp) => merged.venues.filter((v) => name.test(v.name));

describe("merge quality on the labelled set", () => {
  it("is a set of at least 150 records over many images, no image listing one show twice", () => {
    expect(RECORDS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(RECORDS.map((r) => r.image)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(RECORDS.map((r) => `${r.image}|${r.truth}`)).size).toBe(RECORDS.length);
    expect(showOfRecord.size).toBe(RECORDS.length);
  });

  it("puts together the records of the same show and keeps the others apart (pairwise precision and recall)", () => {
    let together = 0;
    let same = 0;
    let both = 0;
    for (let i = 0; i < RECORDS.length; i++)
      for (let j = i + 1; j < RECORDS.length; j++) {
        const [a, b] = [RECORDS[i]!, RECORDS[j]!];
        const predicted = showOfRecord.get(a.id) === showOfRecord.get(b.id);
        const truly = truthOf.get(a.id) === truthOf.get(b.id);
        together += Number(predicted);
        same += Number(truly);
        both += Number(predicted && truly);
      }
    const precision = together ? both / together : 1;
    const recall = same ? both / same : 1;
    console.log(
      `merge pairs: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (${RECORDS.length} records, ${Object.keys(SHOWS).length} true shows)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.97);
    expect(merged.shows).toHaveLength(Object.keys(SHOWS).length);
  });

  it("joins spelling variants: case, a heading in capitals, + for &, a typo, an abbreviated company", () => {
    expect(mergedShow("blue-moon-toledo-thu").sources).toEqual(["p14", "w03", "w11"]);
    expect(venuesCalled(/blue moon bar/i)).toHaveLength(1);
    expect(mergedShow("rusty-dayton-fri").sources).toHaveLength(6);
    expect(mergedShow("rusty-dayton-sun").sources).toEqual(["p01", "p03", "s16", "w09"]);
    expect(mergedShow("rusty-dayton-sun").venueName).toBe("The Rusty Nail");
    expect(merged.vendors.filter((v) => /starlight karaoke/i.test(v.name))).toHaveLength(1);
    expect(mergedShow("rusty-columbus-fri").conflicts).not.toHaveProperty("vendor");
  });

  it("takes a host with and without the DJ/KJ title for one host: no conflict", () => {
    const show = mergedShow("murphys-tue");
    expect(show.sources).toEqual(["p07", "s04", "w01", "w09"]);
    expect(show.djName).toBe("DJ Tony Vox");
    expect(show.conflicts.djName).toBeUndefined();
    const tony = merged.djs.filter((d) => /tony vox/i.test(d.name));
    expect(tony).toHaveLength(1);
    expect([...tony[0]!.aliases].sort()).toEqual(["KJ Tony Vox", "Tony Vox"]);
    expect(mergedShow("shooters-sat").conflicts.djName).toBeUndefined();
  });

  it("takes a host's alias for the host", () => {
    const show = mergedShow("rusty-columbus-tue");
    expect(show.conflicts.djName).toBeUndefined();
    expect(merged.djs.filter((d) => /jax|jackson/i.test(d.name))).toHaveLength(1);
  });

  it("reads address abbreviations: St/Street, N/North, Ave/Avenue, W/West Fifth, Blvd/Boulevard, &/and", () => {
    for (const id of ["murphys-tue", "oreillys-fri", "copper-wed", "velvet-wed", "mockingbird-tue", "blue-moon-toledo-sat"] as const)
      expect(mergedShow(id).conflicts.address, id).toBeUndefined();
    expect(venuesCalled(/murphy/i)).toHaveLength(1);
    expect(venuesCalled(/reilly/i)).toHaveLength(1);
    expect(venuesCalled(/copper kettle/i)).toHaveLength(1);
  });

  it("joins partial addresses: with and without ZIP, no street, a suite, the phone only", () => {
    const rusty = mergedShow("rusty-dayton-fri");
    expect(rusty).toMatchObject({ address: "822 Main Street", city: "Dayton", state: "OH", zip: "45402", phone: "(937) 555-0178" });
    expect(mergedShow("local-sat").sources).toEqual(["p19", "w04", "w12"]);
    expect(mergedShow("shooters-sat").sources).toEqual(["p08", "s02", "w03"]);
    expect(mergedShow("sullys-thu").sources).toEqual(["p17", "w05", "w13"]);
    expect(mergedShow("harbor-fri").sources).toEqual(["p11", "w03", "w11"]);
  });

  it("keeps a venue's nights apart, all at the one venue", () => {
    const nights = (["rusty-dayton-fri", "rusty-dayton-wed", "rusty-dayton-sun"] as const).map(mergedShow);
    expect(new Set(nights).size).toBe(3);
    expect(new Set(nights.map((s) => s.key.split("|")[0])).size).toBe(1);
    expect(venuesCalled(/rusty nail/i).filter((v) => v.city === "Dayton")).toHaveLength(1);
  });

  it("keeps venues with the same or similar names in different cities or states apart", () => {
    const pairs = [
      ["rusty-dayton-fri", "rusty-columbus-fri"],
      ["starlite-cincinnati-sat", "starlight-dayton-sat"],
      ["lucky-illinois-wed", "lucky-missouri-wed"],
      ["hideout-evansville-fri", "hideout-bloomington-fri"],
      ["blue-moon-toledo-thu", "blue-moon-akron-thu"],
    ] as const;
    for (const [a, b] of pairs) {
      expect(mergedShow(a), `${a} / ${b}`).not.toBe(mergedShow(b));
      expect(`${mergedShow(a).city} ${mergedShow(a).state}`).not.toBe(`${mergedShow(b).city} ${mergedShow(b).state}`);
      expect(mergedShow(a).conflicts).not.toHaveProperty("startTime");
    }
    expect(
      venuesCalled(/rusty nail/i)
        .map((v) => v.city)
        .sort(),
    ).toEqual(["Columbus", "Dayton"]);
    expect(
      venuesCalled(/lucky clover/i)
        .map((v) => v.state)
        .sort(),
    ).toEqual(["IL", "MO"]);
    expect(new Set(merged.venues.map((v) => v.key)).size).toBe(merged.venues.length);
  });

  it("keeps conflicting hosts of one show as one show with a djName conflict", () => {
    const show = mergedShow("rusty-dayton-fri");
    expect(show.djName).toBe("DJ Max");
    expect(show.conflicts.djName).toEqual(["DJ Max", "KJ Sarah"]);
  });

  it("keeps a show past midnight (21:00–02:00) on its night", () => {
    const show = mergedShow("big-easy-fri");
    expect(show).toMatchObject({ dayOfWeek: "friday", startTime: "21:00", endTime: "02:00" });
    expect(show.conflicts).not.toHaveProperty("endTime");
    expect(nightMinutes(show.endTime)).toBeGreaterThan(nightMinutes(show.startTime) ?? Infinity);
  });

  it('reads a "Midnight" start as 00:00, one show, listed after the evening\'s show', () => {
    const late = mergedShow("night-owl-sat-midnight");
    const evening = mergedShow("night-owl-sat-evening");
    expect(late).toMatchObject({ startTime: "00:00", sources: ["p13", "w06", "w14"] });
    expect(late.conflicts).not.toHaveProperty("startTime");
    expect(merged.shows.indexOf(late)).toBeGreaterThan(merged.shows.indexOf(evening));
  });

  it('joins names with and without a leading "The"', () => {
    expect(mergedShow("tipsy-tue").sources).toEqual(["p10", "s01", "w02", "w10"]);
    expect(mergedShow("local-tue").sources).toEqual(["p19", "w12"]);
    expect([mergedShow("local-tue").venueName, mergedShow("local-sat").venueName]).toEqual([
      "The Local Watering Hole",
      "The Local Watering Hole",
    ]);
    expect(venuesCalled(/big easy/i)).toHaveLength(1);
    expect(venuesCalled(/hideout/i)).toHaveLength(2);
  });

  it("joins names with and without apostrophes, and shows the name with them", () => {
    expect(mergedShow("oreillys-fri").sources).toEqual(["p05", "p06", "w02", "w10"]);
    expect(venuesCalled(/reilly/i)[0]!.name).toBe("O'Reilly's Tavern");
    expect(venuesCalled(/sully/i)[0]!.name).toBe("Sully's Corner Bar");
    expect(mergedShow("sullys-mon").conflicts).not.toHaveProperty("venueName");
  });

  it("folds a show read without a start into the one timed show at its venue and night", () => {
    expect(mergedShow("tipsy-tue")).toMatchObject({ startTime: "21:00", endTime: "01:00" });
  });

  it("flags both shows when images disagree on a start and none lists both", () => {
    expect(mergedShow("velvet-thu-2000").conflicts.startTime).toEqual(["20:00", "20:30"]);
    expect(mergedShow("velvet-thu-2030").conflicts.startTime).toEqual(["20:30", "20:00"]);
  });

  it("flags no conflict for a two-show night one image lists", () => {
    expect(mergedShow("velvet-sun-afternoon").conflicts).not.toHaveProperty("startTime");
    expect(mergedShow("velvet-sun-evening").conflicts).not.toHaveProperty("startTime");
  });

  it("gives the same result for the images in any order", () => {
    const sources = sourcesOf(RECORDS);
    expect(mergeExtractions([...sources].reverse())).toEqual(merged);
    expect(mergeExtractions([...sources.slice(20), ...sources.slice(0, 20)])).toEqual(merged);
  });
});
