import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { folderOthersCannotEnter } from "../../db/src/embedded";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import { answerWithTruth, startService, TEST_JWT_SECRET, testTokens, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";
import { ROOT, showscan } from "../support/cli-run";

const venuesOf = (flyers: Flyer[]) => [...new Set(flyers.flatMap((f) => f.truth.shows.map((s) => s.venue)))];
const distinctShows = (flyers: Flyer[]) =>
  new Set(flyers.flatMap((f) => f.truth.shows.map((s) => `${s.venue}|${s.dayOfWeek}|${s.startTime}`))).size;

describe("the showscan command line", () => {
  let fake: FakeGemini;
  let service: TestService;
  let flyers: Flyer[];
  let tmp: string;
  let flyerDir: string;
  let admin: string;

  beforeAll(async () => {
    flyers = await generateFlyers(4, 23);
    fake = await startFakeGemini({
      latencyMs: () => 80 + Math.random() * 80,
      // A screenshot the fake does not know is refused as unsafe: a permanent failure.
      answer: await answerWithTruth(flyers, () => ({ fault: "safety" })),
    });
    service = await startService({ fake, listen: true });
    admin = await testTokens.sign({ sub: "cli-test", role: "admin" });

    tmp = mkdtempSync(path.join(os.tmpdir(), "showscan-cli-"));
    // The embedded Postgres runs as its own user when the tests run as root: it must reach DATA_DIR.
    chmodSync(tmp, 0o755);
    flyerDir = path.join(tmp, "flyers");
    mkdirSync(flyerDir);
    for (const flyer of flyers) writeFileSync(path.join(flyerDir, flyer.name), flyer.bytes);
    writeFileSync(path.join(flyerDir, ".DS_Store"), "not a screenshot");
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("analyses a folder against a server: live progress, the summary, the merged shows and the JSON file", async () => {
    const out = path.join(tmp, "out.json");
    const run = await showscan([
      "analyze",
      flyerDir,
      "--server",
      service.url!,
      "--token",
      admin,
      "--workers",
      "2",
      "--description",
      "cli test",
      "--url",
      "https://example.com/schedule",
      "--json",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("🚀 Processing 4 images with 2 workers...");
    expect(run.stdout).toContain("🔎 Reading with Gemini gemini-2.5-flash");
    expect(run.stdout).not.toContain("No Gemini key");
    expect(run.stdout).toMatch(/✅ Completed in [\d.]+s \(sum of image times: [\d.]+s\)/);
    expect(run.stdout).toMatch(/⚡ Speedup: \d+\.\dx/);
    expect(run.stdout).toContain("📈 Success rate: 4/4 images (100%)");
    for (const venue of venuesOf(flyers)) expect(run.stdout).toContain(venue);
    // Not a terminal: progress comes as plain lines on stderr, ending at 4/4.
    expect(run.stderr).toContain("📊 4/4 processed");
    expect(run.stdout).not.toContain(".DS_Store");

    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.batch).toMatchObject({
      status: "completed",
      workers: 2,
      description: "cli test",
      sourceUrl: "https://example.com/schedule",
      progress: { totalImages: 4, succeededImages: 4 },
    });
    expect(json.batch.metrics.attempts).toBe(4);
    expect(json.images).toHaveLength(4);
    expect(json.images.map((i: { fileName: string }) => i.fileName)).toEqual(flyers.map((f) => f.name).sort());
    expect(json.results.shows).toHaveLength(distinctShows(flyers));
    expect(new Set(json.results.shows.map((s: { venueName: string }) => s.venueName))).toEqual(new Set(venuesOf(flyers)));
  });

  it("exports a batch's merged shows as CSV to a file and the catalog as JSON to stdout; says what is missing or wrong", async () => {
    const json = JSON.parse(readFileSync(path.join(tmp, "out.json"), "utf8"));
    const csvFile = path.join(tmp, "shows.csv");
    const run = await showscan(["export", "--batch", json.batch.id, "--out", csvFile, "--server", service.url!, "--token", admin]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`✅ ${distinctShows(flyers)} shows written to`);
    const lines = readFileSync(csvFile, "utf8").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^dayOfWeek,startTime,endTime,venueName,address,city/);
    expect(lines).toHaveLength(distinctShows(flyers) + 1);
    for (const venue of venuesOf(flyers)) expect(lines.some((l) => l.includes(venue))).toBe(true);

    const catalog = await showscan(["export", "--catalog", "--format", "json", "--server", service.url!, "--token", admin]);
    expect(catalog.code, catalog.stderr).toBe(0);
    expect(JSON.parse(catalog.stdout)).toEqual([]);

    const neither = await showscan(["export", "--server", service.url!, "--token", admin]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("name what to export: --batch BATCH_ID or --catalog");
    const unknown = await showscan([
      "export",
      "--batch",
      "00000000-0000-4000-8000-000000000000",
      "--server",
      service.url!,
      "--token",
      admin,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no batch 00000000-0000-4000-8000-000000000000");
  });

  it("follow: a finished batch prints its summary at once; an unknown or malformed id says there is no such batch", async () => {
    const json = JSON.parse(readFileSync(path.join(tmp, "out.json"), "utf8"));
    const done = await showscan(["follow", json.batch.id, "--server", service.url!, "--token", admin]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`👀 Following batch ${json.batch.id}: 4/4 processed (completed)`);
    expect(done.stdout).toContain("📈 Success rate: 4/4 images (100%)");
    // Nothing to wait for: no progress lines.
    expect(done.stderr).not.toContain("📊");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-batch"]) {
      const unknown = await showscan(["follow", id, "--server", service.url!, "--token", admin]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`no batch ${id}`);
      expect(unknown.stderr).not.toContain("    at ");
    }
  });

  it("lists a file that is not an image as rejected with its reason, and takes the token from SHOWSCAN_TOKEN", async () => {
    const dir = path.join(tmp, "mixed");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "a-flyer.png"), flyers[1]!.bytes);
    writeFileSync(path.join(dir, "notes.png"), "Monday karaoke at the Rusty Nail, 9pm\n");
    const run = await showscan(["analyze", dir, "--server", service.url!], { SHOWSCAN_TOKEN: admin });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 file rejected:\n\s+notes\.png: not an image/);
    expect(run.stdout).toContain("📈 Success rate: 1/1 images (100%)");
  });

  it("exits 1 and names each failed image with its error when the batch fails", async () => {
    const dir = path.join(tmp, "unknown");
    mkdirSync(dir);
    const [image] = await distinctImages(1, "cli-unknown");
    writeFileSync(path.join(dir, "mystery.png"), image!.bytes);
    const run = await showscan(["analyze", path.join(dir, "mystery.png"), "--server", service.url!, "--token", admin]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/❌ Failed after/);
    expect(run.stdout).toContain("📈 Success rate: 0/1 images (0%)");
    expect(run.stdout).toMatch(/1 image failed:\n\s+mystery\.png: .+/);
  });

  it("exits 2 with a clear message for a missing path, a bad option, no or a bad token, an unreachable server and admin options without admin", async () => {
    const missing = path.join(tmp, "no-such-folder");
    const user = await testTokens.sign({ sub: "singer", role: "user" });
    const [noPath, badWorkers, noToken, unreachable, badToken, notAdmin] = await Promise.all([
      showscan(["analyze", missing, "--server", service.url!, "--token", admin]),
      showscan(["analyze", flyerDir, "--workers", "9", "--server", service.url!, "--token", admin]),
      showscan(["analyze", flyerDir, "--server", service.url!]),
      showscan(["analyze", flyerDir, "--server", "http://127.0.0.1:9", "--token", admin]),
      showscan(["analyze", flyerDir, "--server", service.url!, "--token", "not-a-token"]),
      showscan(["analyze", flyerDir, "--server", service.url!, "--token", user, "--workers", "5"]),
    ]);
    expect(noPath.code).toBe(2);
    expect(noPath.stderr).toContain(missing);
    expect(noPath.stderr).toContain("no such file or folder");

    expect(badWorkers.code).toBe(2);
    expect(badWorkers.stderr).toMatch(/--workers.*1 to 5/);

    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("SHOWSCAN_TOKEN");

    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach the showscan server at http:\/\/127\.0\.0\.1:9/);

    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain("the server refused the token");

    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toContain("workers, mode and priority are admin options");
  });

  it("prints a token signed with JWT_SECRET whose payload names the role and the subject", async () => {
    const run = await showscan(["token", "--role", "admin", "--sub", "bob"], {
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: path.join(tmp, "token-data"),
    });
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
    expect(payload).toMatchObject({ role: "admin", sub: "bob" });
    expect(payload.exp - payload.iat).toBe(30 * 24 * 3600);
    expect(await testTokens.verify(token)).toEqual({ sub: "bob", role: "admin", expiresAt: new Date(payload.exp * 1000) });

    const bad = await showscan(["token", "--role", "root", "--sub", "bob"], { JWT_SECRET: TEST_JWT_SECRET });
    expect(bad.code).toBe(2);
  });

  it("without --server starts the service in-process on the embedded database, then stops it", async () => {
    const dataDir = path.join(tmp, "data");
    const run = await showscan(
      ["analyze", flyerDir, "--json", path.join(tmp, "embedded.json")],
      {
        ENGINE: "gemini",
        GEMINI_API_KEY: "test-key",
        GEMINI_BASE_URL: fake.url,
        DATA_DIR: dataDir,
      },
      180_000,
    );
    // Run as root from a folder the postgres user may not enter, the right answer is the sentence.
    const blocked = process.getuid?.() === 0 ? folderOthersCannotEnter([ROOT, path.join(dataDir, "postgres")]) : null;
    if (blocked) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `showscan: the embedded Postgres cannot start: run as root, it runs as the user "postgres", who may not enter ${blocked}`,
      );
      expect(run.stderr).not.toContain("    at ");
      return;
    }
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toContain("in-process service");
    expect(run.stdout).toContain("📈 Success rate: 4/4 images (100%)");
    for (const venue of venuesOf(flyers)) expect(run.stdout).toContain(venue);
    const json = JSON.parse(readFileSync(path.join(tmp, "embedded.json"), "utf8"));
    expect(json.batch).toMatchObject({ status: "completed", owner: "cli", engine: "gemini" });
    expect(json.results.shows).toHaveLength(distinctShows(flyers));
    // The embedded Postgres was stopped on the way out.
    expect(existsSync(path.join(dataDir, "postgres/pg/postmaster.pid"))).toBe(false);
  }, 200_000);
});
