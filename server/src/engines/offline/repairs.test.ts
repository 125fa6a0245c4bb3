import { describe, expect, it } from "vitest";
import { repairAddressNumbers, repairDayWord, repairTimes } from "./repairs";

describe("repairDayWord", () => {
  it("reads 1, l and | for i, 0 for o, 5 for s and rn for m when the word then is a weekday", () => {
    expect(repairDayWord("FR1DAY")).toBe("FRIDAY");
    expect(repairDayWord("Frl")).toBe("Fri");
    expect(repairDayWord("Rnonday")).toBe("Monday");
    expect(repairDayWord("TUE5DAY")).toBe("TUESDAY");
    expect(repairDayWord("M0N")).toBe("MON");
    expect(repairDayWord("5aturdays")).toBe("Saturdays");
  });

  it("leaves a word that would not become a weekday as read", () => {
    for (const word of ["Sully's", "5th", "Rnarco", "1450", "Monday", "Fril", "Sunset"]) expect(repairDayWord(word)).toBe(word);
  });
});

describe("repairTimes", () => {
  it("reads O for 0, l and I for 1 and S for 5 in a clock time", () => {
    expect(repairTimes("S:30PM - 1O:OO PM")).toBe("5:30PM - 10:00 PM");
    expect(repairTimes("FRIDAY 9:3O PM")).toBe("FRIDAY 9:30 PM");
    expect(repairTimes("l0PM-2AM")).toBe("10PM-2AM");
    expect(repairTimes("SPM-close")).toBe("5PM-close");
  });

  it("repairs only what then is a valid time, and no prose", () => {
    expect(repairTimes("I am so ready")).toBe("I am so ready");
    expect(repairTimes("OS:SS PM")).toBe("OS:SS PM");
    expect(repairTimes("9S:00 PM")).toBe("9S:00 PM");
    expect(repairTimes("Shooters Sports Bar")).toBe("Shooters Sports Bar");
  });
});

describe("repairAddressNumbers", () => {
  it("reads digits into a house number before a street name and a zip after a state", () => {
    expect(repairAddressNumbers("l450 W 5th Ave, Columbus, OH 4321O")).toBe("1450 W 5th Ave, Columbus, OH 43210");
    expect(repairAddressNumbers("S219 W Lovers Ln, Dallas, TX 75209")).toBe("5219 W Lovers Ln, Dallas, TX 75209");
    expect(repairAddressNumbers("2O1 N High St")).toBe("201 N High St");
  });

  it("leaves words that are no number as read", () => {
    expect(repairAddressNumbers("SOS Lounge")).toBe("SOS Lounge");
    expect(repairAddressNumbers("Hosted by KJ Sarah")).toBe("Hosted by KJ Sarah");
    expect(repairAddressNumbers("Austin, TX SOLOS")).toBe("Austin, TX SOLOS");
  });
});
