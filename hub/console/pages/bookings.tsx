// Bookings page (/console/bookings?date=YYYY-MM-DD): one London day per resource, its holds, bookings awaiting a
// deposit, confirmed, completed and no-show bookings and blocks in time order, each booking the resource can no longer
// take marked; a booking that has begun can be marked a no-show from here (as POST /bookings/{id}/no-show).
import {
  type BookingDay,
  type BookingRow,
  type DayBooking,
  type ResourceDay,
  bookingDay,
  bookingReference,
  formatMoney,
  markNamedNoShow,
} from "../../bookings";
import {
  addDays,
  formatDateForPeople,
  formatLondon,
  formatLondonClock,
  londonDate,
  parseApiDate,
} from "../../core/time";
import type { AppDeps } from "../../http/context";
import type { ConsoleApp } from "../app";
import { CsrfField } from "../csrf";
import { redirectWithFlash, renderPage } from "../responses";
import { consoleRole } from "../session";
import { LondonTime } from "../time";

const PAGE = "/console/bookings";

/** Text first: the label says what it is, the colour only helps. */
const STATUS_LABEL = {
  held: { text: "Hold", tone: "warn" },
  awaiting_deposit: { text: "Awaiting deposit", tone: "warn" },
  confirmed: { text: "Confirmed", tone: "ok" },
  completed: { text: "Completed", tone: "" },
  no_show: { text: "No-show", tone: "critical" },
} as const;

/** A booking that has begun, and is not a no-show yet: the day offers to mark it one. */
const mayMarkNoShow = (booking: BookingRow, now: Date) =>
  (booking.status === "confirmed" || booking.status === "completed") && booking.startsAt.getTime() <= now.getTime();

export function registerBookingsPage(deps: AppDeps, app: ConsoleApp) {
  app.get("/bookings", consoleRole("operator"), async (c) => {
    const asked = c.req.query("date");
    const today = londonDate(deps.now());
    const date = asked === undefined || asked === "" ? today : parseApiDate(asked);
    if (!date) {
      return renderPage(
        c,
        {
          title: "Bookings",
          active: "bookings",
          status: 400,
          error: "date: must be a real date written YYYY-MM-DD, e.g. 2026-07-01",
        },
        <DayChooser date={today} />,
      );
    }
    const now = deps.now();
    const day = await bookingDay(deps.db, date, now);
    const marking = { csrf: c.get("csrf"), now };
    return renderPage(
      c,
      { title: "Bookings", active: "bookings" },
      <DayView day={day} today={today} marking={marking} />,
    );
  });

  // Back to the booking's day, which says what happened; a refusal (not begun yet, not confirmed) is the error page.
  app.post("/bookings/:id/no-show", consoleRole("operator"), async (c) => {
    const booking = await markNamedNoShow(deps, c.req.param("id"), c.get("user").id);
    return redirectWithFlash(
      c,
      `${PAGE}?date=${londonDate(booking.startsAt)}`,
      `${bookingReference(booking.number)} is marked a no-show; the deposit is kept.`,
    );
  });
}

/** What a booking item needs to offer its no-show button. */
interface Marking {
  csrf: string;
  now: Date;
}

function DayChooser(props: { date: string }) {
  return (
    <form method="get" action={PAGE} class="card inline-form">
      <div>
        <label for="date">Day (London)</label>
        <input id="date" name="date" type="date" value={props.date} required />
      </div>
      <button type="submit">Show day</button>
    </form>
  );
}

