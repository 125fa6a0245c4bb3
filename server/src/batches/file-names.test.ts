import { describe, expect, it } from "vitest";
import { safeFileName } from "./file-names";

describe("safeFileName", () => {
  it.each([
    ["../../etc/passwd.png", "passwd.png"],
    ["..\\..\\windows\\flyer.jpg", "flyer.jpg"],
    ["fri\u0000day\u001b[31m.png", "friday[31m.png"],
    ["bell\u0007\u009b.png", "bell.png"],
    ["🎤 karaoke night 🎶.png", "🎤 karaoke night 🎶.png"],
    ["..", "unnamed"],
    ["dir/", "unnamed"],
    ["", "unnamed"],
  ])("stores %j as %j", (sent, stored) => {
    expect(safeFileName(sent)).toBe(stored);
  });

  it("cuts a very long name to 255 characters without splitting an emoji", () => {
    const name = safeFileName(`${"🎤".repeat(300)}.png`);
    expect([...name]).toHaveLength(255);
    expect(name.endsWith("🎤")).toBe(true);
  });
});
