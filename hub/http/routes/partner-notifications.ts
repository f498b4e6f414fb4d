// GET /partners/{code}/notifications: what the hub told a partner, and how each attempt went. Manager and above: it
// is where one looks when a partner says it never heard of a booking.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  listPartnerNotifications,
  PARTNER_NOTIFICATION_STATUSES,
  type PartnerNotificationStatus,
  type SentNotification,
  eventIdOfWebhookId,
} from "../../../channels/partner";
import { inquiryReference } from "../../pipeline";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const AttemptSchema = z
  .object({
    attempt_number: z.int(),
    status_code: z.int().nullable().openapi({ description: "The partner's HTTP status; null when no answer came" }),
    error: z.string().nullable(),
    duration_ms: z.int(),
    attempted_at: londonDateTime,
  })
  .openapi("PartnerNotificationAttempt");

const NotificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string().openapi({ example: "inquiry.booked" }),
    inquiry_id: z.uuid(),
    reference: z.string().openapi({ example: "INQ-1042" }),
    webhook_id: z.string().openapi({ description: "The Standard Webhooks webhook-id, the same on every attempt" }),
    event_id: z.string().openapi({
      description: "The hub event (and events-queue job) behind it: POST /jobs/{event_id}/retry replays a dead one",
    }),
    url: z.string(),
    status: z.enum(PARTNER_NOTIFICATION_STATUSES).openapi({
      description:
        "delivered: the partner answered 2xx; failing: retried with backoff (a dead letter once attempts run out); rejected: a 4xx a retry would not change",
    }),
    attempts: z.int(),
    last_status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    last_attempt_at: londonDateTime.nullable(),
    delivered_at: londonDateTime.nullable(),
    created_at: londonDateTime,
    payload: z.unknown().openapi({ description: "The JSON body sent" }),
    attempt_log: z.array(AttemptSchema),
  })
  .openapi("PartnerNotification");

const notificationView = ({ notification: n, inquiryNumber, attempts }: SentNotification) => ({
  id: n.id,
  type: n.type,
  inquiry_id: n.inquiryId,
  reference: inquiryReference(inquiryNumber),
  webhook_id: n.webhookId,
  event_id: eventIdOfWebhookId(n.webhookId),
  url: n.url,
  status: n.status as PartnerNotificationStatus,
  attempts: n.attempts,
  last_status_code: n.lastStatusCode,
  last_error: n.lastError,
  last_attempt_at: n.lastAttemptAt ? formatLondon(n.lastAttemptAt) : null,
  delivered_at: n.deliveredAt ? formatLondon(n.deliveredAt) : null,
  created_at: formatLondon(n.createdAt),
  payload: n.payload,
  attempt_log: attempts.map((a) => ({
    attempt_number: a.attemptNumber,
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
    attempted_at: formatLondon(a.attemptedAt),
  })),
});

export function partnerNotificationRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const list = createRoute({
    method: "get",
    path: "/partners/{code}/notifications",
    tags: ["Partners"],
    summary: "A partner's notifications, newest first, each with its attempts",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "manager")] as const,
    request: {
      params: z.object({ code: z.string().openapi({ example: "london-tours" }) }),
      query: z.object({
        status: z
          .enum(PARTNER_NOTIFICATION_STATUSES, { error: `must be one of ${PARTNER_NOTIFICATION_STATUSES.join(", ")}` })
          .optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().optional().openapi({ description: "next_cursor of the previous page" }),
      }),
    },
    responses: {
      200: {
        description: "Notifications",
        content: {
          "application/json": {
            schema: z
              .object({ items: z.array(NotificationSchema), next_cursor: z.string().nullable() })
              .openapi("PartnerNotificationPage"),
          },
        },
      },
      ...problemResponses(400, 401, 403, 404),
    },
  });

  app.openapi(list, async (c) => {
    const { code } = c.req.valid("param");
    const { status, limit, cursor } = c.req.valid("query");
    const page = await listPartnerNotifications(deps.db, code, { status }, { limit, cursor });
    return c.json({ items: page.items.map(notificationView), next_cursor: page.nextCursor }, 200);
  });
}
