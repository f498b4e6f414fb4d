// Telegram updates as the Bot API sends them, for the tests.
let nextUpdateId = 700_000;
export const newUpdateId = () => ++nextUpdateId;

let nextChat = 5_000_000;
/** A chat (and user) of its own for each test. */
export const newChatId = () => ++nextChat;

export interface MessageOptions {
  chatId: number;
  messageId: number;
  updateId?: number;
  /** Unix seconds; now by default. */
  date?: number;
  firstName?: string;
  lastName?: string;
  chatType?: "private" | "group";
}

export function messageUpdate(
  o: MessageOptions,
  content: Record<string, unknown>,
  kind: "message" | "edited_message" = "message",
) {
  const from = {
    id: o.chatId,
    is_bot: false,
    first_name: o.firstName ?? "Ann",
    last_name: o.lastName ?? "Smith",
    language_code: "en",
  };
  const chat =
    o.chatType === "group"
      ? { id: -o.chatId, type: "group", title: "A group" }
      : { id: o.chatId, type: "private", first_name: from.first_name };
  return {
    update_id: o.updateId ?? newUpdateId(),
    [kind]: {
      message_id: o.messageId,
      from,
      chat,
      date: o.date ?? Math.floor(Date.now() / 1000),
      ...(kind === "edited_message" ? { edit_date: Math.floor(Date.now() / 1000) } : {}),
      ...content,
    },
  };
}

export const textUpdate = (o: MessageOptions, text: string) => {
  const command = /^\/\w+/.exec(text);
  return messageUpdate(o, {
    text,
    ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
  });
};

/**
 * A tap on an inline keyboard button of the bot's message `messageId` in `chatId`, by user `fromId` (the chat's own
 * user by default).
 */
export function callbackUpdate(o: {
  chatId: number;
  messageId: number;
  data: string;
  fromId?: number;
  updateId?: number;
}) {
  const from = { id: o.fromId ?? o.chatId, is_bot: false, first_name: "Ann", language_code: "en" };
  return {
    update_id: o.updateId ?? newUpdateId(),
    callback_query: {
      id: `cb${newUpdateId()}`,
      from,
      chat_instance: `ci${o.chatId}`,
      data: o.data,
      message: {
        message_id: o.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: o.chatId, type: "private", first_name: "Ann" },
        text: "offer",
      },
    },
  };
}

export interface FileOptions {
  /** What the message's caption says (none when undefined). */
  caption?: string;
  /** The message this one replies to (Telegram's reply-to), in the same chat. */
  replyTo?: { messageId: number; text?: string };
  fileSize?: number;
}

const replyPart = (o: MessageOptions, replyTo: FileOptions["replyTo"]) =>
  replyTo
    ? {
        reply_to_message: {
          message_id: replyTo.messageId,
          date: Math.floor(Date.now() / 1000) - 60,
          chat: { id: o.chatId, type: "private", first_name: o.firstName ?? "Ann" },
          from: { id: 123456, is_bot: true, first_name: "Hub", username: "hub_test_bot" },
          text: replyTo.text ?? "A message of the bot",
        },
      }
    : {};

/** A photo as Telegram sends it: its sizes, smallest first, all of the same picture (`fileId` is the largest). */
export function photoUpdate(o: MessageOptions, fileId: string, f: FileOptions = {}) {
  const size = f.fileSize ?? 1000;
  return messageUpdate(o, {
    photo: [
      {
        file_id: `${fileId}-thumb`,
        file_unique_id: `${fileId}-thumb-u`,
        width: 90,
        height: 60,
        file_size: Math.max(1, Math.floor(size / 10)),
      },
      { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 853, file_size: size },
    ],
    ...(f.caption === undefined ? {} : { caption: f.caption }),
    ...replyPart(o, f.replyTo),
  });
}

/** A file sent as a document. */
export function documentUpdate(
  o: MessageOptions,
  fileId: string,
  document: { fileName: string; mimeType: string },
  f: FileOptions = {},
) {
  return messageUpdate(o, {
    document: {
      file_id: fileId,
      file_unique_id: `${fileId}-u`,
      file_name: document.fileName,
      mime_type: document.mimeType,
      ...(f.fileSize === undefined ? {} : { file_size: f.fileSize }),
    },
    ...(f.caption === undefined ? {} : { caption: f.caption }),
    ...replyPart(o, f.replyTo),
  });
}
