import { describe, expect, it } from "vitest";
import { extractionFromTruth, type TruthShow } from "./flyers";
import { addScores, emptyScore, figures, scoreImage } from "./show-score";

const show = (over: Partial<TruthShow> = {}): TruthShow => ({
  venue: "O'Reilly's Tavern",
  address: "1450 W 5th Ave",
  city: "Columbus",
  state: "OH",
  zip: null,
  phone: null,
  dayOfWeek: "friday",
  startTime: "21:00",
  endTime: null,
  djName: "DJ Max",
  vendor: "Mic Drop Productions",
  ...over,
});
const truth = [show(), show({ dayOfWeek: "saturday", startTime: "20:30", endTime: "01:00" })];

describe("scoreImage", () => {
  it("scores a perfect reading 1 on shows and every field", () => {
    const f = figures(scoreImage(truth, extractionFromTruth({ vendor: "Mic Drop Productions", shows: truth })));
    expect(f).toEqual({ f1: 1, precision: 1, recall: 1, accuracy: { startTime: 1, endTime: 1, host: 1, street: 1, company: 1 } });
  });

  it("matches after normalisation: case, apostrophes, a street spelled out, a host without the title", () => {
    const read = extractionFromTruth({
      vendor: "MIC DROP PRODUCTIONS",
      shows: truth.map((s) => ({ ...s, venue: "OREILLYS TAVERN", djName: "Max" })),
    });
    read.venues[0]!.address = "1450 West 5th Avenue";
    expect(figures(scoreImage(truth, read))).toMatchObject({ f1: 1, accuracy: { host: 1, street: 1 } });
  });

  it("counts a wrong start time as a wrong show, an extra show against precision, a missing one against recall", () => {
    const read = extractionFromTruth({
      vendor: null,
      shows: [
        show({ startTime: "22:00" }),
        show({ dayOfWeek: "saturday", startTime: "20:30", endTime: "01:00" }),
        show({ dayOfWeek: "monday" }),
      ],
    });
    const score = scoreImage(truth, read);
    expect(score).toMatchObject({ truthShows: 2, predictedShows: 3, correctShows: 1 });
    const f = figures(score);
    expect(f.precision).toBeCloseTo(1 / 3);
    expect(f.recall).toBeCloseTo(1 / 2);
    expect(f.f1).toBeCloseTo(0.4);
    expect(f.accuracy.startTime).toBe(0.5);
    expect(f.accuracy.endTime).toBe(1);
  });

  it("wants a null where the truth has none: an invented end time or host is wrong", () => {
    const read = extractionFromTruth({ vendor: "Mic Drop Productions", shows: [show({ endTime: "02:00", djName: null })] });
    const f = figures(scoreImage([show()], read));
    expect(f.accuracy).toEqual({ startTime: 1, endTime: 0, host: 0, street: 1, company: 1 });
  });

  it("adds scores over images", () => {
    const one = scoreImage(truth, extractionFromTruth({ vendor: null, shows: truth.map((s) => ({ ...s, vendor: null })) }));
    const none = scoreImage([show({ venue: "Murphy's Pub" })], { shows: [], venues: [], djs: [], vendors: [] });
    const total = [one, none].reduce(addScores, emptyScore());
    expect(total).toMatchObject({ images: 2, truthShows: 3, predictedShows: 2, correctShows: 2 });
    expect(figures(total).recall).toBeCloseTo(2 / 3);
    expect(figures(total).accuracy.company).toBeCloseTo(0);
  });
});
