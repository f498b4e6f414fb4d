// A stand-in for whatsapp-web.js's Client (events in, sendMessage out), injected through the composition root.
import { EventEmitter } from "node:events";
import type { WebMessage } from "../../../channels/whatsapp/web/client";

/** Behaves like whatsapp-web.js's Client for what the hub uses: events in, sendMessage out. */
export class FakeWebClient extends EventEmitter {
  initialized = false;
  destroyed = false;
  sent: { chatId: string; text: string }[] = [];
  failSends = 0;
  async initialize() {
    this.initialized = true;
    this.emit("qr", "2@fake-qr-payload");
    this.emit("ready");
  }
  async sendMessage(chatId: string, text: string) {
    if (this.failSends > 0) {
      this.failSends--;
      throw new Error("Evaluation failed: session not ready");
    }
    this.sent.push({ chatId, text });
    const id = { _serialized: `true_${chatId}_OUT${this.sent.length}` };
    // WhatsApp's server may acknowledge before sendMessage has returned to the hub.
    this.emit("message_ack", { id, from: chatId, fromMe: true, type: "chat", body: text, timestamp: 0 }, 1);
    return { id };
  }
  async destroy() {
    this.destroyed = true;
  }
}

let counter = 0;
export const incoming = (from: string, overrides: Partial<WebMessage> = {}): WebMessage => ({
  id: { _serialized: `false_${from}_3EB0${++counter}` },
  from,
  fromMe: false,
  type: "chat",
  body: "Hi, can we book for Saturday?",
  timestamp: Math.floor(Date.now() / 1000),
  _data: { notifyName: "Sam" },
  ...overrides,
});
