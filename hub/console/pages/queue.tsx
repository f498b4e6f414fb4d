// The work queue (/console/queue) in the API's order, kept current by server-sent events (/console/queue/events).
import { streamSSE } from "hono/streaming";
import { workQueue } from "../../inquiries";
import { inquiryReference } from "../../pipeline";
import { slaStatus } from "../../sla";
import type { AppDeps } from "../../http/context";
import type { ConsoleApp } from "../app";
import { renderPage } from "../responses";
import { LondonTime, timeLeft } from "../time";

/** One screen of work; the API pages through the rest in the same order. */
const SHOWN = 100;
/** How often an open queue page is brought up to date: a new inquiry shows within this, well inside 5 s. */
const REFRESH_MS = 2_000;
/** How long one event stream lasts before the browser reconnects (EventSource does so by itself). */
const STREAM_MS = 20_000;
const RECONNECT_MS = 1_000;

const SLA_LABELS = {
  pending: "Not yet due",
  met: "Answered in time",
  breached: "Past deadline",
  breached_then_answered: "Answered late",
} as const;

type Queue = Awaited<ReturnType<typeof workQueue>>;

function QueueItems(props: { queue: Queue; now: Date; userId: string }) {
  const { queue, now } = props;
  const asOf = (
    <p class="muted small">
      As of <LondonTime at={now} />
    </p>
  );
  if (queue.items.length === 0)
    return (
      <>
        {asOf}
        <p class="card">Nothing to do: no new or in-progress inquiry.</p>
      </>
    );
  return (
    <>
      {asOf}
      <ol class="queue">
        {queue.items.map(({ inquiry }) => {
          const sla = slaStatus(inquiry, now);
          const reference = inquiryReference(inquiry.number);
          return (
            <li class="card" data-reference={reference}>
              <p class="queue-head">
                <a class="queue-ref" href={`/console/inquiries/${inquiry.id}`}>
                  {reference}
                </a>{" "}
                <span class="muted">{inquiry.client.name ?? "Name not given"}</span>
              </p>
              <p class="small">
                <span class="tag">{inquiry.source.replace("_", " ")}</span>{" "}
                <span class="tag">{inquiry.status.replace("_", " ")}</span>{" "}
                <span class={`tag ${sla === "breached" ? "critical" : sla === "pending" ? "warn" : "ok"}`}>
                  {SLA_LABELS[sla]}
                </span>{" "}
                {inquiry.assigneeId && (
                  <span class="tag">{inquiry.assigneeId === props.userId ? "Yours" : "Taken"}</span>
                )}
              </p>
              <p class="small">
                Deadline <LondonTime at={inquiry.slaDeadlineAt} />:{" "}
                <strong>{inquiry.firstResponseAt ? "answered" : timeLeft(inquiry.slaDeadlineAt, now)}</strong>
              </p>
              {inquiry.message && <p class="snippet">{snippet(inquiry.message)}</p>}
            </li>
          );
        })}
      </ol>
      {queue.nextCursor && (
        <p class="muted">Showing the first {SHOWN}; the API's GET /queue pages through the rest in the same order.</p>
      )}
    </>
  );
}

const snippet = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}…` : text);

export function registerQueuePage(deps: AppDeps, app: ConsoleApp) {
  const render = async (userId: string) => {
    const now = deps.now();
    const queue = await workQueue(deps.db, { now, limit: SHOWN });
    return { queue, now, html: await (<QueueItems queue={queue} now={now} userId={userId} />).toString() };
  };

  app.get("/queue", async (c) => {
    const { queue, now } = await render(c.get("user").id);
    return renderPage(
      c,
      { title: "Queue", active: "queue", scripts: ["queue.js"] },
      <>
        <p class="muted small" id="queue-status" data-events="/console/queue/events">
          Most pressing first: the same order as the API's queue. This list updates by itself.
        </p>
        <div id="queue-items">
          <QueueItems queue={queue} now={now} userId={c.get("user").id} />
        </div>
      </>,
    );
  });

  // The list again whenever it changed. Each stream lasts STREAM_MS and the browser opens the next one (checking the
  // session again): an open tab never holds the server's shutdown for long, nor a proxy's idle connection.
  app.get("/queue/events", (c) => {
    const userId = c.get("user").id;
    return streamSSE(c, async (stream) => {
      const ends = Date.now() + STREAM_MS;
      let sent = "";
      while (!stream.aborted && !stream.closed && Date.now() < ends) {
        let html: string;
        try {
          ({ html } = await render(userId));
        } catch (error) {
          // The hub stopping (its database closed): the browser comes back to whichever hub answers.
          deps.logger.debug({ err: error }, "queue stream ended");
          return;
        }
        if (html !== sent) {
          await stream.writeSSE({ event: "queue", data: html, retry: RECONNECT_MS });
          sent = html;
        }
        await stream.sleep(REFRESH_MS);
      }
    });
  });
}
