import { describe, expect, it } from "vitest";
import { showOf as show } from "../../../test/support/extractions";
import { emptyExtraction } from "./schema";
import { withSenderVendor } from "./sender-vendor";

describe("withSenderVendor", () => {
  it("fills the company of shows that name none, keeps the ones that do, and lists it once", () => {
    const extraction = { ...emptyExtraction(), shows: [show({ confidence: 0.7 }), show({ vendor: "Mic Drop", dayOfWeek: "saturday" })] };
    const out = withSenderVendor(extraction, " Sing Out Loud ");
    expect(out.shows.map((s) => s.vendor)).toEqual(["Sing Out Loud", "Mic Drop"]);
    expect(out.vendors).toEqual([{ name: "Sing Out Loud", website: null, description: null, confidence: 0.7 }]);
  });

  it("does not list it twice when the image lists it already", () => {
    const extraction = {
      ...emptyExtraction(),
      shows: [show({})],
      vendors: [{ name: "sing out loud", website: null, description: null, confidence: 1 }],
    };
    expect(withSenderVendor(extraction, "Sing Out Loud").vendors).toHaveLength(1);
  });

  it("changes nothing without a vendor, or when every show names its own", () => {
    const extraction = { ...emptyExtraction(), shows: [show({ vendor: "Mic Drop" })] };
    expect(withSenderVendor(extraction, null)).toBe(extraction);
    expect(withSenderVendor(extraction, "  ")).toBe(extraction);
    expect(withSenderVendor(extraction, "Sing Out Loud")).toBe(extraction);
  });
});
