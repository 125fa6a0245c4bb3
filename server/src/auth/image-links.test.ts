import { describe, expect, it } from "vitest";
import { createImageLinks } from "./image-links";
import { createTokens } from "./tokens";

const tokens = createTokens("a-unit-test-secret-that-is-long-enough");
const links = createImageLinks(tokens);
const IMAGE = "3f1c2a4e-7b6d-4c2e-9a1b-0c8d7e6f5a4b";
const OTHER = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const viewer = { sub: "singer-42", role: "user" as const };

describe("signed image links", () => {
  it("name their viewer for their image only", async () => {
    const sig = await links.sign(viewer, IMAGE);
    expect(await links.verify(sig, IMAGE)).toMatchObject(viewer);
    expect(await links.verify(sig, OTHER)).toBeNull();
  });

  it("are valid for at most an hour and at least 50 minutes", async () => {
    const read = await tokens.readFor(await links.sign(viewer, IMAGE), "showscan:image");
    const left = read!.session.expiresAt!.getTime() - Date.now();
    expect(left).toBeGreaterThan(49 * 60_000);
    expect(left).toBeLessThanOrEqual(60 * 60_000);
  });

  it("never pass as bearer tokens, and bearer tokens never pass as links", async () => {
    const sig = await links.sign(viewer, IMAGE);
    expect(await tokens.verify(sig)).toBeNull();
    const bearer = await tokens.sign(viewer);
    expect(await links.verify(bearer, IMAGE)).toBeNull();
    expect(await tokens.verify(bearer)).toMatchObject({ ...viewer, expiresAt: expect.any(Date) });
  });

  it("refuse a forged signature", async () => {
    const forged = await createImageLinks(createTokens("another-secret-that-is-long-enough-too")).sign(viewer, IMAGE);
    expect(await links.verify(forged, IMAGE)).toBeNull();
  });
});
