// Tests run on the embedded default (PGlite) unless DATABASE_URL names a PostgreSQL server.
// The time tests run once per process time zone: the hub must give the same answers whatever TZ says.
import { defineConfig } from "vitest/config";

const TIME_ZONES = ["UTC", "America/New_York", "Asia/Tokyo"];

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    // Most of a test's time is spent waiting (a database in another process, a fake provider, a poll), so more test
    // files than cores run at once; vitest's default (cores - 1) is one file at a time on a 2-core machine.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 4),
    // A worker keeps the modules it loaded for its next test file instead of loading the hub again for each (about
    // 190 s of imports in a pass, summed over files). Safe because the hub keeps no module-level state: every test
    // builds its own hub through the composition root, and no test mocks a module.
    isolate: false,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // The rest of the suite runs far from London too, so a stray local-time call shows up as a failure.
        test: {
          name: "hub",
          include: ["test/**/*.test.ts"],
          exclude: ["test/hub/core/time/**", "test/browser/**"],
          env: { TZ: "Asia/Tokyo" },
        },
      },
      ...TIME_ZONES.map((tz) => ({
        extends: true as const,
        test: { name: `time ${tz}`, include: ["test/hub/core/time/**/*.test.ts"], env: { TZ: tz } },
      })),
    ],
  },
});
