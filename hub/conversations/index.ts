// The front door of hub/conversations: what code outside it may use. Everything else in the folder is its own.
export { acknowledgeInquiry } from "./acknowledge";
export { type Answer, isSkip } from "./answers";
export { type ChatLeaseOptions, pruneChatLeases, withChatLease } from "./chat-lease";
export { deliverMessages } from "./deliver";
export { type Receipt, receiveReceipt } from "./delivery-status";
export { answerGuidedQuestion } from "./guided-chat";
export { PARSERS, QUESTION_TEMPLATES, type Question, missingQuestions, saveAnswer } from "./guided-questions";
export { conversationOf } from "./history";
export { type ChatSource, type InboundMessage, isChatSource } from "./inbound";
export { queueMessage } from "./outbound";
export { type ReceiveOutcome, receiveMessage } from "./receive-message";
export { recordSentMessage } from "./record-sent";
export { recordSharedPhone } from "./shared-contact";
export { MAX_REPLY_LENGTH, NoChatError, replyToCustomer, replyToNamedInquiry } from "./staff-reply";
export { type CustomerMessage, tellCustomer } from "./tell-customer";
