// Payments: a booking's attempts, operators' list (manual payments waiting for proof or approval), a new round after a
// final failure, proofs, and a manager's approval or rejection.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { and, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import {
  bookings,
  manualPaymentApprovals,
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  paymentProofs,
  payments,
} from "../../../db/schema";
import { addProof, approveManualPayment, rejectManualPayment } from "../../../payments/manual";
import { MAX_PROOF_BYTES } from "../../../payments/manual/proof-file";
import { startRound } from "../../../payments/orchestrator/start";
import { lockBooking } from "../../bookings/lifecycle";
import { findBooking } from "../../bookings/find";
import { HubError } from "../../errors";
import { formatLondon } from "../../time";
import { plainText } from "../../validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { decodeCursor, encodeCursor } from "../cursor";
import { requireMediaType } from "../media-type";
import { problem, problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";
import { paymentView, PaymentSchema, proofView, ProofSchema } from "../views/payment";

const PaymentId = z.object({ id: z.uuid({ error: "must be a payment id (a UUID)" }) });
const BookingId = z.object({ id: z.string().openapi({ example: "BKG-12" }) });
const NoteSchema = z.object({ note: plainText(2000) }).strict();

/** The proofs route takes files; every other route keeps the app's 64 KiB limit. */
export const PROOF_BODY_LIMIT = MAX_PROOF_BYTES + 64 * 1024;
export const isProofUpload = (method: string, path: string) =>
  method === "POST" && /^\/payments\/[^/]+\/proofs\/?$/.test(path);

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

  const detail = async (id: string) => {
    const [row] = await deps.db
      .select({ payment: payments, payToken: bookings.payToken })
      .from(payments)
      .innerJoin(bookings, eq(bookings.id, payments.bookingId))
      .where(eq(payments.id, id));
    if (!row) throw new HubError("not_found", `No payment has id "${id}".`);
    const proofs = await deps.db
      .select({
        id: paymentProofs.id,
        paymentId: paymentProofs.paymentId,
        uploadedBy: paymentProofs.uploadedBy,
        via: paymentProofs.via,
        senderTelegramUserId: paymentProofs.senderTelegramUserId,
        fileName: paymentProofs.fileName,
        contentType: paymentProofs.contentType,
        sizeBytes: paymentProofs.sizeBytes,
        sha256: paymentProofs.sha256,
        comment: paymentProofs.comment,
        createdAt: paymentProofs.createdAt,
      })
      .from(paymentProofs)
      .where(eq(paymentProofs.paymentId, id))
      .orderBy(paymentProofs.createdAt);
    const [approval] = await deps.db
      .select()
      .from(manualPaymentApprovals)
      .where(eq(manualPaymentApprovals.paymentId, id));
    return {
      ...paymentView(row.payment, row.payToken, publicUrl()),
      proofs: proofs.map(proofView),
      approval: approval
        ? { approved_by: approval.approvedBy, approved_at: formatLondon(approval.approvedAt), note: approval.note }
        : null,
    };
  };

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
      const booking = await findBooking(deps.db, c.req.valid("param").id);
      const rows = await deps.db
        .select()
        .from(payments)
        .where(eq(payments.bookingId, booking.id))
        .orderBy(payments.attemptNumber, sql`${payments.type} = 'refund'`, payments.createdAt);
      return c.json({ items: rows.map((r) => paymentView(r, booking.payToken, publicUrl())) }, 200);
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
      const found = await findBooking(deps.db, c.req.valid("param").id);
      const { attempt, booking } = await deps.db.transaction(async (tx) =>
        startRound(tx, payDeps, await lockBooking(tx, found.id), c.get("user").id),
      );
      payDeps.afterCommit();
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
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const filters: (SQL | undefined)[] = [
        ne(payments.type, "refund"),
        q.status ? eq(payments.status, q.status) : undefined,
        q.provider ? eq(payments.provider, q.provider) : undefined,
        after
          ? sql`(${payments.createdAt}, ${payments.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ];
      const rows = await deps.db
        .select({ payment: payments, payToken: bookings.payToken })
        .from(payments)
        .innerJoin(bookings, eq(bookings.id, payments.bookingId))
        .where(and(...filters))
        .orderBy(desc(payments.createdAt), desc(payments.id))
        .limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return c.json(
        {
          items: page.map((r) => paymentView(r.payment, r.payToken, publicUrl())),
          next_cursor:
            rows.length > q.limit && last ? encodeCursor({ at: last.payment.createdAt, id: last.payment.id }) : null,
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
    async (c) => c.json(await detail(c.req.valid("param").id), 200),
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
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id, proof_id } = c.req.valid("param");
      const [proof] = await deps.db
        .select()
        .from(paymentProofs)
        .where(and(eq(paymentProofs.id, proof_id), eq(paymentProofs.paymentId, id)));
      if (!proof) throw new HubError("not_found", `Payment ${id} has no proof ${proof_id}.`);
      return c.body(new Uint8Array(proof.content), 200, {
        "Content-Type": proof.contentType,
        "Content-Disposition": `attachment; filename="${proof.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      });
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
        if (decision === "approve") await approveManualPayment(payDeps, id, c.get("user").id, note);
        else await rejectManualPayment(payDeps, id, c.get("user").id, note);
        return c.json(await detail(id), 200);
      },
    );
  }
}
