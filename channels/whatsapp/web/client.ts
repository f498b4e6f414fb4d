// The part of a whatsapp-web.js Client the hub uses; tests hand in an event emitter with the same shape.
import { join } from "node:path";
import type { Logger } from "pino";

/** A message as whatsapp-web.js emits it (the fields the hub reads). */
export interface WebMessage {
  id: { _serialized: string };
  from: string;
  fromMe: boolean;
  type: string;
  body: string;
  /** Seconds since the epoch. */
  timestamp: number;
  isStatus?: boolean;
  _data?: { notifyName?: string };
}

export interface WebClient {
  on(event: "qr", listener: (qr: string) => void): unknown;
  on(event: "ready" | "disconnected" | "auth_failure", listener: (reason?: unknown) => void): unknown;
  on(event: "message", listener: (message: WebMessage) => void): unknown;
  /** whatsapp-web.js's MessageAck: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
  on(event: "message_ack", listener: (message: WebMessage, ack: number) => void): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<{ id: { _serialized: string } }>;
  destroy(): Promise<void>;
}

export interface WebClientSettings {
  sessionDir: string;
  chromiumPath: string;
}

/**
 * The real client: a headless Chromium (from settings; npm never downloads one) logged in as the business's
 * WhatsApp account, its session kept by LocalAuth so the QR code is scanned once. Loaded only when used.
 */
export async function createWebClient(settings: WebClientSettings, logger: Logger): Promise<WebClient> {
  const { Client, LocalAuth } = (await import("whatsapp-web.js")).default;
  logger.info({ sessionDir: settings.sessionDir }, "WhatsApp Web session folder");
  return new Client({
    authStrategy: new LocalAuth({ dataPath: settings.sessionDir }),
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  }) as unknown as WebClient;
}

export const defaultSessionDir = (dataDir: string) => join(dataDir, "whatsapp-web");
