// WhatsApp through whatsapp-web.js: a logged-in WhatsApp Web session in headless Chromium, paired once by QR code.
import qrcode from "qrcode-terminal";
import { storableValue } from "../../../db/storable";
import { ChannelSendError, type ChannelAdapter } from "../../adapter";
import type { ChannelDeps } from "../../deps";
import { receiveReceipt } from "../../../hub/conversations";
import { receiveWhatsApp } from "../receive";
import { HubError } from "../../../hub/core/errors";
import { maskedPhone } from "../../../hub/core/logger";
import { createWebClient, type WebClient, type WebClientSettings, type WebMessage } from "./client";
import { isCustomerMessage, receiptOfAck, toInbound } from "./normalise";

/** whatsapp-web.js does not deliver a message twice: a failed store is retried here, a few times, before giving up. */
const STORE_RETRIES_MS = [1000, 5000, 15_000];

export function whatsappWebChannel(
  deps: ChannelDeps,
  settings: WebClientSettings,
  injected?: WebClient,
): ChannelAdapter {
  const logger = deps.logger.child({ channel: "whatsapp", driver: "web" });
  let client: WebClient | undefined;
  const inFlight = new Set<Promise<void>>();

  async function store(message: WebMessage): Promise<void> {
    // whatsapp-web.js events do not pass the HTTP edge (hub/http/storable-input.ts): the same rule is applied here.
    const inbound = storableValue(toInbound(message));
    for (let attempt = 0; ; attempt++) {
      try {
        await receiveWhatsApp(deps, inbound);
        return;
      } catch (error) {
        const hopeless = error instanceof HubError && error.kind === "invalid";
        if (hopeless || attempt >= STORE_RETRIES_MS.length) {
          // The serialized id holds the number too (`false_447911…@c.us_3EB0…`): only its own last part is logged.
          logger.error(
            { err: error, id: inbound.messageId.split("_").at(-1), chat: maskedPhone(inbound.chatId) },
            "WhatsApp message not stored",
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, STORE_RETRIES_MS[attempt]));
      }
    }
  }

  /** Moves what the hub sent forward (sent, delivered, read); an ack may come before sendMessage has returned. */
  async function acknowledge(message: WebMessage, ack: number): Promise<void> {
    const status = receiptOfAck(ack);
    if (!message.fromMe || !status) return;
    const receipt = {
      source: "whatsapp" as const,
      externalMessageId: message.id._serialized,
      status,
      ...(status === "failed" ? { error: "WhatsApp Web reported the message failed" } : {}),
    };
    await receiveReceipt(deps.db, receipt);
  }

  /** Where the session is, for the health view: a session that is not ready takes no messages. */
  let session: "starting" | "waiting for QR scan" | "ready" | "pairing failed" | "disconnected" = "starting";

  return {
    source: "whatsapp",
    status: () => ({
      connected: true,
      mode: `web (${session})`,
      warnings:
        client && session !== "ready"
          ? [
              `WhatsApp Web is ${session}: no WhatsApp messages come in or go out until it is ready (see the process log for the QR code).`,
            ]
          : [],
    }),
    mount() {}, // messages arrive over the WhatsApp Web session, not over HTTP
    async start() {
      client = injected ?? (await createWebClient(settings, logger));
      client.on("qr", (qr) => {
        session = "waiting for QR scan";
        logger.info(
          "WhatsApp Web is not paired: scan this QR code with the business phone (WhatsApp → Linked devices)",
        );
        qrcode.generate(qr, { small: true }, (art) => process.stdout.write(`${art}\n`));
      });
      client.on("ready", () => {
        session = "ready";
        logger.info("WhatsApp Web session ready");
      });
      client.on("auth_failure", (reason) => {
        session = "pairing failed";
        logger.error({ reason }, "WhatsApp Web pairing failed; delete the session folder and pair again");
      });
      client.on("disconnected", (reason) => {
        session = "disconnected";
        logger.warn({ reason }, "WhatsApp Web session disconnected");
      });
      client.on("message", (message) => {
        if (!isCustomerMessage(message)) return;
        const work = store(message).finally(() => inFlight.delete(work));
        inFlight.add(work);
      });
      client.on("message_ack", (message, ack) => {
        const work = acknowledge(message, ack)
          .catch((error: unknown) =>
            logger.warn({ err: error, id: message.id._serialized, ack }, "WhatsApp Web receipt not recorded"),
          )
          .finally(() => inFlight.delete(work));
        inFlight.add(work);
      });
      // Opening the browser and the session takes a while; the hub serves meanwhile, and a failure is logged.
      client.initialize().catch((error: unknown) => logger.error({ err: error }, "WhatsApp Web client did not start"));
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      await client?.destroy().catch((error: unknown) => logger.warn({ err: error }, "closing WhatsApp Web failed"));
    },
    async send(message) {
      if (!client)
        throw new ChannelSendError("WhatsApp Web is not running in this process (only API processes run it)", true);
      try {
        // whatsapp-web.js has no buttons the business API would honour: the choices are words to reply with.
        // A link button is a link already written in the text.
        const words = (message.actions ?? []).filter((a) => !a.url);
        const choices = words.length
          ? `\n\n${words.map((a) => `Reply ${a.reply ?? `${a.word} to ${a.title.toLowerCase()}`}.`).join(" ")}`
          : "";
        const sent = await client.sendMessage(message.chatId, `${message.text}${choices}`);
        return { externalMessageId: sent.id._serialized };
      } catch (error) {
        throw new ChannelSendError(
          `WhatsApp Web could not send: ${error instanceof Error ? error.message : error}`,
          true,
          { cause: error },
        );
      }
    },
  };
}
