// The repository stands on its own: no file points outside it, and every relative link in the docs leads somewhere.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter(
    (f) => f && !f.endsWith("package-lock.json") && !f.startsWith("db/migrations/meta/") && existsSync(join(root, f)),
  );

describe("the repository", () => {
  it("refers to no file outside itself", () => {
    // This file names the patterns, so it is the one exception.
    const outside = /\/work\/|\.\.\/shared\b|shared\/(DESIGN|STYLE)\.md|seed\/architecture-note/;
    const offenders = tracked
      .filter((f) => f !== "test/repository.test.ts")
      .flatMap((f) =>
        readFileSync(join(root, f), "utf8")
          .split("\n")
          .map((line, i) => (outside.test(line) ? `${f}:${i + 1}: ${line.trim()}` : ""))
          .filter(Boolean),
      );
    expect(offenders).toEqual([]);
  });

  it("has every relative link in its Markdown pointing at a file in it", () => {
    const broken = tracked
      .filter((f) => f.endsWith(".md"))
      .flatMap((f) =>
        [...readFileSync(join(root, f), "utf8").matchAll(/\]\(([^)\s]+)\)/g)]
          .map((m) => m[1]!.split("#")[0]!)
          .filter((target) => target && !/^[a-z]+:/i.test(target))
          .filter((target) => {
            const path = resolve(root, dirname(f), target);
            return !path.startsWith(root) || !existsSync(path);
          })
          .map((target) => `${f} → ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
