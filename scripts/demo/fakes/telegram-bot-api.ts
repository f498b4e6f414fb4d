// A fake Telegram Bot API on loopback: grammY's real client talks to it through TELEGRAM_API_ROOT.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage {
  chat_id: string;
  text: string;
  message_id: number;
  reply_markup?: unknown;
}

export interface FakeBotApi {
  url: string;
  token: string;
  sent: SentMessage[];
  /** answerCallbackQuery calls: the toast a tap on a button got. */
  callbackAnswers: { callback_query_id: string; text?: string }[];
  /** editMessageReplyMarkup calls (buttons removed after an answer). */
  edits: { chat_id: string; message_id: number; reply_markup: unknown }[];
  /** Every call, in order: method and JSON body. */
  calls: { method: string; body: Record<string, unknown> }[];
  textsIn(chatId: string | number): string[];
  /** Updates served by getUpdates (long polling). */
  queueUpdate(update: Record<string, unknown>): void;
  /** The next call of `method` (whose body matches `when`, if given) fails with this Bot API error. */
  failNext(
    method: string,
    errorCode: number,
    description: string,
    when?: (body: Record<string, unknown>) => boolean,
  ): void;
  /** The next matching call of `method` gets no answer until `release()`; `reached` resolves when it comes in. */
  holdNext(
    method: string,
    when?: (body: Record<string, unknown>) => boolean,
  ): { reached: Promise<void>; release(): void };
  /**
   * A file users "sent": getFile answers for `fileId` and GET /file/bot<token>/<file_path> serves the bytes.
   * `fileSize` is what getFile says (the bytes' length by default). Returns the file_path.
   */
  addFile(fileId: string, bytes: Uint8Array, options?: { fileSize?: number; fileUniqueId?: string }): string;
  /** The file paths downloaded, in order. */
  downloads: string[];
  close(): Promise<void>;
}

export const BOT_TOKEN = `123456:${"A".repeat(35)}`;
export const BOT_INFO = {
  id: 123456,
  is_bot: true,
  first_name: "Hub",
  username: "hub_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeBotApi(): Promise<FakeBotApi> {
  const sent: SentMessage[] = [];
  const callbackAnswers: FakeBotApi["callbackAnswers"] = [];
  const edits: FakeBotApi["edits"] = [];
  const calls: FakeBotApi["calls"] = [];
  const updates: Record<string, unknown>[] = [];
  const failures: {
    method: string;
    when?: (body: Record<string, unknown>) => boolean;
    error_code: number;
    description: string;
  }[] = [];
  const holds: {
    method: string;
    when?: (body: Record<string, unknown>) => boolean;
    arrived: () => void;
    released: Promise<void>;
  }[] = [];
  const nextMessageId = new Map<string, number>();
  const files = new Map<
    string,
    { file_id: string; file_unique_id: string; file_size: number; file_path: string; bytes: Uint8Array }
  >();
  const downloads: string[] = [];
  let webhook = "";

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result: unknown) => reply(res, 200, { ok: true, result });

  const server = createServer(async (req, res) => {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? "");
    if (download && req.method === "GET") {
      const file = download[1] === BOT_TOKEN ? [...files.values()].find((f) => f.file_path === download[2]) : undefined;
      if (!file) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      downloads.push(file.file_path);
      return void res
        .writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": file.bytes.length })
        .end(Buffer.from(file.bytes));
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
    if (!match || match[1] !== BOT_TOKEN)
      return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const method = match[2]!;
    const body = await readJson(req);
    calls.push({ method, body });
    const hold = holds.findIndex((h) => h.method === method && (!h.when || h.when(body)));
    if (hold >= 0) {
      const { arrived, released } = holds.splice(hold, 1)[0]!;
      arrived();
      await released;
    }
    const failure = failures.findIndex((f) => f.method === method && (!f.when || f.when(body)));
    if (failure >= 0) {
      const { error_code, description } = failures.splice(failure, 1)[0]!;
      return reply(res, error_code, { ok: false, error_code, description });
    }
    switch (method) {
      case "getMe":
        return ok(res, BOT_INFO);
      case "sendMessage": {
        const chatId = String(body.chat_id);
        const id = (nextMessageId.get(chatId) ?? 1000) + 1;
        nextMessageId.set(chatId, id);
        sent.push({ chat_id: chatId, text: String(body.text), message_id: id, reply_markup: body.reply_markup });
        return ok(res, {
          message_id: id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(chatId), type: "private", first_name: "Customer" },
          from: BOT_INFO,
          text: body.text,
        });
      }
      case "answerCallbackQuery":
        callbackAnswers.push({
          callback_query_id: String(body.callback_query_id),
          text: body.text === undefined ? undefined : String(body.text),
        });
        return ok(res, true);
      case "editMessageReplyMarkup":
        edits.push({
          chat_id: String(body.chat_id),
          message_id: Number(body.message_id),
          reply_markup: body.reply_markup,
        });
        return ok(res, true);
      case "setWebhook":
        webhook = String(body.url ?? "");
        return ok(res, true);
      case "deleteWebhook":
        webhook = "";
        return ok(res, true);
      case "getWebhookInfo":
        return ok(res, { url: webhook, has_custom_certificate: false, pending_update_count: 0 });
      case "getFile": {
        const file = files.get(String(body.file_id));
        if (!file) return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        const { bytes: _bytes, ...result } = file;
        return ok(res, result);
      }
      case "getUpdates": {
        const offset = Number(body.offset ?? 0);
        // Telegram forgets updates below the offset: that is how a client confirms them.
        while (updates.length > 0 && Number(updates[0]!.update_id) < offset) updates.shift();
        const deadline = Date.now() + Math.min(Number(body.timeout ?? 0), 0.3) * 1000;
        while (updates.length === 0 && Date.now() < deadline && !res.destroyed)
          await new Promise((r) => setTimeout(r, 20));
        return ok(res, updates.slice(0, Number(body.limit ?? 100)));
      }
      default:
        return reply(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  });
  // Longer than any client keeps an idle connection: else the server may close one just as the hub sends on it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token: BOT_TOKEN,
    sent,
    callbackAnswers,
    edits,
    calls,
    textsIn: (chatId) => sent.filter((m) => m.chat_id === String(chatId)).map((m) => m.text),
    queueUpdate: (update) => void updates.push(update),
    downloads,
    addFile(fileId, bytes, options = {}) {
      const file_path = `documents/file_${files.size}_${fileId.replace(/\W/g, "")}`;
      files.set(fileId, {
        file_id: fileId,
        file_unique_id: options.fileUniqueId ?? `u${fileId}`,
        file_size: options.fileSize ?? bytes.length,
        file_path,
        bytes,
      });
      return file_path;
    },
    failNext: (method, errorCode, description, when) =>
      void failures.push({ method, when, error_code: errorCode, description }),
    holdNext(method, when) {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      holds.push({ method, when, arrived, released: new Promise<void>((resolve) => (release = resolve)) });
      return { reached, release };
    },
    async close() {
      for (const hold of holds.splice(0)) hold.arrived();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
