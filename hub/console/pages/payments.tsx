// Payments page (/console/payments): what needs a person. Manual payments waiting for a proof or a manager's approval,
// each proof shown (an image inline, a PDF as a link), approve and reject with a note; and the open refund tasks.
// Approving and rejecting call decideManualPayment, as POST /payments/{id}/approve|reject do, under the same rules:
// a manager or admin, and not one who sent a proof of it.
import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import {
  approvalRefusal,
  bookingReferenceOfPayment,
  decideManualPayment,
  type ManualAwaiting,
  minorAmount,
  paymentsNeedingPeople,
  proofFile,
  type RefundTask,
} from "../../../payments";
import { hasRole } from "../../auth/users";
import { formatMoney } from "../../bookings";
import { HubError, invalid } from "../../core/errors";
import { plainText } from "../../core/validation";
import type { AppDeps } from "../../http/context";
import { STATUS_OF } from "../../http/problem";
import type { ConsoleApp, ConsoleEnv } from "../app";
import { CsrfField } from "../csrf";
import { redirectWithFlash, renderPage } from "../responses";
import { consoleRole } from "../session";
import { LondonTime } from "../time";

const PAGE = "/console/payments";
/** Shown as <img>: what a browser draws. HEIC is not, so it is a link, like a PDF. */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg"]);
const Id = z.uuid();
const Note = plainText(2000);

const DECISIONS = {
  approve: { flash: (ref: string) => `Payment for ${ref} approved: the booking is confirmed.` },
  reject: { flash: (ref: string) => `Payment for ${ref} rejected: a task was raised; a new round may follow.` },
} as const;

