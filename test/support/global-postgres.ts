import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../db/src/embedded";

import "./test-database";

/**
 * One Postgres server for the whole run: the one named by TEST_DATABASE_URL when set (CI points
 * it at the machine's server), else an embedded one in a temporary folder.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide("pgAdminUrl", external);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "showscan-test-pg-"));
  const pg = await startEmbeddedPostgres(dir);
  project.provide("pgAdminUrl", pg.url);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
