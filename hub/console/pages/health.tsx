// System Health (/console/health, manager and above): the six widgets of GET /health/system, and the dead letters
// with a retry button that does what POST /jobs/{id}/retry does.
import type { Child } from "hono/jsx";
import { listDeadLetters, type QueueName, retryDeadLetter } from "../../core/jobs/dead-letters";
import type { FailedJob } from "../../core/jobs/driver";
import { QUEUES } from "../../core/jobs/queues";
import {
  healthThresholds,
  readableDuration,
  systemHealth,
  type Widget,
  type WidgetName,
  type WidgetStatus,
} from "../../health/system";
import type { AppDeps } from "../../http/context";
import type { ConsoleApp } from "../app";
import { CsrfField } from "../csrf";
import { errorPage, redirectWithFlash, renderPage } from "../responses";
import { consoleRole } from "../session";
import { LondonTime } from "../time";

const TITLES: Record<WidgetName, string> = {
  stripe: "Stripe",
  secondary: "Secondary provider",
  webhooks: "Webhooks",
  queues: "Queues",
  availability: "Availability",
  sla: "SLA",
};

/** Said in words as well as colour. */
const LABELS: Record<WidgetStatus, string> = { ok: "OK", warn: "Warning", critical: "Critical" };

/** Enough to act on; GET /jobs/failed lists up to 500. */
const DEAD_LETTERS_SHOWN = 50;

const words = (key: string) => key.replaceAll("_", " ").replace(/ ms$/, "");

/** A figure or threshold as people read it: durations, shares as percentages, nothing as a dash. */
function shown(key: string, value: unknown): Child {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" && key.endsWith("_ms")) return readableDuration(value);
  if (typeof value === "number" && (key.includes("rate") || key.includes("success")))
    return `${Math.round(value * 100)}%`;
  if (typeof value === "object") return <Facts of={value as Record<string, unknown>} />;
  return String(value);
}

/** Per queue (or per anything) with the same figures each: a table of its own, below the list, reads better. */
const isTable = (value: unknown): value is Record<string, Record<string, unknown>> =>
  value !== null &&
  typeof value === "object" &&
  Object.keys(value).length > 0 &&
  Object.values(value).every((row) => row !== null && typeof row === "object");

function Facts(props: { of: Record<string, unknown> }) {
  const entries = Object.entries(props.of);
  if (entries.length === 0) return <span class="muted">none</span>;
  const listed = entries.filter(([, value]) => !isTable(value));
  const tables = entries.filter(([, value]) => isTable(value));
  return (
    <>
      {listed.length > 0 && (
        <dl class="facts">
          {listed.map(([key, value]) => (
            <>
              <dt>{words(key)}</dt>
              <dd>{shown(key, value)}</dd>
            </>
          ))}
        </dl>
      )}
      {tables.map(([key, rows]) => (
        <FigureTable caption={words(key)} rows={Object.entries(rows as Record<string, Record<string, unknown>>)} />
      ))}
    </>
  );
}

function FigureTable(props: { caption: string; rows: [string, Record<string, unknown>][] }) {
  const columns = [...new Set(props.rows.flatMap(([, row]) => Object.keys(row)))];
  return (
    <section class="table-scroll" tabindex={0} aria-label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">name</th>
            {columns.map((column) => (
              <th scope="col">{words(column)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([name, row]) => (
            <tr>
              <th scope="row">{name}</th>
              {columns.map((column) => (
                <td>{column in row ? shown(column, row[column]) : ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function WidgetCard(props: { name: WidgetName; widget: Widget }) {
  const { name, widget } = props;
  return (
    <section class="card stack" aria-labelledby={`widget-${name}`} data-widget={name} data-status={widget.status}>
      <h2 id={`widget-${name}`}>
        {TITLES[name]} <span class={`tag ${widget.status}`}>{LABELS[widget.status]}</span>
      </h2>
      <p>{widget.summary}</p>
      <h3 class="small">Figures</h3>
      <Facts of={widget.figures as Record<string, unknown>} />
      <h3 class="small">Thresholds</h3>
      <Facts of={widget.thresholds} />
    </section>
  );
}

/** Cards rather than a table: a job's id and its error read at 390 px without scrolling sideways. */
function DeadLetters(props: { letters: FailedJob[]; csrf: string }) {
  if (props.letters.length === 0) return <p class="card">No dead letters: every job finished or is still trying.</p>;
  return (
    <>
      <p class="muted small">The most recent first; a retry gives the job a fresh set of attempts.</p>
      <ol class="queue">
        {props.letters.map((job) => (
          <li class="card stack" data-job={job.id}>
            <dl class="facts">
              <dt>Job</dt>
              <dd>
                {job.name} <span class="muted small">{job.id}</span>
              </dd>
              <dt>Queue</dt>
              <dd>{job.queue}</dd>
              <dt>Attempts</dt>
              <dd>{job.attemptsMade}</dd>
              <dt>Failed at</dt>
              <dd>{job.failedAt ? <LondonTime at={job.failedAt} /> : "—"}</dd>
              <dt>Last error</dt>
              <dd class="small">{job.lastError ?? "—"}</dd>
            </dl>
            <form method="post" action="/console/health/dead-letters/retry" class="inline-form">
              <CsrfField token={props.csrf} />
              <input type="hidden" name="queue" value={job.queue} />
              <input type="hidden" name="id" value={job.id} />
              <button type="submit" aria-label={`Retry ${job.name} ${job.id}`}>
                Retry
              </button>
            </form>
          </li>
        ))}
      </ol>
    </>
  );
}

export function registerHealthPage(deps: AppDeps, app: ConsoleApp) {
  const thresholds = healthThresholds(deps.settings);

  app.get("/health", consoleRole("manager"), async (c) => {
    const [health, letters] = await Promise.all([
      systemHealth(deps, thresholds),
      listDeadLetters(deps.jobs, undefined, DEAD_LETTERS_SHOWN),
    ]);
    return renderPage(
      c,
      { title: "System health", active: "health" },
      <>
        <p>
          Overall: <span class={`tag ${health.status}`}>{LABELS[health.status]}</span>{" "}
          <span class="muted small">
            checked <LondonTime at={health.checkedAt} />
          </span>
        </p>
        <div class="grid">
          {(Object.keys(TITLES) as WidgetName[]).map((name) => (
            <WidgetCard name={name} widget={health.widgets[name]} />
          ))}
        </div>
        <h2>Dead letters</h2>
        <DeadLetters letters={letters} csrf={c.get("csrf")} />
      </>,
    );
  });

  app.post("/health/dead-letters/retry", consoleRole("manager"), async (c) => {
    const form = await c.req.parseBody();
    const queue = String(form.queue ?? "");
    const id = String(form.id ?? "");
    if (!(QUEUES as readonly string[]).includes(queue) || !id)
      return renderPage(
        c,
        { title: "System health", active: "health", status: 400, error: "Choose a dead letter from the list." },
        <a href="/console/health">Back to System health</a>,
      );
    try {
      const letter = await retryDeadLetter(deps, { queue: queue as QueueName, id, actorId: c.get("user").id });
      return redirectWithFlash(c, "/console/health", `${letter.name} (${id}) is back in the ${queue} queue.`);
    } catch (error) {
      return errorPage(c, error);
    }
  });
}
