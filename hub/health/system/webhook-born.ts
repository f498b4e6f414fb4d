// Which dead letters are webhooks' work: an event a webhook started, whose subscriber then failed for good.

/** Channels whose leads and messages arrive as signed webhooks (the web form and phone do not). */
const WEBHOOK_CHANNELS = new Set(["telegram", "whatsapp", "partner"]);

/**
 * The sender (channel or payment slot) whose webhook started this event's job, or null for an event no webhook
 * started. `name` is the event type (the events queue names each job by it), `data` the event.
 */
export function webhookSenderOf(name: string, data: unknown): string | null {
  const payload = (data as { payload?: Record<string, unknown> } | null)?.payload;
  if (!payload) return null;
  if ((name === "inquiry.created" || name === "message.received") && WEBHOOK_CHANNELS.has(String(payload.source)))
    return String(payload.source);
  if (name === "payment.paid" && payload.via === "webhook" && typeof payload.provider === "string")
    return payload.provider;
  return null;
}
