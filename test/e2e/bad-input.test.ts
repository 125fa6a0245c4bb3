import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBatches, listImages } from "../../db/src/index";
import { animatedGif, heic, pngClaiming, svgWithExternalReference, truncatedJpeg } from "../support/bad-inputs";
import { showscan } from "../support/cli-run";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages, noisePng } from "../support/images";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

type File = { name: string; bytes: Buffer };
type Role = "admin" | "user";

/**
 * One bad input beside two good images in one upload: `rejected` files are refused by name at
 * upload, `failed` ones are stored and then fail with their reason, `stored` ones are kept under
 * the given name and end in the given state. The good images always succeed.
 */
interface BadCase {
  label: string;
  role: Role;
  bad: () => Promise<File[]>;
  rejected?: Record<string, RegExp>;
  failed?: Record<string, RegExp>;
  stored?: Record<string, string>;
  /** Stored as a copy of another file of the upload (and ending as it ends). */
  duplicates?: Record<string, string>;
  /** Whether the case exists for clients that send no file names (REST) or files from disk (CLI). */
  rest: boolean;
  cli: boolean;
}

/** userMaxFiles for this suite's users: two good images and one more file fill a batch. */
const USER_MAX_FILES = 3;

let good: File[] = [];
const CASES: BadCase[] = [
  {
    label: "an empty file",
    role: "admin",
    bad: async () => [{ name: "empty.png", bytes: Buffer.alloc(0) }],
    rejected: { "empty.png": /empty/ },
    rest: true,
    cli: true,
  },
  {
    label: "text named .png",
    role: "admin",
    bad: async () => [{ name: "notes.png", bytes: Buffer.from("Karaoke Fridays 9pm at the Rusty Nail, not a picture\n") }],
    rejected: { "notes.png": /^not an image: the file's content matches no known format$/ },
    rest: true,
    cli: true,
  },
  {
    label: "a truncated JPEG",
    role: "admin",
    bad: async () => [{ name: "cut-off.jpg", bytes: await truncatedJpeg() }],
    // The decoder's own words when it gives them, the service's when it says only "Unknown error".
    failed: { "cut-off.jpg": /^cannot decode image: (VipsJpeg: premature end of JPEG image|the file is damaged or cut off)$/ },
    rest: true,
    cli: true,
  },
  {
    label: "a PNG whose header claims 30000x30000 pixels",
    role: "admin",
    bad: async () => [{ name: "bomb.png", bytes: await pngClaiming(30_000, 30_000) }],
    rejected: { "bomb.png": /^too many pixels: the header says 30000 x 30000 \(900 megapixels\), at most 100 megapixels$/ },
    rest: true,
    cli: true,
  },
  {
    label: "an SVG with an external reference",
    role: "admin",
    bad: async () => [{ name: "logo.svg", bytes: svgWithExternalReference }],
    rejected: { "logo.svg": /^unsupported format SVG \(image\/svg\+xml\)/ },
    rest: true,
    cli: true,
  },
  {
    label: "a HEIC",
    role: "admin",
    bad: async () => [{ name: "IMG_0001.heic", bytes: await heic() }],
    rejected: { "IMG_0001.heic": /^unsupported format HEIC \(image\/heic\); send JPEG, PNG, WebP or GIF$/ },
    rest: true,
    cli: true,
  },
  {
    label: "an animated GIF (its first frame is read)",
    role: "admin",
    bad: async () => [{ name: "animated.gif", bytes: await animatedGif() }],
    stored: { "animated.gif": "succeeded" },
    rest: true,
    cli: true,
  },
  {
    label: "a file over the size limit",
    role: "user",
    bad: async () => [{ name: "huge.png", bytes: await noisePng(1_900) }],
    // Streamed (tRPC, CLI), reading stops at the limit; the REST body carries the whole file.
    rejected: { "huge.png": /^too large: (over 10 MB|10\.3 MB), at most 10 MB per file$/ },
    rest: true,
    cli: false,
  },
  {
    label: "one file more than the batch limit",
    role: "user",
    bad: async () => (await distinctImages(2, "over-the-count")).map((f, i) => ({ name: `extra-${i + 1}.png`, bytes: f.bytes })),
    stored: { "extra-1.png": "succeeded" },
    rejected: { "extra-2.png": new RegExp(`^too many files: at most ${USER_MAX_FILES} per batch$`) },
    rest: true,
    cli: false,
  },
  {
    // A control character other than a tab cannot travel in a multipart header at all (see the
    // whole-upload test below); the command line strips them before sending.
    label: "names with ../, a tab and emoji",
    role: "admin",
    bad: async () =>
      (await distinctImages(3, "odd-names")).map((f, i) => ({
        name: ["../../etc/passwd.png", "tab\tin the name.png", "🎤 Friday night 🎶.png"][i]!,
        bytes: f.bytes,
      })),
    stored: { "passwd.png": "succeeded", "tabin the name.png": "succeeded", "🎤 Friday night 🎶.png": "succeeded" },
    rest: false,
    cli: false,
  },
  {
    label: "the same file twice",
    role: "admin",
    bad: async () => [{ name: "good-again.png", bytes: good[0]!.bytes }],
    duplicates: { "good-again.png": "good-beside-bad-0.png" },
    rest: true,
    cli: true,
  },
];

describe("bad input beside good images, refused or failed by name while the good ones are analysed", () => {
  let fake: FakeGemini;
  let service: TestService;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    good = await distinctImages(2, "good-beside-bad");
    fake = await startFakeGemini();
    service = await startService({
      fake,
      listen: true,
      config: { settingsDefaults: { userMaxFiles: USER_MAX_FILES, userBatchesPerMinute: 1000 } },
    });
    tokens.admin = await testTokens.sign({ sub: "bad-input-admin", role: "admin" });
    tokens.user = await testTokens.sign({ sub: "bad-input-user", role: "user" });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  /** Every image of the batch, once it ended, by its stored name. */
  async function outcomes(batchId: string) {
    await waitForBatch(service, batchId);
    return new Map((await listImages(service.db, batchId)).map((i) => [i.fileName, i]));
  }

  function expectGoodSucceeded(images: Map<string, { status: string }>, names: string[]) {
    for (const name of names) expect(images.get(name)?.status, name).toBe("succeeded");
  }

  describe("over tRPC (batch.analyze)", () => {
    it.each(CASES)("$label", async (c) => {
      const bad = await c.bad();
      const api = createClient(service.url!, tokens[c.role]);
      try {
        const answer = await api.client.batch.analyze.mutate(uploadForm([...good, ...bad]));
        expect(answer.rejected).toHaveLength(Object.keys(c.rejected ?? {}).length);
        for (const [fileName, reason] of Object.entries(c.rejected ?? {}))
          expect(answer.rejected).toContainEqual({ fileName, reason: expect.stringMatching(reason) });
        const images = await outcomes(answer.batchId);
        expectGoodSucceeded(
          images,
          good.map((g) => g.name),
        );
        for (const [name, error] of Object.entries(c.failed ?? {}))
          expect(images.get(name), name).toMatchObject({ status: "failed", error: expect.stringMatching(error) });
        for (const [name, status] of Object.entries(c.stored ?? {})) expect(images.get(name)?.status, name).toBe(status);
        for (const [name, original] of Object.entries(c.duplicates ?? {}))
          expect(images.get(name), name).toMatchObject({ duplicateOf: images.get(original)?.id, status: "succeeded" });
        const kept = [c.failed, c.stored, c.duplicates].reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
        expect(images.size).toBe(good.length + kept);
      } finally {
        await api.close();
      }
    });

    it("refuses a form with no files as a whole, naming why", async () => {
      const api = createClient(service.url!, tokens.admin);
      try {
        await expect(api.client.batch.analyze.mutate(uploadForm([], { description: "no files" }))).rejects.toMatchObject({
          data: { code: "BAD_REQUEST" },
          message: "no images sent",
        });
      } finally {
        await api.close();
      }
    });

    it("refuses as a whole, saying so, an upload whose part header holds a control character", async () => {
      // Bytes such as BEL or ESC are not allowed in a MIME header, so the form cannot be read on.
      const api = createClient(service.url!, tokens.admin);
      try {
        const [odd] = await distinctImages(1, "bell-name");
        await expect(
          api.client.batch.analyze.mutate(uploadForm([...good, { name: "bell\u0007.png", bytes: odd!.bytes }])),
        ).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: "unreadable upload: Malformed part header" });
      } finally {
        await api.close();
      }
    });
  });

  describe("over the original REST routes", () => {
    const dataUrl = (f: File) => `data:image/png;base64,${f.bytes.toString("base64")}`;
    const route = (role: Role) =>
      role === "admin" ? "/api/parser/analyze-admin-screenshots-parallel" : "/api/parser/analyze-screenshots-parallel";

    it.each(CASES.filter((c) => c.rest))("$label", async (c) => {
      const bad = await c.bad();
      const res = await fetch(`${service.url}${route(c.role)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[c.role]}`, "content-type": "application/json" },
        body: JSON.stringify({ screenshots: [...good, ...bad].map(dataUrl) }),
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { success: boolean; batchId: string; errors: { file: string; error: string }[] };
      expect(answer.success).toBe(true);
      // REST screenshots carry no names: the bad ones are screenshot-3, -4, ... in sending order.
      const restName = (name: string) => `screenshot-${good.length + 1 + bad.findIndex((b) => b.name === name)}`;
      const expectedErrors = { ...c.rejected, ...c.failed };
      expect(answer.errors).toHaveLength(Object.keys(expectedErrors).length);
      for (const [name, reason] of Object.entries(expectedErrors))
        expect(answer.errors).toContainEqual({ file: expect.stringMatching(`^${restName(name)}`), error: expect.stringMatching(reason) });
      const images = [...(await outcomes(answer.batchId)).values()];
      expect(images.slice(0, good.length).map((i) => i.status)).toEqual(good.map(() => "succeeded"));
      const named = (name: string) => images.find((i) => i.fileName.startsWith(`${restName(name)}.`));
      for (const [name, status] of Object.entries(c.stored ?? {})) expect(named(name)?.status, name).toBe(status);
      for (const name of Object.keys(c.duplicates ?? {})) expect(named(name)?.duplicateOf, name).toBe(images[0]!.id);
    });

    it("refuses a body with no screenshots as a whole, naming why", async () => {
      const res = await fetch(`${service.url}${route("admin")}`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" },
        body: JSON.stringify({ screenshots: [] }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ success: false, error: "screenshots: send at least one screenshot" });
    });
  });

  describe("over the command line (showscan analyze)", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), "showscan-bad-input-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("names every refused file with its reason, analyses the rest and exits 0", async () => {
      const cases = CASES.filter((c) => c.cli);
      const [oddName] = await distinctImages(1, "cli-odd-name");
      const bad = [
        ...(await Promise.all(cases.map((c) => c.bad()))).flat(),
        { name: "bell\u0007 and escape\u001b.png", bytes: oddName!.bytes },
      ];
      const paths = [...good, ...bad].map((f) => {
        const file = path.join(dir, f.name);
        writeFileSync(file, f.bytes);
        return file;
      });
      const run = await showscan(["analyze", ...paths, "--server", service.url!, "--token", tokens.admin]);
      const rejected = Object.assign({}, ...cases.map((c) => c.rejected ?? {})) as Record<string, RegExp>;
      expect(run.stdout).toContain(`${Object.keys(rejected).length} files rejected:`);
      const lines = run.stdout.split("\n");
      for (const [name, reason] of Object.entries(rejected)) {
        const line = lines.find((l) => l.startsWith(`   ${name}: `));
        expect(line, name).toBeDefined();
        expect(line!.slice(`   ${name}: `.length)).toMatch(reason);
      }
      const failed = Object.keys(Object.assign({}, ...cases.map((c) => c.failed ?? {})));
      for (const name of failed)
        expect(run.stdout).toMatch(
          new RegExp(
            `${name.replace(".", "\\.")}: cannot decode image: (VipsJpeg: premature end of JPEG image|the file is damaged or cut off)`,
          ),
        );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const [batch] = await listBatches(service.db, { owner: "bad-input-admin", limit: 1 });
      const stored = (await listImages(service.db, batch!.id)).map((i) => i.fileName);
      expect(stored).toContain("bell and escape.png");
      expect(stored).toEqual(expect.arrayContaining([...good.map((g) => g.name), "animated.gif", "cut-off.jpg", "good-again.png"]));
    });
  });

  it("is still up and ready after all of it", async () => {
    const res = await fetch(`${service.url}/readyz`);
    expect(res.status).toBe(200);
  });
});
