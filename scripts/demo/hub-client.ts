// How the demo talks to the running hub: over HTTP, as staff with their keys, and as Telegram posting updates to the
// hub's webhook.

export interface Answer<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON, or the text of another kind of answer. */
  body: T;
}

export class HubClient {
  private nextUpdate = 1;

  constructor(
    readonly url: string,
    private readonly telegramSecret: string,
  ) {}

  /** A JSON request (or a form, given FormData) with a staff key. */
  async call<T = unknown>(method: string, path: string, key: string | null, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body: payload, redirect: "manual" });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // an HTML page or CSV: kept as text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** The same, failing with the hub's own words unless it answers `expected`. */
  async must<T>(expected: number, method: string, path: string, key: string | null, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, key, body);
    if (answer.status !== expected)
      throw new Error(`${method} ${path} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Posts an update to /webhooks/telegram as Telegram would, with the webhook's secret. */
  async telegram(update: (updateId: number) => Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": this.telegramSecret },
      body: JSON.stringify(update(this.nextUpdate++)),
    });
    if (response.status !== 200) throw new Error(`the Telegram webhook answered ${response.status}`);
  }

  /** Posts a payment provider's signed webhook to /webhooks/{slot}. */
  async providerWebhook(
    slot: "stripe" | "secondary",
    delivery: { body: string; headers: Record<string, string | undefined> },
  ): Promise<void> {
    const headers = Object.fromEntries(
      Object.entries({ "content-type": "application/json", ...delivery.headers }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    const response = await fetch(`${this.url}/webhooks/${slot}`, { method: "POST", headers, body: delivery.body });
    if (response.status !== 200)
      throw new Error(`/webhooks/${slot} answered ${response.status}: ${await response.text()}`);
  }
}

/** A customer's text message in their private chat with the bot. */
export const customerText =
  (customer: Customer, messageId: number, text: string) =>
  (updateId: number): Record<string, unknown> => ({
    update_id: updateId,
    message: {
      message_id: messageId,
      from: customer.user,
      chat: { id: customer.chatId, type: "private", first_name: customer.user.first_name },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  });

/** A customer's tap on a button under the bot's message `messageId`. */
export const customerTap =
  (customer: Customer, messageId: number, data: string) =>
  (updateId: number): Record<string, unknown> => ({
    update_id: updateId,
    callback_query: {
      id: `demo-${updateId}`,
      from: customer.user,
      chat_instance: `demo-${customer.chatId}`,
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: customer.chatId, type: "private", first_name: customer.user.first_name },
        text: "offer",
      },
    },
  });

export interface Customer {
  chatId: number;
  user: { id: number; is_bot: false; first_name: string; last_name: string; language_code: string };
}

/** Waits for something the hub does after answering (a job, a message sent): checked often, given up after a while. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
