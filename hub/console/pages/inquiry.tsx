// One inquiry (/console/inquiries/{id}): the client, the conversation, the timeline, and what staff do next (reply,
// take, log a call, change status, propose a booking). Each action calls the same domain function as its API route.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { formatMoney, holdBooking, minorDigits, proposeNamedBooking } from "../../bookings";
import { conversationOf, MAX_REPLY_LENGTH, replyToNamedInquiry } from "../../conversations";
import { HubError, invalid } from "../../core/errors";
import { isUuid } from "../../core/ids";
import { formatLondon, parseApiDateTime, toLondonWall } from "../../core/time";
import type { AppDeps } from "../../http/context";
import { STATUS_OF } from "../../http/problem";
import {
  CONTACT_KINDS,
  changeNamedInquiryStatus,
  getInquiry,
  INQUIRY_STATUSES,
  logContact,
  matchesFor,
  takeInquiry,
} from "../../inquiries";
import { inquiryReference, type InquiryRecord } from "../../pipeline";
import { slaStatus, WORKABLE_STATUSES } from "../../sla";
import { inquiryTimeline, type TimelineItem } from "../../timeline";
import type { ConsoleApp, ConsoleEnv } from "../app";
import { CsrfField } from "../csrf";
import { redirectWithFlash, renderPage } from "../responses";
import { LondonTime, timeLeft } from "../time";

type ConversationEntry = Awaited<ReturnType<typeof conversationOf>>[number];
type Match = Awaited<ReturnType<typeof matchesFor>>[number];

const DEFAULT_DURATION = 120;
const words = (text: string) => text.replace(/_/g, " ");
const pageOf = (id: string) => `/console/inquiries/${id}`;

/** What a failed action left behind: the message, its status, and what the person typed. */
interface Failure {
  message: string;
  status: ContentfulStatusCode;
  replyText?: string;
}

function Facts(props: { inquiry: InquiryRecord; now: Date; userId: string }) {
  const { inquiry, now } = props;
  const sla = slaStatus(inquiry, now);
  return (
    <section class="card" aria-labelledby="client-h">
      <h2 id="client-h">Client</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{inquiry.client.name ?? "Not given"}</dd>
        <dt>Phone</dt>
        <dd>{inquiry.client.phone ?? "—"}</dd>
        <dt>E-mail</dt>
        <dd>{inquiry.client.email ?? "—"}</dd>
        <dt>Source</dt>
        <dd>{words(inquiry.source)}</dd>
        <dt>Status</dt>
        <dd>
          <span class="tag">{words(inquiry.status)}</span>{" "}
          {inquiry.assigneeId === props.userId ? "yours" : inquiry.assigneeId ? "taken by a colleague" : "not taken"}
        </dd>
        <dt>Received</dt>
        <dd>
          <LondonTime at={inquiry.receivedAt} />
        </dd>
        <dt>Deadline</dt>
        <dd>
          <LondonTime at={inquiry.slaDeadlineAt} />{" "}
          <span class={`tag ${sla === "breached" ? "critical" : sla === "pending" ? "warn" : "ok"}`}>
            {inquiry.firstResponseAt ? words(sla) : timeLeft(inquiry.slaDeadlineAt, now)}
          </span>
        </dd>
        {inquiry.requestedStartAt && (
          <>
            <dt>Asked for</dt>
            <dd>
              <LondonTime at={inquiry.requestedStartAt} />
              {inquiry.partySize ? `, ${inquiry.partySize} people` : ""}
              {inquiry.service ? `, ${inquiry.service}` : ""}
            </dd>
          </>
        )}
      </dl>
      {inquiry.message && <p class="snippet">“{inquiry.message}”</p>}
    </section>
  );
}

