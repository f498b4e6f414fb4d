// The customer's one payment link, /pay/{token}: a 303 to the live attempt's checkout page, the bank-transfer
// instructions for a manual attempt (with the form for the customer's own proof), or "paid". A link sent before a
// failover lands on whatever attempt is live now.
import type { Context } from "hono";
import { html } from "hono/html";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { bookingReference, formatMoney } from "../../bookings";
import { formatLondonForPeople } from "../../core/time";
import { minorAmount, manualInstructionsFor, type PayPageState, payPageState } from "../../../payments";
import type { AppDeps, HubEnv } from "../context";
import { manualPaymentBody, payPage as page } from "../views/pay-page";
import { type PageRefusal, payProofRoutes } from "./pay-proof";

export function payPageRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const token = z.object({
    token: z.string().openapi({ description: "The token from the payment link (43 characters)" }),
  });
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/pay/{token}",
      tags: ["Payments"],
      summary:
        "The customer's payment link: 303 to the live attempt's checkout page; for a manual one the instructions and a form for the customer's own proof; paid once paid",
      security: [],
      request: { params: token },
      responses: {
        303: { description: "To the live attempt's checkout page" },
        200: {
          description:
            "Paid, manual instructions with the proof form (POST /pay/{token}/proof), or being prepared (HTML)",
          content: { "text/html": { schema: z.string() } },
        },
        404: { description: "No such link (HTML)" },
        410: { description: "The booking is cancelled or expired: nothing to pay (HTML)" },
        503: { description: "No attempt is live (the round failed): staff will be in touch (HTML)" },
      },
    }),
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/pay/done",
      tags: ["Payments"],
      summary: "Where a checkout page returns the customer (HTML)",
      security: [],
      responses: { 200: { description: "Thank you (HTML)" } },
    }),
  );

  app.get("/pay/done", (c) =>
    page(
      c,
      200,
      "Thank you",
      html`<h1>Thank you</h1><p>We confirm your booking as soon as your payment provider tells us, in the chat you wrote to us from.</p>`,
    ),
  );

  app.get("/pay/:token", async (c) => show(c, c.req.param("token"), await payPageState(deps.db, c.req.param("token"))));
  payProofRoutes(deps, app, show);

  /** The page for the link's state; `refusal`: why the customer's last upload was refused, on a page with its form. */
  function show(c: Context, token: string, state: PayPageState, refusal?: PageRefusal) {
    if (state.kind === "unknown")
      return page(
        c,
        404,
        "Payment link not valid",
        html`<h1>This payment link is not valid</h1><p>Ask us to send it again.</p>`,
      );
    const { booking } = state;
    const reference = bookingReference(booking.number);
    if (refusal && state.kind !== "manual")
      return page(
        c,
        refusal.status,
        `Error: payment for ${reference}`,
        html`<h1>We could not take your file</h1><p role="alert">${refusal.reason}</p><p><a href="/pay/${token}">Open your payment page again</a> to see where your payment stands.</p>`,
      );
    if (state.kind === "paid") {
      return page(
        c,
        200,
        `Paid: ${reference}`,
        html`<h1>Paid</h1><p class="notice" role="status">The deposit for ${reference} is paid. Your booking is confirmed for ${formatLondonForPeople(booking.startsAt)} (London time).</p>`,
      );
    }
    if (state.kind === "closed") {
      return page(
        c,
        410,
        `Booking ${reference}`,
        html`<h1>This booking is ${booking.status}</h1><p>No payment is due. Write to us if you would like another time.</p>`,
      );
    }
    if (state.kind === "unavailable") {
      return page(
        c,
        503,
        `Payment for ${reference}`,
        html`<h1>Payment is not available right now</h1><p>We could not take the deposit for ${reference} online. We will contact you about how to pay.</p>`,
      );
    }
    if (state.kind === "checkout") return c.redirect(state.checkoutUrl, 303);
    const live = state.attempt;
    const amount = formatMoney(minorAmount(live), live.currency);
    if (state.kind === "manual") {
      const body = manualPaymentBody(token, state, {
        instructions: manualInstructionsFor(deps.payments.deps, booking, live),
        error: refusal?.reason,
        note: refusal?.note,
      });
      return page(c, refusal?.status ?? 200, `${refusal ? "Error: " : ""}Pay ${amount} for ${reference}`, body);
    }
    return page(
      c,
      200,
      `Pay ${amount} for ${reference}`,
      html`<h1>Preparing your payment page</h1><p>This takes a few seconds; the page reloads by itself.</p>`,
      3,
    );
  }
}
