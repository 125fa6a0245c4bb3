import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { connect, createDatabase, dropDatabase } from "../client";
import { createBatch } from "./batches";
import { databaseSizeBytes, imageQueueDepth, migrationsStatus } from "./health";

const journal = JSON.parse(readFileSync(new URL("../../migrations/meta/_journal.json", import.meta.url), "utf8")) as {
  entries: { tag: string; when: number }[];
};
const tags = journal.entries.map((e) => e.tag);

describe("migrationsStatus", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("finds every committed migration applied on a migrated database", async () => {
    expect(await migrationsStatus(database.db)).toEqual({ expected: tags.length, applied: tags.length, missing: [] });
  });

  it("names a migration whose record is missing", async () => {
    const last = journal.entries.at(-1)!;
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${last.when}`);
    expect(await migrationsStatus(database.db)).toEqual({ expected: tags.length, applied: tags.length - 1, missing: [last.tag] });
  });

  it("finds none applied on a database never migrated", async () => {
    const adminUrl = inject("pgAdminUrl");
    const name = `showscan_t_${randomBytes(6).toString("hex")}`;
    const conn = connect(await createDatabase(adminUrl, name));
    try {
      expect(await migrationsStatus(conn.db)).toEqual({ expected: tags.length, applied: 0, missing: tags });
    } finally {
      await conn.close();
      await dropDatabase(adminUrl, name);
    }
  });
});

describe("imageQueueDepth", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("counts the unfinished images of every batch", async () => {
    expect(await imageQueueDepth(database.db)).toEqual({ queued: 0, running: 0 });
    for (const n of [2, 3])
      await createBatch(database.db, {
        owner: "tester",
        mode: "parallel",
        workers: 1,
        engine: "gemini",
        images: Array.from({ length: n }, (_, i) => ({
          fileName: `${i}.png`,
          mimeType: "image/png",
          content: Buffer.from([i]),
          sha256: `sha-${n}-${i}-${Math.random()}`,
        })),
      });
    expect(await imageQueueDepth(database.db)).toEqual({ queued: 5, running: 0 });
  });
});

describe("databaseSizeBytes", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("counts a migrated database's files, which take at least a page each", async () => {
    expect(await databaseSizeBytes(database.db)).toBeGreaterThan(8192);
  });
});
