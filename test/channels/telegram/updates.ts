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

export function messageUpdate(o: MessageOptions, content: Record<string, unknown>, kind: "message" | "edited_message" = "message") {
  const from = { id: o.chatId, is_bot: false, first_name: o.firstName ?? "Ann", last_name: o.lastName ?? "Smith", language_code: "en" };
  const chat = o.chatType === "group" ? { id: -o.chatId, type: "group", title: "A group" } : { id: o.chatId, type: "private", first_name: from.first_name };
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
  return messageUpdate(o, { text, ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}) });
};
