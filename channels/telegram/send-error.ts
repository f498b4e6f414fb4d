// What a failed Bot API call means for a queued message: try again later, or give up on it.
import { GrammyError, HttpError } from "grammy";
import { ChannelSendError } from "../adapter";

/**
 * 429 (flood control) and 5xx pass, and so may a network failure: retryable. Any other answer is about this message
 * or chat (403 the user blocked the bot, 400 chat not found or a bad text; 401/404 a wrong token) and repeats on a
 * retry, so the message is marked failed with the reason, for an operator to see in the conversation.
 */
export function toChannelSendError(error: unknown, chatId: string): ChannelSendError {
  if (error instanceof GrammyError) {
    const retryable = error.error_code === 429 || error.error_code >= 500;
    return new ChannelSendError(
      `Telegram refused sendMessage to chat ${chatId}: ${error.error_code} ${error.description}`,
      retryable,
      {
        cause: error,
      },
    );
  }
  if (error instanceof HttpError)
    return new ChannelSendError(`Telegram could not be reached for chat ${chatId}: ${error.message}`, true, {
      cause: error,
    });
  return new ChannelSendError(`sendMessage to Telegram chat ${chatId} failed: ${String(error)}`, true, {
    cause: error,
  });
}