export function registerPaymentsPage(deps: AppDeps, app: ConsoleApp) {
  app.get("/payments", consoleRole("operator"), (c) => paymentsPage(c, deps));

  // Behind the session: the file goes only to signed-in staff, from this origin, so the page's img-src 'self' holds.
  app.get("/payments/:id/proofs/:proof", consoleRole("operator"), async (c) => {
    const id = Id.safeParse(c.req.param("id"));
    const proofId = Id.safeParse(c.req.param("proof"));
    if (!id.success || !proofId.success) throw new HubError("not_found", "No such proof.");
    const proof = await proofFile(deps.db, id.data, proofId.data);
    const inline = INLINE_IMAGES.has(proof.contentType);
    return c.body(new Uint8Array(proof.content), 200, {
      "Content-Type": proof.contentType,
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${proof.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
    });
  });

  for (const decision of ["approve", "reject"] as const) {
    app.post(`/payments/:id/${decision}`, consoleRole("manager"), async (c) => {
      const id = Id.safeParse(c.req.param("id"));
      if (!id.success) throw new HubError("not_found", "No such payment.");
      const note = Note.safeParse((await c.req.parseBody()).note ?? "");
      if (!note.success) return paymentsPage(c, deps, invalid("note", note.error.issues[0]!.message));
      try {
        await decideManualPayment(deps.payments.deps, id.data, decision, c.get("user").id, note.data);
      } catch (error) {
        if (error instanceof HubError) return paymentsPage(c, deps, error);
        throw error;
      }
      const reference = (await bookingReferenceOfPayment(deps.db, id.data)) ?? "the booking";
      return redirectWithFlash(c, PAGE, DECISIONS[decision].flash(reference));
    });
  }
}

/** The page, or the page with what went wrong with the last form (the HubError's status and message). */
async function paymentsPage(c: Context<ConsoleEnv>, deps: AppDeps, error?: HubError) {
  const user = c.get("user");
  const mayDecide = hasRole(user, "manager");
  const needs = await paymentsNeedingPeople(deps.db);
  const refusals = new Map<string, string | undefined>();
  if (mayDecide)
    for (const m of needs.manual.filter((m) => m.payment.status === "awaiting_approval"))
      refusals.set(m.payment.id, await approvalRefusal(deps.db, m.payment.id, user.id));
  const awaitingApproval = needs.manual.filter((m) => m.payment.status === "awaiting_approval");
  const awaitingProof = needs.manual.filter((m) => m.payment.status !== "awaiting_approval");
  const csrf = c.get("csrf");
  return renderPage(
    c,
    {
      title: "Payments",
      active: "payments",
      ...(error ? { status: STATUS_OF[error.kind], error: error.message } : {}),
    },
    <>
      {!mayDecide && (
        <p class="muted">A manager approves or rejects manual payments; you see what is waiting and its proofs.</p>
      )}
      <section aria-labelledby="approval-heading">
        <h2 id="approval-heading">Waiting for a manager's approval ({awaitingApproval.length})</h2>
        {awaitingApproval.length === 0 && <p class="muted">Nothing is waiting for approval.</p>}
        {awaitingApproval.map((m) => (
          <Attempt m={m} csrf={csrf} mayDecide={mayDecide} refusal={refusals.get(m.payment.id)} />
        ))}
      </section>
      <section aria-labelledby="proof-heading">
        <h2 id="proof-heading">Waiting for a proof ({awaitingProof.length})</h2>
        {awaitingProof.length === 0 && <p class="muted">No manual payment is waiting for a proof.</p>}
        {awaitingProof.map((m) => (
          <Attempt m={m} csrf={csrf} mayDecide={mayDecide} refusal={undefined} />
        ))}
      </section>
      <section aria-labelledby="refund-heading">
        <h2 id="refund-heading">Refund tasks ({needs.refundTasks.length})</h2>
        {needs.refundTasks.length === 0 ? (
          <p class="muted">No money to return.</p>
        ) : (
          <ul class="plain-list">
            {needs.refundTasks.map((t) => (
              <RefundItem task={t} />
            ))}
          </ul>
        )}
      </section>
    </>,
  );
}

function Attempt(props: { m: ManualAwaiting; csrf: string; mayDecide: boolean; refusal: string | undefined }) {
  const { m, csrf, mayDecide, refusal } = props;
  const { payment } = m;
  const headingId = `payment-${payment.id}`;
  const awaiting = payment.status === "awaiting_approval";
  return (
    <article class="card stack payment" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {m.bookingReference} · {formatMoney(minorAmount(payment), payment.currency)}{" "}
        <span class="tag warn">{awaiting ? "Awaiting approval" : "Awaiting proof"}</span>
      </h3>
      <p>
        <a href={`/console/inquiries/${m.inquiryId}`}>{m.clientName ?? "The customer"}</a> · bank transfer, attempt{" "}
        {payment.attemptNumber} (round {payment.round}), opened <LondonTime at={payment.createdAt} />
      </p>
      {m.proofs.length === 0 ? (
        <p class="muted">
          No proof yet: the customer sends it in the chat or on their payment page, or staff upload it through the API.
        </p>
      ) : (
        <ul class="plain-list proofs">
          {m.proofs.map((proof) => {
            const href = `${PAGE}/${payment.id}/proofs/${proof.id}`;
            const who =
              proof.via === "customer" ? "the customer, on their payment page" : (proof.uploaderName ?? "staff");
            return (
              <li class="proof">
                {INLINE_IMAGES.has(proof.contentType) ? (
                  <a href={href}>
                    <img src={href} alt={`Proof of payment for ${m.bookingReference}: ${proof.fileName}`} />
                  </a>
                ) : (
                  <a href={href}>
                    Open {proof.fileName} ({proof.contentType === "application/pdf" ? "PDF" : "HEIC image"},{" "}
                    {Math.ceil(proof.sizeBytes / 1024)} KB)
                  </a>
                )}
                <p class="small">
                  “{proof.comment}”: {who}
                  {proof.via === "telegram" ? " via Telegram" : ""}, <LondonTime at={proof.createdAt} />
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {mayDecide && (
        <div class="grid decisions">
          {awaiting &&
            (refusal ? (
              <p class="error">You cannot approve this payment: {refusal}</p>
            ) : (
              <DecisionForm decision="approve" paymentId={payment.id} csrf={csrf} />
            ))}
          {!awaiting && <p class="muted">Approval needs a proof first.</p>}
          <DecisionForm decision="reject" paymentId={payment.id} csrf={csrf} />
        </div>
      )}
    </article>
  );
}

function DecisionForm(props: { decision: "approve" | "reject"; paymentId: string; csrf: string }) {
  const { decision, paymentId } = props;
  const fieldId = `${decision}-note-${paymentId}`;
  const approve = decision === "approve";
  return (
    <form method="post" action={`${PAGE}/${paymentId}/${decision}`} class="stack">
      <CsrfField token={props.csrf} />
      <label for={fieldId}>{approve ? "Approval note (what you checked)" : "Reason for rejecting"}</label>
      <textarea id={fieldId} name="note" required maxlength={2000} />
      <button type="submit" class={approve ? undefined : "secondary"}>
        {approve ? "Approve payment" : "Reject payment"}
      </button>
    </form>
  );
}

function RefundItem(props: { task: RefundTask }) {
  const { task } = props;
  return (
    <li class="card">
      <strong>{task.title}</strong>
      {task.reason && <p>{task.reason}</p>}
      <p class="small muted">
        Raised <LondonTime at={task.createdAt} />
        {task.inquiryId && (
          <>
            {" "}
            · <a href={`/console/inquiries/${task.inquiryId}`}>the inquiry</a>
          </>
        )}
      </p>
    </li>
  );
}
