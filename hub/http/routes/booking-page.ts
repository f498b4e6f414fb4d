// The customer's booking page /b/{token}, for leads without a chat: the offer in London time, Accept and Decline as
// a plain form post. No cookie, no script; the token (256 random bits) is the only key.
import type { Context } from "hono";
import { html } from "hono/html";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type BookingRow,
  LINK_ACTIONS,
  answerByLink,
  bookingByLink,
  cancellableByCustomer,
  formatMoney,
  type LinkedBooking,
  proposalValues,
} from "../../bookings";
import type { AppDeps, HubEnv } from "../context";
import { BASE_STYLE, customerPages } from "../views/customer-page";

const STYLE = `${BASE_STYLE}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border:0;cursor:pointer}
.accept{background:#00703c;color:#fff}.decline{background:#f3f2f1;color:#0b0c0c;border:2px solid #0b0c0c}
button:focus{outline:3px solid #fd0;outline-offset:0}
`;
const page = customerPages(STYLE, { forms: true });

const STATUS_TEXT: Record<BookingRow["status"], string> = {
  held: "",
  awaiting_deposit:
    "You have accepted this booking. The deposit payment link appears here in a moment: reload this page.",
  confirmed: "This booking is confirmed. See you then.",
  completed: "This booking has taken place. Thank you.",
  no_show: "We missed you at this booking; the deposit is kept. Write to us if you would like another time.",
  cancelled: "This booking has been cancelled.",
  expired: "This offer has expired. Write to us if you would like another time.",
};

/** A cancelled booking's deposit, as the cancellation decided it. */
const refundText = (booking: BookingRow) =>
  booking.status !== "cancelled" || !booking.cancelRefund
    ? ""
    : booking.cancelRefund === "full"
      ? html`<p>Your deposit of ${formatMoney(booking.depositAmount, booking.currency)} is refunded in full.</p>`
      : html`<p>The deposit of ${formatMoney(booking.depositAmount, booking.currency)} is kept, as our cancellation policy says.</p>`;

export function bookingPageRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const notFound = (c: Context) =>
    page(
      c,
      404,
      "Booking link not valid",
      html`<h1>This booking link is not valid</h1><p>It may have been replaced by a newer one. Ask us to send it again.</p>`,
    );

  const show = (
    c: Context,
    found: LinkedBooking,
    notice?: string,
    status: ContentfulStatusCode = 200,
    question?: boolean,
  ) => {
    const v = proposalValues(found.booking, found.resourceName);
    const open = found.booking.status === "held";
    return page(
      c,
      status,
      `Booking ${v.reference}`,
      html`<h1>Your booking ${v.reference}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<dl>
<dt>What</dt><dd>${v.resource}</dd>
<dt>When</dt><dd>${v.when} (London time)</dd>
<dt>For</dt><dd>${v.party}</dd>
<dt>Deposit</dt><dd>${v.deposit}</dd>
${open ? html`<dt>Held until</dt><dd>${v.hold_until}</dd>` : ""}
</dl>
${
  open
    ? html`<form method="post" class="actions">
<button class="accept" type="submit" name="action" value="accept">Accept</button>
<button class="decline" type="submit" name="action" value="decline">Decline</button>
</form>`
    : found.booking.status === "awaiting_deposit" && found.booking.payToken
      ? html`<p>You have accepted this booking.</p><p><a href="/pay/${found.booking.payToken}">Pay the deposit</a> to confirm it.</p>`
      : html`<p>${STATUS_TEXT[found.booking.status]}</p>${refundText(found.booking)}`
}
${
  question
    ? html`<form method="post" class="actions">
<button class="decline" type="submit" name="action" value="cancel_confirm">Yes, cancel</button>
<a href="/b/${c.req.param("token")}">Keep my booking</a>
</form>`
    : cancellableByCustomer(found.booking, deps.now())
      ? html`<form method="post" class="actions">
<button class="decline" type="submit" name="action" value="cancel">Cancel this booking</button>
</form>`
      : ""
}`,
    );
  };

  // Plain HTML routes, described in the OpenAPI document for completeness.
  const token = z.object({
    token: z.string().openapi({ description: "The token from the booking link (43 characters)" }),
  });
  const html200 = { description: "The booking page (HTML)", content: { "text/html": { schema: z.string() } } };
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/b/{token}",
      tags: ["Bookings"],
      summary: "The customer's booking page: the offer in London time, with Accept and Decline",
      security: [],
      request: { params: token },
      responses: { 200: html200, 404: { description: "No such link (HTML)" } },
    }),
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/b/{token}",
      tags: ["Bookings"],
      summary:
        "The page's form: accept or decline an offer; cancel (asks once more, saying what happens to the deposit) then cancel_confirm; 303 back to the page",
      security: [],
      request: {
        params: token,
        body: {
          content: {
            "application/x-www-form-urlencoded": { schema: z.object({ action: z.enum(LINK_ACTIONS) }) },
          },
        },
      },
      responses: {
        303: { description: "Answered: see the page" },
        400: html200,
        404: { description: "No such link (HTML)" },
        409: { description: "No longer open (HTML)" },
      },
    }),
  );

  app.get("/b/:token", async (c) => {
    const found = await bookingByLink(deps.db, c.req.param("token"));
    return found ? show(c, found) : notFound(c);
  });

  app.post("/b/:token", async (c) => {
    const token = c.req.param("token");
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const answer = await answerByLink({ ...deps, policy: deps.bookings.cancellation }, token, form.action);
    if (answer.kind === "no_link") return notFound(c);
    if (answer.kind === "unclear") return show(c, answer.linked, "Choose Accept or Decline.", 400);
    if (answer.kind === "refused") return show(c, answer.linked, answer.reason, 409);
    if (answer.kind === "confirm_cancel") return show(c, answer.linked, answer.question, 200, true);
    // Post, then redirect, then get: a reload shows the page and does not post again.
    return c.redirect(`/b/${token}`, 303);
  });
}
