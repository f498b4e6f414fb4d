// The one shape every channel has: where its requests come in (verified first), and how it answers in its chat.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { InquirySource, MessageAction } from "../db/schema";
import type { HubEnv } from "../hub/http/context";

export interface OutboundMessage {
  /** The hub's message id: a channel that supports it uses it to make a resend harmless. */
  id: string;
  chatId: string;
  text: string;
  /** Buttons the customer answers with (Telegram: an inline keyboard; WhatsApp Cloud: reply buttons; else words). */
  actions?: MessageAction[];
}

export interface SentMessage {
  /** The channel's id for what it sent (unique per channel, as for inbound messages). */
  externalMessageId: string;
  raw?: unknown;
}

/** A channel's send failed. `retryable: false` means trying again cannot help (blocked by the user, bad chat id). */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ChannelSendError";
  }
}

/**
 * A chat channel may only send free-form text for a while after the customer last wrote (WhatsApp: 24 hours).
 * Outside it, `reopen` sends an approved template instead; without one, the message is withheld and an operator
 * gets a task.
 */
export interface ReplyWindow {
  hours: number;
  reopen?: (message: OutboundMessage, values: { reference: string }) => Promise<SentMessage>;
}

/** What the health view says about a channel. */
export interface ChannelStatus {
  /** False when the channel is not set up (its settings are missing): it takes nothing in and sends nothing. */
  connected: boolean;
  /** How it runs, in a few words: "webhook", "polling", "cloud", "web (paired)", "Turnstile on"… */
  mode: string;
  /** Problems a person should act on now (a WhatsApp Web session that is not paired); none when all is well. */
  warnings: string[];
}

export interface ChannelAdapter {
  readonly source: InquirySource;
  status(): ChannelStatus;
  /** Mounts the channel's inbound routes; each verifies its request before anything is stored. */
  mount(app: OpenAPIHono<HubEnv>): void;
  /** Sends into the customer's chat. Absent for channels that have no chat to answer in. */
  send?(message: OutboundMessage): Promise<SentMessage>;
  replyWindow?: ReplyWindow;
  /** Starts what the channel runs besides HTTP routes (Telegram long polling, the WhatsApp Web client). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type ChannelRegistry = Record<InquirySource, ChannelAdapter>;