function DayView(props: { day: BookingDay; today: string; marking: Marking }) {
  const { day } = props;
  // On the two clock-change days an hour repeats or is missing: each time then says GMT or BST.
  const zone = day.end.getTime() - day.start.getTime() !== 24 * 3600_000;
  const mismatched = day.resources.flatMap((r) => r.bookings.filter((b) => b.mismatches.length > 0));
  return (
    <>
      <DayChooser date={day.date} />
      <nav aria-label="Other days" class="actions day-nav">
        <a href={`${PAGE}?date=${addDays(day.date, -1)}`}>← Previous day</a>
        {day.date !== props.today && <a href={PAGE}>Today</a>}
        <a href={`${PAGE}?date=${addDays(day.date, 1)}`}>Next day →</a>
      </nav>
      <h2>
        {formatDateForPeople(day.date)}
        {day.date === props.today && " (today)"}
      </h2>
      <p class="muted small">
        London time{zone && ": the clocks change today"}. A booking that runs past midnight shows on both days.
      </p>
      {mismatched.length > 0 && (
        <p class="error">
          {mismatched.length === 1
            ? "1 booking here can no longer be taken by its resource: see the mismatch below."
            : `${mismatched.length} bookings here can no longer be taken by their resources: see the mismatches below.`}
        </p>
      )}
      {day.resources.length === 0 ? (
        <p>No resources yet: a manager adds them through the API (POST /resources).</p>
      ) : (
        day.resources.map((r) => <ResourceSection day={day} room={r} zone={zone} marking={props.marking} />)
      )}
    </>
  );
}

type Entry = { at: Date; node: unknown };

function ResourceSection(props: { day: BookingDay; room: ResourceDay; zone: boolean; marking: Marking }) {
  const { room, day, zone } = props;
  const entries: Entry[] = [
    ...room.bookings.map((b) => ({
      at: b.booking.startsAt,
      node: <BookingItem item={b} date={day.date} zone={zone} marking={props.marking} />,
    })),
    ...room.blocks.map((block) => ({
      at: block.startsAt,
      node: (
        <li class="slot block">
          <span class="tag">Block</span> <Span start={block.startsAt} end={block.endsAt} date={day.date} zone={zone} />
          <div>{block.reason}</div>
        </li>
      ),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const headingId = `resource-${room.resource.id}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h3 id={headingId} class="resource-name">
        {room.resource.name} {room.resource.status !== "active" && <span class="tag critical">Inactive</span>}
        <span class="muted small"> · holds {room.resource.capacity}</span>
      </h3>
      {entries.length === 0 ? (
        <p class="muted">Nothing booked or blocked.</p>
      ) : (
        <ul class="slots">{entries.map((e) => e.node)}</ul>
      )}
    </section>
  );
}

function BookingItem(props: { item: DayBooking; date: string; zone: boolean; marking: Marking }) {
  const { booking, clientName, mismatches } = props.item;
  const label = STATUS_LABEL[booking.status as keyof typeof STATUS_LABEL];
  return (
    <li class={mismatches.length > 0 ? "slot mismatch" : "slot"}>
      <span class={label?.tone ? `tag ${label.tone}` : "tag"}>{label?.text ?? booking.status}</span>{" "}
      <Span start={booking.startsAt} end={booking.endsAt} date={props.date} zone={props.zone} />
      <div>
        <a href={`/console/inquiries/${booking.inquiryId}`}>{bookingReference(booking.number)}</a>
        {clientName ? ` · ${clientName}` : ""}
        {booking.partySize !== null ? ` · party of ${booking.partySize}` : ""}
        {booking.depositAmount > 0 ? ` · deposit ${formatMoney(booking.depositAmount, booking.currency)}` : ""}
      </div>
      {booking.status === "held" && booking.holdExpiresAt && (
        <div class="small muted">
          Hold ends <LondonTime at={booking.holdExpiresAt} />
        </div>
      )}
      {mismatches.map((m) => (
        <div class="small">
          <span class="tag critical">Mismatch</span> {m.detail}
        </div>
      ))}
      {mayMarkNoShow(booking, props.marking.now) && (
        <form method="post" action={`${PAGE}/${booking.id}/no-show`} class="inline-form">
          <CsrfField token={props.marking.csrf} />
          <button type="submit" aria-label={`Mark no-show: ${bookingReference(booking.number)}`}>
            Mark no-show
          </button>
        </form>
      )}
    </li>
  );
}

/** "19:00–21:00"; an end or start on another day shows that day too. */
function Span(props: { start: Date; end: Date; date: string; zone: boolean }) {
  const at = (instant: Date) => (
    <time datetime={formatLondon(instant)}>
      {londonDate(instant) === props.date
        ? formatLondonClock(instant, { zone: props.zone })
        : `${formatDateForPeople(londonDate(instant)).replace(/ \d{4}$/, "")} ${formatLondonClock(instant)}`}
    </time>
  );
  return (
    <strong class="when">
      {at(props.start)}–{at(props.end)}
    </strong>
  );
}
