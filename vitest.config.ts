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
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/support/global-postgres.ts"],
        },
      },
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/plain-summary-reporter.ts"],
  },
});
