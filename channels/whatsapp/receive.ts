// A WhatsApp message into the hub (both drivers): stored in its conversation, then read as an answer to a booking
// proposal if it is one (a reply button, or YES / NO).
import type { ReceiveOutcome } from "../../hub/conversations/receive-message";
import { receiveMessage } from "../../hub/conversations/receive-message";
import type { InboundMessage } from "../../hub/conversations/inbound";
import { answerFromChat } from "../../hub/bookings/answer";
import type { ChannelDeps } from "../deps";

export async function receiveWhatsApp(deps: ChannelDeps, message: InboundMessage): Promise<ReceiveOutcome> {
  const outcome = await receiveMessage(deps.pipeline, message);
  // A redelivery is answered again too: if the first delivery stored the message and then failed here, the answer
  // would otherwise be lost; answering twice changes nothing.
  if (outcome.kind !== "opened") {
    await answerFromChat(
      { db: deps.db, now: deps.now, afterCommit: deps.pipeline.afterCommit },
      { source: "whatsapp", chatId: message.chatId, action: message.action, text: message.kind === "text" ? message.body : undefined },
    );
  }
  return outcome;
}
