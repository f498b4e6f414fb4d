// The phone channel: operators log calls (from the Telegram bot's /phone); no webhook and no chat to answer in.
import type { ChannelAdapter } from "../adapter";
import type { ChannelDeps } from "../deps";
import { ingestInquiry, type IngestResult, type PipelineDeps } from "../../hub/pipeline";
import { parsePhoneLog } from "./parse-log";

export { parseCallResult, parseDuration, parsePhoneLog, PHONE_LOG_USAGE } from "./parse-log";

export function phoneChannel(_deps: ChannelDeps): ChannelAdapter {
  return {
    source: "phone",
    mount() {},
    status: () => ({ connected: true, mode: "POST /inquiries and the bot's /phone", warnings: [] }),
  };
}

export interface PhoneLogContext {
  operatorId: string;
  /** Names the operator's log message, so that a redelivered one logs the call once. */
  idempotencyKey: string;
  webhookEventId?: string;
  /** When the operator logged it: the SLA clock starts here. */
  loggedAt?: Date;
  raw?: unknown;
}

export type PhoneLogOutcome = { ok: true; result: IngestResult } | { ok: false; problem: string };

/** Parses `<phone> <duration> <result> [note]` and takes the call in as a `phone` lead of that operator. */
export async function logPhoneCall(
  pipeline: PipelineDeps,
  args: string,
  context: PhoneLogContext,
): Promise<PhoneLogOutcome> {
  const parsed = parsePhoneLog(args, context.operatorId, {
    webhook_event_id: context.webhookEventId,
    received_at: context.loggedAt && context.loggedAt <= pipeline.now() ? context.loggedAt : undefined,
  });
  if (!parsed.ok) return parsed;
  const result = await ingestInquiry(pipeline, parsed.input, {
    idempotencyKey: context.idempotencyKey,
    webhookPayload: context.raw,
  });
  return { ok: true, result };
}