function Conversation(props: { entries: ConversationEntry[]; inquiry: InquiryRecord }) {
  if (props.entries.length === 0) return <p class="muted">No messages in a chat yet.</p>;
  return (
    <ol class="conversation">
      {props.entries.map(({ message, authorName }) => {
        const outbound = message.direction === "outbound";
        const who = !outbound
          ? (props.inquiry.client.name ?? "Customer")
          : authorName
            ? `${authorName} (staff)`
            : "The hub (automatic)";
        return (
          <li class={outbound ? "out" : "in"} data-direction={message.direction}>
            <p class="small muted">
              <strong>{who}</strong> · <LondonTime at={message.sentAt} />
              {outbound ? ` · ${words(message.status)}` : ""}
            </p>
            <p class="message-body">{message.body}</p>
            {message.error && <p class="small field-error">{message.error}</p>}
          </li>
        );
      })}
    </ol>
  );
}

function Timeline(props: { items: TimelineItem[]; now: Date }) {
  return (
    <ol class="timeline">
      {props.items.map((item) => (
        <li data-action={item.action}>
          <p class="small muted">
            <LondonTime at={item.at} /> · {item.kind}
            {item.at > props.now ? " · ahead" : ""}
          </p>
          <p>
            {item.summary}
            {item.actor ? (
              <span class="muted"> — {item.actor.name}</span>
            ) : item.by === "customer" ? (
              <span class="muted"> — the customer</span>
            ) : (
              ""
            )}
          </p>
        </li>
      ))}
    </ol>
  );
}

