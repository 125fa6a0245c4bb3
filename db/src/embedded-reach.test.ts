import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedPostgresUnreachable, folderOthersCannotEnter } from "./embedded";

describe("folders the postgres user must enter", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the first folder on the way that others may not enter, like a root user's home", () => {
    const top = mkdtempSync(path.join(os.tmpdir(), "showscan-reach-"));
    made.push(top);
    chmodSync(top, 0o755);
    const home = path.join(top, "home");
    const clone = path.join(home, "showscan", ".data");
    mkdirSync(clone, { recursive: true });
    expect(folderOthersCannotEnter([clone])).toBeNull();
    chmodSync(home, 0o700);
    expect(folderOthersCannotEnter([path.join(top, "elsewhere"), clone])).toBe(home);
  });

  it("says in one sentence what to do instead", () => {
    const error = new EmbeddedPostgresUnreachable("/root/showscan/.data", "/root");
    expect(error.message).toMatch(/user "postgres", who may not enter \/root; .*DATABASE_URL/);
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain("clone the project into a folder other users can enter");
  });

  it("points at DATA_DIR when only the data folder is out of reach", () => {
    const error = new EmbeddedPostgresUnreachable("/srv/data/postgres", "/srv/data", false);
    expect(error.message).toMatch(
      /who may not enter \/srv\/data; set DATA_DIR to a folder other users can enter \(or allow them in with chmod o\+x \/srv\/data\)/,
    );
    expect(error.message).not.toContain("clone the project");
  });
});
