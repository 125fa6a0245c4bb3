import { describe, expect, it } from "vitest";
import { uniqueKeys } from "./unique-keys";

describe("uniqueKeys", () => {
  it("keeps a base that no other item has", () => {
    expect(uniqueKeys([{ base: "rusty nail", details: ["dayton"] }, { base: "tipsy cow" }])).toEqual(["rusty nail", "tipsy cow"]);
  });

  it("adds details until items sharing a base differ", () => {
    const keys = uniqueKeys([
      { base: "rusty nail", details: ["dayton", "oh"] },
      { base: "rusty nail", details: ["columbus", "oh"] },
      { base: "lucky clover", details: ["springfield", "il"] },
      { base: "lucky clover", details: ["springfield", "mo"] },
    ]);
    expect(keys).toEqual([
      "rusty nail (dayton)",
      "rusty nail (columbus)",
      "lucky clover (springfield il)",
      "lucky clover (springfield mo)",
    ]);
  });

  it("numbers what no detail tells apart, in the order given", () => {
    expect(uniqueKeys([{ base: "max" }, { base: "max" }, { base: "max", details: [""] }])).toEqual(["max", "max #2", "max #3"]);
  });
});
