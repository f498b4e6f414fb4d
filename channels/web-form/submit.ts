// POST /forms/inquiry: rate limit → read → honeypot → fields → Turnstile → the pipeline. Nothing is stored before
// Turnstile passes.
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Logger } from "pino";
import { HubError, type FieldError } from "../../hub/core/errors";
import { STATUS_OF } from "../../hub/http/problem";
import { inquiryStoredWithKey } from "../../hub/inquiries";
import { maskedIp } from "../../hub/core/logger";
import { ingestInquiry, type PipelineDeps, nextInquiryPreview, inquiryReference } from "../../hub/pipeline";
import { renderTemplate } from "../../hub/templates";
import { formatLondon, formatLondonForPeople } from "../../hub/core/time";
import { answerAccepted, answerRefusal, wantsHtml, type PageSettings, type Refusal } from "./answer";
import { clientIp } from "./client-ip";
import type { RateLimiter } from "./rate-limit";
import { honeypotFilled, idempotencyKeyOf, parseSubmission, type Submission } from "./submission";
import { TurnstileUnavailableError, verifyTurnstile, type TurnstileSettings } from "./turnstile";

export interface SubmitContext {
  pipeline: PipelineDeps;
  logger: Logger;
  limiter: RateLimiter;
  /** Absent when TURNSTILE_SECRET_KEY is not set: the check is off. */
  turnstile?: TurnstileSettings;
  trustProxyHops: number;
  pages: PageSettings;
}

const REJECTED = "The anti-spam check failed; reload the form and try again.";
const TURNSTILE_RETRY_AFTER_SECONDS = 30;
// A double click's second post can learn the token is spent before the first post has committed its inquiry.
const DUPLICATE_WAIT_MS = [100, 250, 500, 1000];

export function submitInquiry(ctx: SubmitContext) {
  return async (c: Context) => {
    const html = wantsHtml(c);
    const ip = clientIp(c, ctx.trustProxyHops);
    const refuse = (refusal: Refusal) => answerRefusal(c, html, ctx.pages, refusal);

    const limit = await ctx.limiter.check(ip);
    const fields = await readFields(c);
    const sent = typeof fields === "object" ? fields : {};
    const form = { values: formValues(sent), submissionId: submissionIdOf(sent) };
    if (!limit.allowed) {
      const minutes = Math.ceil(limit.retryAfterSeconds / 60);
      return refuse({
        status: 429,
        detail: `Too many submissions from this address; try again in ${limit.retryAfterSeconds} seconds.`,
        notice: `You have sent this form too many times. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        retryAfterSeconds: limit.retryAfterSeconds,
        form,
      });
    }
    if (fields === "unsupported") {
      return refuse({
        status: 415,
        detail: "Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json.",
        form,
      });
    }
    if (fields === undefined)
      return refuse({ status: 400, detail: "The body is not a JSON object of the form's fields.", form });

    // Bots that fill every field are told they succeeded, so they learn nothing; nothing is kept.
    if (honeypotFilled(fields)) {
      ctx.logger.info({ ip: maskedIp(ip) }, "web form honeypot filled; answered as accepted, nothing stored");
      return answerAccepted(c, html, ctx.pages, await lookAlike(ctx.pipeline, form.submissionId), 201);
    }

    const parsed = parseSubmission(fields, {
      idempotencyKey: c.req.header("idempotency-key"),
      now: ctx.pipeline.now(),
    });
    if (!parsed.ok) {
      return refuse({
        status: 400,
        detail: `Invalid form: ${parsed.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
        errors: parsed.errors,
        form,
      });
    }
    const { submission } = parsed;
    form.submissionId = submission.submissionId;

    if (ctx.turnstile) {
      const verdict = await checkTurnstile(ctx, submission, ip);
      if (verdict === "unavailable") {
        return refuse({
          status: 503,
          detail: "The anti-spam check did not answer; nothing was stored. Try again shortly.",
          notice:
            "Our anti-spam check is not answering just now, so your enquiry was not sent. Please try again in a minute.",
          retryAfterSeconds: TURNSTILE_RETRY_AFTER_SECONDS,
          form,
        });
      }
      if (verdict === "rejected") {
        return refuse({
          status: 403,
          detail: REJECTED,
          errors: [{ field: "cf-turnstile-response", message: "was not accepted" }],
          notice: REJECTED,
          form,
        });
      }
    }

    try {
      const { inquiry, replayed } = await ingestInquiry(ctx.pipeline, submission.input, {
        webhookPayload: submission.payload,
      });
      return answerAccepted(
        c,
        html,
        ctx.pages,
        await accepted(ctx.pipeline, inquiry.number, inquiry.slaDeadlineAt, submission.submissionId),
        replayed ? 200 : 201,
      );
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      const conflict = error.kind === "conflict";
      return refuse({
        status: STATUS_OF[error.kind],
        detail: error.message,
        errors: error.fields.map(formField),
        // After "back" and a change, the page still holds the sent form's id: offer a fresh one for a new enquiry.
        notice: conflict
          ? `This form was sent already as ${/INQ-\d+/.exec(error.message)?.[0] ?? "an earlier enquiry"}. To send another enquiry, use the form below.`
          : undefined,
        form: conflict ? { ...form, submissionId: randomUUID() } : form,
      });
    }
  };
}

/** The body's fields; undefined when it is not a JSON object or not readable, "unsupported" for other media types. */
async function readFields(c: Context): Promise<Record<string, unknown> | undefined | "unsupported"> {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  try {
    if (type === "application/json") {
      const body: unknown = await c.req.json();
      return body !== null && typeof body === "object" && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : undefined;
    }
    if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
      const body = await c.req.parseBody();
      // A file where text belongs is not ours to keep: it becomes a field error.
      return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : { file: true }]));
    }
  } catch {
    return undefined;
  }
  return "unsupported";
}

