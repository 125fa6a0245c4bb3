import { describe, expect, it } from "vitest";
import { describeEngine } from "./describe";

describe("describeEngine", () => {
  it("names Gemini with its model and no hint", () => {
    expect(describeEngine({ name: "gemini", model: "gemini-2.5-flash" })).toEqual({
      name: "gemini",
      model: "gemini-2.5-flash",
      label: "Gemini gemini-2.5-flash",
      hint: null,
    });
  });

  it("names the offline engine and says a key reads hard images better", () => {
    const info = describeEngine({ name: "offline", model: null });
    expect(info.label).toBe("offline OCR");
    expect(info.hint).toMatch(/Gemini key \(GEMINI_API_KEY\) gives better results on hard images/);
  });

  it("names any other engine as it calls itself", () => {
    expect(describeEngine({ name: "fake", model: null })).toMatchObject({ label: "fake", hint: null });
  });
});
