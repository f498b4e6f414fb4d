// The Telegram channel runs the shared channel contract through its webhook, against a fake Bot API.
import { createHash } from "node:crypto";
import { runChannelContract } from "../contract";
import { startHub } from "../../support/hub";
import { textUpdate } from "./updates";

// Every contract id is its own chat and its own update, so a redelivery of an id is the same update again.
const numberOf = (label: string) =>
  Number.parseInt(createHash("sha256").update(label).digest("hex").slice(0, 10), 16) % 1_000_000_000;
const chatOf = (id: string) => 1_000_000_000 + numberOf(`chat:${id}`);
const updateOf = (id: string) =>
  textUpdate(
    { chatId: chatOf(id), messageId: 1, updateId: numberOf(`update:${id}`), date: 1_700_000_000 },
    `Hello, a table for two please (${id})`,
  );

runChannelContract("telegram", async () => {
  const h = await startHub({ telegram: true });
  return {
    t: h,
    harness: {
      deliver: (id) => h.telegram.post(updateOf(id)),
      forge: (id) => h.telegram.post(updateOf(id), "not-the-secret-at-all-000"),
      replies: { chatOf: (id) => String(chatOf(id)), received: (chatId) => h.telegram.textsIn(chatId) },
    },
    cleanup: () => h.telegram.close(),
  };
});
