// The unit layer alone (npm run test:unit): pure functions and rules, no database, so no global setup to migrate one.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/unit/**/*.test.ts"], env: { TZ: "Asia/Tokyo" } },
});
