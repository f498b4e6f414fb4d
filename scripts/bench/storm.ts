// The duplicate storm's load generator, a child process of the benchmark: every lead posted `copies` times, the copies
// one after another in the queue so that they are in flight together, and alternately to each hub. Answers counted
// by status, as JSON on stdout. Usage: node --import tsx scripts/bench/storm.ts '<StormSpec as JSON>'.
import { whatsAppLead } from "./lead";

export interface StormSpec {
  /** Each hub's base URL; copy c of a lead goes to hubs[c % hubs.length]. */
  hubs: string[];
  operatorKey: string;
  leads: number;
  copies: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The first lead's number (lead.ts). */
  first: number;
}

export interface StormResult {
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Requests that got no answer (connection refused or reset). */
  errors: number;
  firstError?: string;
  seconds: number;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as StormSpec;
const total = spec.leads * spec.copies;
const statuses: Record<string, number> = {};
let errors = 0;
let firstError: string | undefined;
let next = 0;

async function sender() {
  while (next < total) {
    const index = next++;
    const copy = index % spec.copies;
    const lead = spec.first + Math.floor(index / spec.copies);
    try {
      const response = await fetch(`${spec.hubs[copy % spec.hubs.length]}/inquiries`, {
        method: "POST",
        headers: { Authorization: `Bearer ${spec.operatorKey}`, "Content-Type": "application/json" },
        body: JSON.stringify(whatsAppLead(lead)),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    } catch (error) {
      errors++;
      firstError ??= String((error as Error).cause ?? error);
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: spec.concurrency }, sender));
const result: StormResult = { statuses, errors, firstError, seconds: (performance.now() - started) / 1000 };
process.stdout.write(JSON.stringify(result));
