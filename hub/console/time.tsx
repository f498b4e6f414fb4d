// Times on console pages: always London time (hub/core/time), machine-readable in the datetime attribute.
import { formatLondon, formatLondonForPeople } from "../core/time";

/** `<LondonTime at={date} />`: "Fri 27 Nov 2026, 14:30 GMT". */
export function LondonTime(props: { at: Date }) {
  return <time datetime={formatLondon(props.at)}>{formatLondonForPeople(props.at)}</time>;
}

/** "1 h 05 min left", "due now", "12 min overdue": whole minutes, as the queue counts them. */
export function timeLeft(deadline: Date, now: Date): string {
  const minutes = Math.floor((deadline.getTime() - now.getTime()) / 60_000);
  if (minutes === 0) return "due now";
  const span = Math.abs(minutes);
  const text = span >= 60 ? `${Math.floor(span / 60)} h ${String(span % 60).padStart(2, "0")} min` : `${span} min`;
  return minutes > 0 ? `${text} left` : `${text} overdue`;
}
