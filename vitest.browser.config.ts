// `npm run test:browser`: the pages people open, in headless Chromium (the system's, not a downloaded one).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: "Asia/Tokyo" },
  },
});
