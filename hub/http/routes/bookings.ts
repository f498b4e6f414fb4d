// Bookings: holding a resource's time for an inquiry, proposing it to the customer, their answer, cancellation;
// and the matching engine's suggestions for an inquiry.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  findBooking,
  holdBooking,
  BOOKING_STATUSES,
  listBookings,
  isCurrency,
  acceptNamedBooking,
  cancelNamedBooking,
  REFUND_CHOICES,
  markNamedNoShow,
  proposeNamedBooking,
} from "../../bookings";
import { matchesFor } from "../../inquiries";
import { formatLondon } from "../../core/time";
import { apiDateTime, plainText } from "../../core/validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { bookingView, BookingSchema } from "../views/booking";
import { londonDateTime } from "../views/inquiry";

const BookingId = z.object({ id: z.string().openapi({ example: "BKG-12" }) });
const minor = (what: string) =>
  z
    .int({ error: `${what} must be a whole number of minor units (pence)` })
    .min(0, "must not be negative")
    .max(100_000_000);

const HoldSchema = z
  .object({
    inquiry_id: z.string().openapi({ description: "The inquiry's id or reference", example: "INQ-42" }),
    resource_id: z.uuid({ error: "must be a resource id (a UUID)" }),
    start_at: apiDateTime,
    end_at: apiDateTime.optional(),
    duration_minutes: z
      .int({ error: "must be a whole number of minutes" })
      .min(5)
      .max(7 * 24 * 60)
      .optional()
      .openapi({ description: "Elapsed minutes from start_at" }),
    party_size: z.int().min(1).max(100_000).optional(),
    deposit_amount: minor("deposit_amount"),
    total_amount: minor("total_amount").optional(),
    currency: z.string().refine(isCurrency, "must be an ISO 4217 currency code, e.g. GBP").optional(),
  })
  .strict()
  .openapi("BookingRequest");

