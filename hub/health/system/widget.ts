// One System Health widget: a status, one sentence saying why, the figures it was judged on and the thresholds.

export const WIDGET_STATUSES = ["ok", "warn", "critical"] as const;
export type WidgetStatus = (typeof WIDGET_STATUSES)[number];

export interface Widget<F = object> {
  status: WidgetStatus;
  summary: string;
  figures: F;
  thresholds: Record<string, number>;
}

/** Something a widget found, and how bad it is. */
export interface Finding {
  status: Exclude<WidgetStatus, "ok">;
  says: string;
}

const RANK: Record<WidgetStatus, number> = { ok: 0, warn: 1, critical: 2 };

export function worstStatus(statuses: readonly WidgetStatus[]): WidgetStatus {
  return statuses.reduce<WidgetStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), "ok");
}

/**
 * The widget's status is its worst finding; its summary one sentence, the worst findings first, or `allWell` with
 * none.
 */
export function judge<F>(
  findings: Finding[],
  allWell: string,
  figures: F,
  thresholds: Record<string, number>,
): Widget<F> {
  const sorted = [...findings].sort((a, b) => RANK[b.status] - RANK[a.status]);
  const summary = sorted.length === 0 ? allWell : `${sorted.map((f) => f.says).join("; ")}.`;
  return { status: worstStatus(sorted.map((f) => f.status)), summary: capitalise(summary), figures, thresholds };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A duration as people read it on a dashboard: 45 s, 12 min, 3 h 5 min. */
export function readableDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}