const formValues = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === "string"));

const submissionIdOf = (fields: Record<string, unknown>) =>
  typeof fields.submission_id === "string" && fields.submission_id.length <= 128 ? fields.submission_id : randomUUID();

const formField = (error: FieldError): FieldError => ({ ...error, field: error.field.replace(/^client\./, "") });

async function checkTurnstile(
  ctx: SubmitContext,
  submission: Submission,
  ip: string,
): Promise<"passed" | "rejected" | "unavailable"> {
  if (!submission.token) return "rejected";
  try {
    const outcome = await verifyTurnstile(ctx.turnstile!, submission.token, ip === "unknown" ? undefined : ip);
    if (outcome.passed) return "passed";
    // The same form sent twice spends its token twice: the second is fine if the first was stored.
    if (outcome.duplicate && (await wasStored(ctx.pipeline, submission.submissionId))) return "passed";
    ctx.logger.info({ ip: maskedIp(ip), errorCodes: outcome.errorCodes }, "web form Turnstile check failed");
    return "rejected";
  } catch (error) {
    if (!(error instanceof TurnstileUnavailableError)) throw error;
    ctx.logger.warn({ err: error }, "web form refused: Turnstile unavailable (failing closed)");
    return "unavailable";
  }
}

async function wasStored(pipeline: PipelineDeps, submissionId: string): Promise<boolean> {
  for (const wait of [0, ...DUPLICATE_WAIT_MS]) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    if (await inquiryStoredWithKey(pipeline.db, "web_form", idempotencyKeyOf(submissionId))) return true;
  }
  return false;
}

async function accepted(pipeline: PipelineDeps, number: number, slaDeadlineAt: Date, submissionId: string) {
  const reference = inquiryReference(number);
  const replyBy = formatLondonForPeople(slaDeadlineAt);
  const message = await renderTemplate(pipeline.db, "inquiry.acknowledged", { reference, deadline: replyBy });
  return { reference, slaDeadlineAt: formatLondon(slaDeadlineAt), replyBy, message, submissionId };
}

/** An answer shaped like a real one (the next reference, the form's SLA) for a bot; nothing is written. */
async function lookAlike(pipeline: PipelineDeps, submissionId: string) {
  const next = await nextInquiryPreview(pipeline.db, "web_form", pipeline.now());
  return accepted(pipeline, next.number, next.slaDeadlineAt, submissionId);
}
