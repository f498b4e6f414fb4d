// A WhatsApp message into the hub (both drivers): stored in its conversation, then read as an answer to a booking
// proposal or reminder (a reply button, or YES / NO / CANCEL) or to the chat's open guided question.
import {
  type ReceiveOutcome,
  receiveMessage,
  type InboundMessage,
  answerGuidedQuestion,
} from "../../hub/conversations";
import { answerFromChat } from "../../hub/bookings";
import type { ChannelDeps } from "../deps";

export async function receiveWhatsApp(deps: ChannelDeps, message: InboundMessage): Promise<ReceiveOutcome> {
  const outcome = await receiveMessage(deps, message);
  if (outcome.kind === "opened") return outcome;
  const text = message.kind === "text" ? message.body : undefined;
  // A redelivery is answered again too: if the first delivery stored the message and then failed here, the answer
  // would otherwise be lost; answering a proposal twice changes nothing.
  const proposal = await answerFromChat(deps, {
    source: "whatsapp",
    chatId: message.chatId,
    action: message.action,
    text,
  });
  // A guided answer only on the first delivery: a redelivered one would be taken as the answer to the next question.
  if (proposal.kind === "none" && outcome.kind === "joined" && text !== undefined) {
    await answerGuidedQuestion(deps, {
      source: "whatsapp",
      chatId: message.chatId,
      inquiryId: outcome.inquiry.id,
      text,
    });
  }
  return outcome;
}
