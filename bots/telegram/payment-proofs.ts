// Linked staff sending the proof of a manual payment from Telegram: a photo or a document, with a caption saying what
// it shows, in reply to the hub's "Manual payment required" notice. Anything else goes on to the next handler.
import { Composer } from "grammy";
import { repliedNotice } from "../../hub/staff";
import { HubError } from "../../hub/core/errors";
import {
  addProof,
  bookingReferenceOfPayment,
  DuplicateProofError,
  MAX_PROOF_BYTES,
  type ProofType,
} from "../../payments";
import type { BotContext, BotDeps } from "./context";

export const NO_CAPTION = "Add a caption saying what the proof shows, and send it again.";
const TOO_BIG = "That file is over 10 MB: send a smaller photo or PDF of the proof.";
const NOT_FETCHED = "Telegram did not hand over that file. Send it again.";
/** Telegram's own default; grammY's client options name another Bot API server (a local one, a test's fake). */
const DEFAULT_API_ROOT = "https://api.telegram.org";
const DOWNLOAD_TIMEOUT_MS = 30_000;

const TYPE_NAMES: Record<ProofType, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/heic": "HEIC",
};

/** "512 B", "12 KB", "3.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

class DownloadError extends Error {}

/** The file's bytes from the Bot API (getFile, then its file URL), refusing more than MAX_PROOF_BYTES on the way. */
async function download(ctx: BotContext, fileId: string): Promise<Uint8Array | "too_big"> {
  const file = await ctx.api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > MAX_PROOF_BYTES) return "too_big";
  if (!file.file_path) throw new DownloadError(`getFile gave no file_path for ${fileId}`);
  const apiRoot = (ctx.api.options?.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, "");
  const response = await fetch(`${apiRoot}/file/bot${ctx.api.token}/${file.file_path}`, {
    signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
  });
  if (!response.ok || !response.body) throw new DownloadError(`the file download answered ${response.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_PROOF_BYTES) {
      await response.body.cancel().catch(() => undefined);
      return "too_big";
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function paymentProofReplies(deps: BotDeps): Composer<BotContext> {
  const proofs = new Composer<BotContext>();

  proofs.on(["message:photo", "message:document"], async (ctx, next) => {
    const repliedTo = ctx.message.reply_to_message;
    if (!repliedTo || !ctx.staff) return next();
    const notice = await repliedNotice(deps.db, String(ctx.chat.id), `${ctx.chat.id}:${repliedTo.message_id}`);
    if (notice?.kind !== "manual_payment_required" || !notice.paymentId) return next();
    const paymentId = notice.paymentId;

    const comment = ctx.message.caption?.trim() ?? "";
    if (!comment) return void (await ctx.reply(NO_CAPTION));

    // A photo comes in several sizes: the largest is the proof. A document is the file as sent.
    const { photo, document } = ctx.message;
    const file = photo
      ? photo.reduce((best, size) =>
          (size.file_size ?? size.width * size.height) > (best.file_size ?? best.width * best.height) ? size : best,
        )
      : document!;
    if (file.file_size !== undefined && file.file_size > MAX_PROOF_BYTES) return void (await ctx.reply(TOO_BIG));

    let bytes: Uint8Array | "too_big";
    try {
      bytes = await download(ctx, file.file_id);
    } catch (error) {
      deps.logger.warn(
        { err: error, payment_id: paymentId, file_id: file.file_id },
        "downloading a payment proof from Telegram failed",
      );
      return void (await ctx.reply(NOT_FETCHED));
    }
    if (bytes === "too_big") return void (await ctx.reply(TOO_BIG));

    const reference = (await bookingReferenceOfPayment(deps.db, paymentId)) ?? `payment ${paymentId}`;

    const fileName = document?.file_name ?? `photo-${file.file_unique_id}.jpg`;
    try {
      const proof = await addProof(
        deps,
        // The sender's Telegram account goes with the proof: four eyes compare people, and an account may change hands.
        {
          paymentId,
          userId: ctx.staff.id,
          via: "telegram",
          telegramUserId: String(ctx.from!.id),
          fileName,
          bytes,
          comment,
        },
      );
      const kind = TYPE_NAMES[proof.contentType as ProofType] ?? proof.contentType;
      await ctx.reply(
        `Proof saved for ${reference} (${kind}, ${formatFileSize(proof.sizeBytes)}). A manager who did not send it approves it: POST /payments/${paymentId}/approve.`,
      );
    } catch (error) {
      // A redelivered update (or the same file sent twice) is one proof: the domain refuses the second.
      if (error instanceof DuplicateProofError)
        return void (await ctx.reply(
          `That file is a proof of ${reference} already: nothing more to do until a manager approves it.`,
        ));
      if (!(error instanceof HubError)) throw error;
      await ctx.reply(error.message);
    }
  });

  return proofs;
}
