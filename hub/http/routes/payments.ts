// Payments: a booking's attempts, operators' list (manual payments waiting for proof or approval), a new round after a
// final failure, proofs, and a manager's approval or rejection.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import {
  addProof,
  MAX_PROOF_BYTES,
  bookingPayments,
  listPayments,
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  type PaymentDetail,
  paymentDetail,
  proofFile,
  decideManualPayment,
  markManualRefundSent,
  requestRefund,
  startNewRound,
} from "../../../payments";
import { HubError } from "../../core/errors";
import { formatLondon } from "../../core/time";
import { plainText } from "../../core/validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { requireMediaType } from "../media-type";
import { problem, problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";
import { paymentView, PaymentSchema, proofView, ProofSchema } from "../views/payment";

const PaymentId = z.object({ id: z.uuid({ error: "must be a payment id (a UUID)" }) });
const BookingId = z.object({ id: z.string().openapi({ example: "BKG-12" }) });
const NoteSchema = z.object({ note: plainText(2000) }).strict();

/** The proofs routes (staff's, and the customer's on /pay/{token}) take files; every other route keeps 64 KiB. */
export const PROOF_BODY_LIMIT = MAX_PROOF_BYTES + 64 * 1024;
export const isProofUpload = (method: string, path: string) =>
  method === "POST" && (/^\/payments\/[^/]+\/proofs\/?$/.test(path) || /^\/pay\/[^/]+\/proof\/?$/.test(path));

const PaymentDetailSchema = PaymentSchema.extend({
  proofs: z.array(ProofSchema),
  approval: z.object({ approved_by: z.uuid(), approved_at: londonDateTime, note: z.string() }).nullable(),
}).openapi("PaymentDetail");

export function paymentRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asOperator = requireRole(deps.auth, "operator");
  const asManager = requireRole(deps.auth, "manager");
  const payDeps = deps.payments.deps;
  // Read per request, not here: with PORT=0 the hub learns its port after the routes are built.
  const publicUrl = () => payDeps.publicUrl;

  const detailView = (d: PaymentDetail) => ({
    ...paymentView(d.payment, d.payToken, publicUrl()),
    proofs: d.proofs.map(proofView),
    approval: d.approval
      ? { approved_by: d.approval.approvedBy, approved_at: formatLondon(d.approval.approvedAt), note: d.approval.note }
      : null,
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/bookings/{id}/payments",
      tags: ["Payments"],
      summary: "A booking's payment attempts in order (refunds included, each after the attempt it pays back)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        200: {
          description: "The attempts",
          content: {
            "application/json": { schema: z.object({ items: z.array(PaymentSchema) }).openapi("PaymentList") },
          },
        },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { booking, payments } = await bookingPayments(deps.db, c.req.valid("param").id);
      return c.json({ items: payments.map((p) => paymentView(p, booking.payToken, publicUrl())) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/bookings/{id}/payments",
      tags: ["Payments"],
      summary: "Start a new payment round (after a final failure): the first configured provider again, the same link",
      description: "409 while an attempt is live, once paid, or when the booking is not awaiting_deposit.",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: BookingId },
      responses: {
        201: { description: "The round's first attempt", content: { "application/json": { schema: PaymentSchema } } },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { attempt, booking } = await startNewRound(payDeps, c.req.valid("param").id, c.get("user").id);
      c.header("Location", `/payments/${attempt.id}`);
      return c.json(paymentView(attempt, booking.payToken, publicUrl()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/payments",
      tags: ["Payments"],
      summary:
        "Payment attempts, the newest first: e.g. ?provider=manual&status=awaiting_approval for what a manager should approve",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: {
        query: z.object({
          status: z.enum(PAYMENT_STATUSES).optional(),
          provider: z.enum(PAYMENT_PROVIDERS).optional(),
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
                .object({ items: z.array(PaymentSchema), next_cursor: z.string().nullable() })
                .openapi("PaymentPage"),
            },
          },
        },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { status, provider, limit, cursor } = c.req.valid("query");
      const page = await listPayments(deps.db, { status, provider }, { limit, cursor });
      return c.json(
        {
          items: page.items.map((r) => paymentView(r.payment, r.payToken, publicUrl())),
          next_cursor: page.nextCursor,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/payments/{id}",
      tags: ["Payments"],
      summary: "One payment attempt, with its proofs and approval (manual)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: PaymentId },
      responses: {
        200: { description: "The attempt", content: { "application/json": { schema: PaymentDetailSchema } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(detailView(await paymentDetail(deps.db, c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/{id}/proofs",
      tags: ["Payments"],
      summary: "Upload a proof of a manual payment: a PDF, JPEG, PNG or HEIC file of at most 10 MB, and a comment",
      description:
        "multipart/form-data with `file` and `comment`. The file's type is read from its bytes; it is kept with its SHA-256 and size, and served to staff only.",
      security: bearerSecurity,
      middleware: [
        bodyLimit({ maxSize: PROOF_BODY_LIMIT, onError: (c) => problem(c, 413, "A proof may be at most 10 MB.") }),
        asOperator,
        requireMediaType(
          "multipart/form-data",
          "Send the proof as multipart/form-data with the fields file and comment.",
        ),
      ] as const,
      request: {
        params: PaymentId,
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({ file: z.any().openapi({ type: "string", format: "binary" }), comment: z.string() }),
            },
          },
        },
      },
      responses: {
        201: { description: "Stored", content: { "application/json": { schema: ProofSchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => {
        throw new HubError("invalid", "The multipart body could not be read.");
      });
      const file = form.file;
      const comment = typeof form.comment === "string" ? form.comment : "";
      if (!(file instanceof File))
        throw new HubError("invalid", "file: is required (a PDF, JPEG, PNG or HEIC file)", [
          { field: "file", message: "is required" },
        ]);
      const proof = await addProof(payDeps, {
        paymentId: c.req.valid("param").id,
        userId: c.get("user").id,
        via: "api",
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
        comment,
      });
      return c.json(proofView(proof), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/payments/{id}/proofs/{proof_id}",
      tags: ["Payments"],
      summary: "A proof's file (staff only), as uploaded",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: PaymentId.extend({ proof_id: z.uuid() }) },
      responses: {
        200: {
          description: "The file",
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...problemResponses(400, 401, 403, 404, 410),
      },
    }),
    async (c) => {
      const { id, proof_id } = c.req.valid("param");
      const proof = await proofFile(deps.db, id, proof_id);
      return c.body(new Uint8Array(proof.content), 200, {
        "Content-Type": proof.contentType,
        "Content-Disposition": `attachment; filename="${proof.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      });
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/{id}/refunds",
      tags: ["Payments"],
      summary: "Refund a paid payment, in full or in part (manager or admin), through the provider that took the money",
      description:
        "Writes a refund (type refund, refund_of this payment) and answers 202 with it, `open`: the provider is asked " +
        "with the refund's id as the idempotency key, and the refund becomes `refunded` (or `failed`) from its answer " +
        "or its refund webhook. The amount, in minor units, is at most what was paid less what is refunded or being " +
        'refunded already (422 otherwise). A bank transfer\'s refund becomes the task "Refund by bank transfer": a ' +
        "manager pays it and marks it done with POST /payments/{id}/refund-sent. The customer is told in their chat " +
        "what was refunded; revenue in the reports is net of it, on the refund's London date.",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        params: PaymentId,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z
                .object({
                  amount: z
                    .int()
                    .positive()
                    .max(99_999_999)
                    .openapi({ description: "Minor units (pence)", example: 1000 }),
                  note: plainText(1000),
                })
                .strict(),
            },
          },
        },
      },
      responses: {
        202: {
          description: "The refund, open until its provider settles it",
          content: { "application/json": { schema: PaymentSchema } },
        },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { amount, note } = c.req.valid("json");
      const refund = await requestRefund(payDeps, c.req.valid("param").id, {
        amount,
        note,
        requestedBy: c.get("user").id,
      });
      return c.json(paymentView(refund, null, publicUrl()), 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments/{id}/refund-sent",
      tags: ["Payments"],
      summary: "Mark a bank-transfer refund as paid (manager or admin): refunded, its task done, the customer told",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        params: PaymentId,
        body: { required: true, content: { "application/json": { schema: NoteSchema } } },
      },
      responses: {
        200: { description: "The refund, refunded", content: { "application/json": { schema: PaymentSchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const refund = await markManualRefundSent(payDeps, c.req.valid("param").id, {
        userId: c.get("user").id,
        note: c.req.valid("json").note,
      });
      return c.json(paymentView(refund, null, publicUrl()), 200);
    },
  );

  for (const decision of ["approve", "reject"] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/payments/{id}/${decision}`,
        tags: ["Payments"],
        summary:
          decision === "approve"
            ? "Approve a manual payment (manager or admin who sent none of its proofs): paid, the booking confirmed, all in one audited transaction"
            : "Reject a manual payment (manager or admin): failed, a task raised; a new round may follow",
        security: bearerSecurity,
        middleware: [asManager] as const,
        request: {
          params: PaymentId,
          body: { required: true, content: { "application/json": { schema: NoteSchema } } },
        },
        responses: {
          200: {
            description: decision === "approve" ? "Approved" : "Rejected",
            content: { "application/json": { schema: PaymentDetailSchema } },
          },
          ...problemResponses(400, 401, 403, 404, 409, 413, 415),
        },
      }),
      async (c) => {
        const id = c.req.valid("param").id;
        const { note } = c.req.valid("json");
        return c.json(detailView(await decideManualPayment(payDeps, id, decision, c.get("user").id, note)), 200);
      },
    );
  }
}
