import { describe, expect, it } from "vitest";
import { ShrinkPolicy } from "./shrink-policy";

describe("ShrinkPolicy", () => {
  it("keeps the size for deaths spread out, shrinks one step per burst, never below one", () => {
    const policy = new ShrinkPolicy(3, 3, 1_000);
    expect([policy.death(0), policy.death(1_500), policy.death(3_000)]).toEqual([null, null, null]);
    expect(policy.threads).toBe(3);
    expect([policy.death(4_000), policy.death(4_100), policy.death(4_200)]).toEqual([null, null, 2]);
    // The burst that shrank it is spent: the next step needs three new deaths.
    expect([policy.death(4_300), policy.death(4_400)]).toEqual([null, null]);
    expect(policy.death(4_500)).toBe(1);
    for (let i = 0; i < 6; i++) expect(policy.death(5_000 + i)).toBeNull();
    expect(policy.threads).toBe(1);
  });
});
