import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { EmbeddedPostgresUnreachable, startEmbeddedPostgres } from "../../db/src/embedded";

const MACHINE_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const answer = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once("connect", () => answer(true));
    socket.once("error", () => answer(false));
    socket.setTimeout(1_000, () => answer(false));
  });

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
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    pg = await startEmbeddedPostgres(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    // Root in a folder the postgres user may not enter: the machine's own server, when it has one.
    if (!(error instanceof EmbeddedPostgresUnreachable) || !(await listening(5432))) throw error;
    process.stdout.write(`${error.message}\nthe tests use the Postgres server on 127.0.0.1:5432 instead (${MACHINE_POSTGRES})\n`);
    project.provide("pgAdminUrl", MACHINE_POSTGRES);
    return;
  }
  project.provide("pgAdminUrl", pg.url);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