export function bookingRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asOperator = requireRole(deps.auth, "operator");

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings",
      tags: ["Bookings"],
      summary: "Hold a resource's time for an inquiry",
      description:
        "Give end_at, or duration_minutes (elapsed time: three hours from 00:30 on the night the clocks go back end at 02:30 GMT). " +
        "Amounts are integers in minor units. 409 when the time overlaps an active booking of the resource (the database refuses it, " +
        "so concurrent holds cannot both win); 422 when the resource is closed then, blocked, too small or inactive. The hold expires " +
        "at hold_expires_at (BOOKING_HOLD_MINUTES) unless the customer accepts.",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { body: { required: true, content: { "application/json": { schema: HoldSchema } } } },
      responses: {
        201: { description: "Held", content: { "application/json": { schema: BookingSchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const booking = await holdBooking(
        { ...deps, holdMs: deps.bookings.holdMs },
        {
          inquiry: body.inquiry_id,
          resourceId: body.resource_id,
          startsAt: body.start_at,
          endsAt: body.end_at,
          durationMinutes: body.duration_minutes,
          partySize: body.party_size,
          depositAmount: body.deposit_amount,
          totalAmount: body.total_amount,
          currency: body.currency,
          actorId: c.get("user").id,
        },
      );
      c.header("Location", `/bookings/${booking.id}`);
      return c.json(bookingView(booking), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/bookings",
      tags: ["Bookings"],
      summary: "Bookings, the latest start first; from/to filter start_at (London time without an offset)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: {
        query: z.object({
          status: z.enum(BOOKING_STATUSES).optional(),
          resource_id: z.uuid().optional(),
          from: apiDateTime.optional(),
          to: apiDateTime.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: "One page",
          content: {
            "application/json": {
              schema: z
                .object({ items: z.array(BookingSchema), next_cursor: z.string().nullable() })
                .openapi("BookingPage"),
            },
          },
        },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { status, resource_id, from, to, limit, cursor } = c.req.valid("query");
      const page = await listBookings(deps.db, { status, resourceId: resource_id, from, to }, { limit, cursor });
      return c.json({ items: page.items.map(bookingView), next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/bookings/{id}",
      tags: ["Bookings"],
      summary: "One booking, by id or reference (BKG-12)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        200: { description: "The booking", content: { "application/json": { schema: BookingSchema } } },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(bookingView(await findBooking(deps.db, c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings/{id}/cancel",
      tags: ["Bookings"],
      summary: "Cancel an active booking (audited) under the cancellation policy; its time is free again",
      description:
        "A paid deposit is refunded in full when the booking is cancelled at least CANCELLATION_FULL_REFUND_HOURS " +
        "before its start, through the provider that took it; later, it is kept. `refund` overrides that: `full` or " +
        "`none` (a manager or admin only; 403 for an operator). The booking's cancel_refund says what was decided, and " +
        "the customer is told in their chat.",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: {
        params: BookingId,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z
                .object({
                  reason: plainText(1000),
                  refund: z.enum(REFUND_CHOICES).optional().openapi({
                    description: "policy (the default), or a manager's override: full, none",
                  }),
                })
                .strict(),
            },
          },
        },
      },
      responses: {
        200: { description: "Cancelled", content: { "application/json": { schema: BookingSchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const booking = await cancelNamedBooking(
        { ...deps, policy: deps.bookings.cancellation },
        c.req.valid("param").id,
        c.req.valid("json"),
        c.get("user"),
      );
      return c.json(bookingView(booking), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings/{id}/no-show",
      tags: ["Bookings"],
      summary: "Record that the customer did not come: confirmed (or completed) → no_show, the deposit kept (audited)",
      description:
        "Only once the booking has begun: before its start, and from any status but confirmed or completed, it is a 409 " +
        "saying why. Nothing is refunded. Writes booking.no_show, counted in no_show_count of GET /reports/daily on the " +
        "London date of the booking's start.",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        200: { description: "Marked a no-show", content: { "application/json": { schema: BookingSchema } } },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const booking = await markNamedNoShow(deps, c.req.valid("param").id, c.get("user").id);
      return c.json(bookingView(booking), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings/{id}/propose",
      tags: ["Bookings"],
      summary: "Offer a held booking to the customer: in their chat with Accept and Decline, or as a booking link",
      description:
        "Telegram: an inline keyboard; WhatsApp Cloud: reply buttons; WhatsApp Web: reply YES or NO. A lead without a chat " +
        "(web form, phone, partner) gets booking_url, a page /b/{token} with Accept and Decline (the token is shown once).",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        200: {
          description: "Proposed",
          content: {
            "application/json": {
              schema: z
                .object({
                  booking: BookingSchema,
                  via: z.enum(["telegram", "whatsapp", "link"]),
                  message_id: z.uuid().nullable(),
                  booking_url: z.string().nullable(),
                })
                .openapi("Proposal"),
            },
          },
        },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const proposal = await proposeNamedBooking(
        { ...deps, publicUrl: deps.bookings.publicAddress.url },
        c.req.valid("param").id,
        c.get("user").id,
      );
      return c.json(
        {
          booking: bookingView(proposal.booking),
          via: proposal.via,
          message_id: proposal.messageId ?? null,
          booking_url: proposal.bookingUrl ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings/{id}/accept",
      tags: ["Bookings"],
      summary:
        "Record the customer's acceptance given another way (by phone): held → awaiting_deposit, or confirmed with no deposit",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        200: { description: "Accepted", content: { "application/json": { schema: BookingSchema } } },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const booking = await acceptNamedBooking(deps, c.req.valid("param").id, c.get("user").id);
      return c.json(bookingView(booking), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/inquiries/{id}/matches",
      tags: ["Bookings"],
      summary:
        "The resources that fit an inquiry at its requested time (or at), or the nearest free times that London day",
      description:
        "Open and unblocked for the whole window, not booked, big enough; scored deterministically (docs/matching.md).",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: {
        params: z.object({ id: z.string().openapi({ example: "INQ-42" }) }),
        query: z.object({
          duration_minutes: z.coerce
            .number({ error: "must be a whole number of minutes" })
            .int()
            .min(5)
            .max(24 * 60)
            .default(120),
          at: apiDateTime.optional(),
        }),
      },
      responses: {
        200: {
          description: "Matches, best first",
          content: {
            "application/json": {
              schema: z
                .object({
                  items: z.array(
                    z.object({
                      resource_id: z.uuid(),
                      resource_name: z.string(),
                      start_at: londonDateTime,
                      end_at: londonDateTime,
                      score: z.number(),
                      reasons: z.array(z.string()),
                    }),
                  ),
                })
                .openapi("Matches"),
            },
          },
        },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const matches = await matchesFor(deps.db, c.req.valid("param").id, {
        at: q.at,
        durationMinutes: q.duration_minutes,
      });
      return c.json(
        {
          items: matches.map((m) => ({
            resource_id: m.resourceId,
            resource_name: m.resourceName,
            start_at: formatLondon(m.startsAt),
            end_at: formatLondon(m.endsAt),
            score: m.score,
            reasons: m.reasons,
          })),
        },
        200,
      );
    },
  );
}