function Matches(props: {
  inquiry: InquiryRecord;
  csrf: string;
  matches: Match[] | string;
  at?: string;
  duration: number;
}) {
  const { inquiry } = props;
  const base = pageOf(inquiry.id);
  return (
    <section class="card" aria-labelledby="book-h">
      <h2 id="book-h">Propose a booking</h2>
      <form method="get" action={`${base}#book-h`} class="inline-form">
        <div>
          <label for="match-at">Time (London)</label>
          <input id="match-at" name="at" type="datetime-local" value={props.at ?? ""} />
        </div>
        <div>
          <label for="match-duration">Minutes</label>
          <input id="match-duration" name="duration" type="number" min="5" max="1440" value={String(props.duration)} />
        </div>
        <button type="submit" class="secondary">
          Find times
        </button>
      </form>
      {typeof props.matches === "string" ? (
        <p class="muted">{props.matches}</p>
      ) : props.matches.length === 0 ? (
        <p class="muted">Nothing free fits that time.</p>
      ) : (
        <ol class="matches">
          {props.matches.map((m, i) => (
            <li class="match">
              <p>
                <strong>{m.resourceName}</strong>, <LondonTime at={m.startsAt} /> to <LondonTime at={m.endsAt} />
              </p>
              <p class="small muted">{m.reasons.join("; ")}</p>
              <form method="post" action={`${base}/propose`} class="inline-form">
                <CsrfField token={props.csrf} />
                <input type="hidden" name="resource_id" value={m.resourceId} />
                <input type="hidden" name="start_at" value={formatLondon(m.startsAt)} />
                <input
                  type="hidden"
                  name="duration_minutes"
                  value={String(Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / 60_000))}
                />
                <div>
                  <label for={`deposit-${i}`}>Deposit (£)</label>
                  <input id={`deposit-${i}`} name="deposit" type="text" inputmode="decimal" required value="0.00" />
                </div>
                <button type="submit">Hold and propose</button>
              </form>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Actions(props: { inquiry: InquiryRecord; csrf: string; userId: string; replyText?: string }) {
  const { inquiry, csrf } = props;
  const base = pageOf(inquiry.id);
  const workable = (WORKABLE_STATUSES as readonly string[]).includes(inquiry.status);
  const hasChat = inquiry.externalChatId !== null && (inquiry.source === "telegram" || inquiry.source === "whatsapp");
  return (
    <>
      <section class="card" aria-labelledby="reply-h">
        <h2 id="reply-h">Reply</h2>
        {hasChat ? (
          <form method="post" action={`${base}/reply`} class="stack">
            <CsrfField token={csrf} />
            <label for="reply-text">Message to the customer (they see the text, not who wrote it)</label>
            <textarea id="reply-text" name="text" required maxlength={MAX_REPLY_LENGTH}>
              {props.replyText ?? ""}
            </textarea>
            <button type="submit">Send reply</button>
          </form>
        ) : (
          <p class="muted">
            This lead came without a chat: reach the client by phone or e-mail, then log the contact below.
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="do-h">
        <h2 id="do-h">Work on it</h2>
        <div class="actions">
          {workable && inquiry.assigneeId !== props.userId && (
            <form method="post" action={`${base}/take`}>
              <CsrfField token={csrf} />
              <button type="submit">Take it</button>
            </form>
          )}
          <form method="post" action={`${base}/status`} class="inline-form">
            <CsrfField token={csrf} />
            <div>
              <label for="status">Status</label>
              <select id="status" name="status">
                {INQUIRY_STATUSES.map((s) => (
                  <option value={s} selected={s === inquiry.status}>
                    {words(s)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              Change status
            </button>
          </form>
        </div>
        <h3>Log a contact</h3>
        <form method="post" action={`${base}/contacts`} class="stack">
          <CsrfField token={csrf} />
          <label for="contact-kind">How</label>
          <select id="contact-kind" name="kind">
            {CONTACT_KINDS.map((k) => (
              <option value={k}>{words(k)}</option>
            ))}
          </select>
          <label for="contact-note">Note</label>
          <textarea id="contact-note" name="note" required maxlength={4000} />
          <button type="submit">Log it</button>
        </form>
      </section>
    </>
  );
}

/** The whole page; after a failed action, with its message and what was typed. */
async function showInquiry(deps: AppDeps, c: Context<ConsoleEnv>, id: string, failure?: Failure) {
  const now = deps.now();
  const inquiry = await getInquiry(deps.db, id);
  const [entries, timeline] = await Promise.all([
    conversationOf(deps.db, inquiry.id),
    inquiryTimeline(deps.db, inquiry.id),
  ]);
  const atText = c.req.query("at")?.trim() || undefined;
  const duration = Number(c.req.query("duration") ?? DEFAULT_DURATION);
  let matches: Match[] | string;
  try {
    const at = atText === undefined ? undefined : parseApiDateTime(atText);
    if (atText !== undefined && !at) throw invalid("at", "must be a date and time");
    if (!Number.isInteger(duration) || duration < 5 || duration > 24 * 60)
      throw invalid("duration", "must be 5 to 1440 minutes");
    matches = await matchesFor(deps.db, inquiry.id, { at, durationMinutes: duration });
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    matches = inquiry.requestedStartAt || atText ? error.message : "Choose a time to see what is free then.";
  }
  const defaultAt = inquiry.requestedStartAt ? wallInput(inquiry.requestedStartAt) : undefined;
  const user = c.get("user");
  return renderPage(
    c,
    {
      title: `${inquiryReference(inquiry.number)} · ${inquiry.client.name ?? "Client"}`,
      active: "queue",
      status: failure?.status,
      error: failure?.message,
    },
    <div class="grid">
      <div>
        <Facts inquiry={inquiry} now={now} userId={user.id} />
        <Actions inquiry={inquiry} csrf={c.get("csrf")} userId={user.id} replyText={failure?.replyText} />
        <Matches
          inquiry={inquiry}
          csrf={c.get("csrf")}
          matches={matches}
          at={atText ?? defaultAt}
          duration={duration}
        />
      </div>
      <div>
        <section class="card" aria-labelledby="conversation-h">
          <h2 id="conversation-h">Conversation</h2>
          <Conversation entries={entries} inquiry={inquiry} />
        </section>
        <section class="card" aria-labelledby="timeline-h">
          <h2 id="timeline-h">Timeline</h2>
          <Timeline items={timeline} now={now} />
        </section>
      </div>
    </div>,
  );
}

/** The value a datetime-local input shows for an instant: its London wall time. */
function wallInput(at: Date): string {
  const w = toLondonWall(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** "25", "25.5", "25.50" pounds → 2550 pence (the currency's minor units). */
function parseAmount(text: string, field: string, currency = "GBP"): number {
  const digits = minorDigits(currency);
  const match = /^(\d{1,7})(?:\.(\d+))?$/.exec(text.trim().replace(/^£/, ""));
  if (!match || (match[2] ?? "").length > digits) throw invalid(field, `must be an amount like 25.00`);
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? "").padEnd(digits, "0") || 0);
}

const text = (form: Record<string, unknown>, name: string) => {
  const value = form[name];
  return typeof value === "string" ? value : "";
};

export function registerInquiryPage(deps: AppDeps, app: ConsoleApp) {
  app.get("/inquiries/:id", (c) => showInquiry(deps, c, c.req.param("id")));

  /** Runs an action; a HubError shows the page again with its message instead of losing what was typed. */
  const act = (
    name: string,
    run: (c: Context<ConsoleEnv>, form: Record<string, unknown>, inquiry: InquiryRecord) => Promise<string>,
  ) =>
    app.post(`/inquiries/:id/${name}`, async (c) => {
      const form = await c.req.parseBody();
      const inquiry = await getInquiry(deps.db, c.req.param("id"));
      try {
        return redirectWithFlash(c, pageOf(inquiry.id), await run(c, form, inquiry));
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        return showInquiry(deps, c, inquiry.id, {
          message: error.message,
          status: STATUS_OF[error.kind],
          replyText: name === "reply" ? text(form, "text") : undefined,
        });
      }
    });

  act("reply", async (c, form, inquiry) => {
    await replyToNamedInquiry(deps, {
      idOrReference: inquiry.id,
      authorId: c.get("user").id,
      text: text(form, "text"),
    });
    return "Reply queued for the customer's chat.";
  });

  act("take", async (c, _form, inquiry) => {
    await takeInquiry(deps, inquiry.id, c.get("user").id);
    return `${inquiryReference(inquiry.number)} is yours.`;
  });

  act("status", async (c, form, inquiry) => {
    const status = text(form, "status");
    if (!(INQUIRY_STATUSES as readonly string[]).includes(status))
      throw invalid("status", `must be one of ${INQUIRY_STATUSES.join(", ")}`);
    await changeNamedInquiryStatus(deps, {
      idOrReference: inquiry.id,
      status: status as (typeof INQUIRY_STATUSES)[number],
      actorId: c.get("user").id,
    });
    return `Status is now ${words(status)}.`;
  });

  act("contacts", async (c, form, inquiry) => {
    const kind = text(form, "kind");
    if (!(CONTACT_KINDS as readonly string[]).includes(kind))
      throw invalid("kind", `must be one of ${CONTACT_KINDS.join(", ")}`);
    const note = text(form, "note").trim();
    if (!note || note.length > 4000) throw invalid("note", "must be 1-4000 characters");
    await logContact(deps, {
      inquiry: inquiry.id,
      kind: kind as (typeof CONTACT_KINDS)[number],
      note,
      authorId: c.get("user").id,
      at: deps.now(),
    });
    return `${words(kind)[0]!.toUpperCase()}${words(kind).slice(1)} logged.`;
  });

  act("propose", async (c, form, inquiry) => {
    const startsAt = parseApiDateTime(text(form, "start_at"));
    if (!startsAt) throw invalid("start_at", "must be a date and time");
    const durationMinutes = Number(text(form, "duration_minutes"));
    if (!Number.isInteger(durationMinutes) || durationMinutes < 5 || durationMinutes > 7 * 24 * 60)
      throw invalid("duration_minutes", "must be a whole number of minutes");
    const depositAmount = parseAmount(text(form, "deposit"), "deposit");
    const resourceId = text(form, "resource_id");
    if (!isUuid(resourceId)) throw invalid("resource_id", "must be a resource id");
    const actorId = c.get("user").id;
    const held = await holdBooking(
      { ...deps, holdMs: deps.bookings.holdMs },
      { inquiry: inquiry.id, resourceId, startsAt, durationMinutes, depositAmount, actorId },
    );
    const proposal = await proposeNamedBooking(
      { ...deps, publicUrl: deps.bookings.publicAddress.url },
      held.id,
      actorId,
    );
    const what = `${formatMoney(depositAmount, held.currency)} deposit`;
    return proposal.bookingUrl
      ? `Held and proposed (${what}). Send the client this booking link, shown only now: ${proposal.bookingUrl}`
      : `Held and proposed in the customer's ${proposal.via} chat (${what}).`;
  });
}
