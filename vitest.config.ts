import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests build real repositories in temp dirs and run the built CLI: two cores, two forks.
    pool: "forks",
  },
});
