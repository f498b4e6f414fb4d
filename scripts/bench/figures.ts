// The benchmark's results: one row per figure, each with its baseline or target and whether it met it.

export type Verdict = "PASS" | "MISS" | "reported";

export interface Figure {
  figure: string;
  measured: string;
  /** The baseline measured in the same run, or the target. */
  against: string;
  verdict: Verdict;
}

export interface BenchContext {
  /** A PostgreSQL URL whose server the scratch databases are made on. */
  postgresUrl: string;
  seconds: number;
  adminKey: string;
  figures: Figure[];
  log(line: string): void;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-GB")}/s`;
export const seconds = (value: number) => `${value.toFixed(2)} s`;
export const mb = (value: number) => `${value.toFixed(0)} MB`;
export const verdict = (pass: boolean): Verdict => (pass ? "PASS" : "MISS");

/** The nearest-rank quantile `q` (0 to 1) of some values: the p95 of 30 values is the 29th smallest. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The table as Markdown (also what is printed). */
export function table(figures: Figure[]): string {
  const rows = [
    ["figure", "measured", "baseline / target", "result"],
    ...figures.map((f) => [f.figure, f.measured, f.against, f.verdict]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.slice(1).map(line)].join("\n");
}
