import { describe, expect, it } from "vitest";
import { showsCsv } from "./shows-file";

describe("showsCsv", () => {
  it("writes a cell that starts like a formula with a leading quote, and other cells as they are", () => {
    const csv = showsCsv([
      { venueName: '=HYPERLINK("http://evil.example","x")', djName: "+1 DJ", vendor: "@vendor", description: "-5 drinks", city: "Toledo" },
    ]);
    const [, row] = csv.trim().split("\n");
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(row).toContain("'+1 DJ");
    expect(row).toContain("'@vendor");
    expect(row).toContain("'-5 drinks");
    expect(row).toContain(",Toledo,");
  });
});
