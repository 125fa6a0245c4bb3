import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: "db", include: ["db/src/**/*.test.ts"], globalSetup: ["test/support/global-postgres.ts"] } },
      { extends: true, test: { name: "server", include: ["server/src/**/*.test.ts"], globalSetup: ["test/support/global-postgres.ts"] } },
      {
        extends: true,
        test: {
          name: "test",
          include: ["test/**/*.test.ts"],
          exclude: ["**/node_modules/**", "test/browser/**"],
          globalSetup: ["test/support/global-postgres.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/support/global-postgres.ts", "test/browser/support/global-build.ts"],
          // One Chromium and one service at a time on a 2-core machine: these files run one by one,
          // after the other projects' files.
          fileParallelism: false,
        },
      },
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/plain-summary-reporter.ts"],
  },
});
