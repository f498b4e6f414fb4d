// The load generator, a child process of the benchmark: autocannon against one URL, the figures as JSON on stdout.
// Usage: node --import tsx scripts/bench/load.ts '<LoadSpec as JSON>' (see children.ts).
import autocannon from "autocannon";
import type { LoadResult, LoadSpec } from "./children";
import { whatsAppLead } from "./lead";

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
let next = spec.first;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
  method: "POST",
  headers: { "content-type": "application/json", ...spec.headers },
  // A body of its own per request: every one a new customer's first WhatsApp message.
  requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(whatsAppLead(next++)) }) }],
});
const finishedAt = Date.now();
const seconds = result.duration;
const ok = result["2xx"];
const figures: LoadResult = {
  ok,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  seconds,
  rate: ok / seconds,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  max: result.latency.max,
  finishedAt,
};
process.stdout.write(JSON.stringify(figures));
