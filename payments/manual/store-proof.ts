// Keeping a proof's file: its row, and the look for the same file sent before. Staff's proofs and the customer's
// differ only in whom the row names (payment_proofs_uploader_check).
import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { type ProofVia, paymentProofs } from "../../db/schema";
import type { ProofType } from "./proof-file";

export type ProofRow = Omit<typeof paymentProofs.$inferSelect, "content">;

export interface ProofToStore {
  paymentId: string;
  /** The member of staff; null for the customer. */
  uploadedBy: string | null;
  via: ProofVia;
  senderTelegramUserId: string | null;
  fileName: string;
  bytes: Uint8Array;
  contentType: ProofType;
  sha256: string;
  comment: string;
}

/** The proof of this attempt that is this file already, if one is: asked with the attempt locked. */
export async function sameProof(tx: Executor, paymentId: string, sha256: string) {
  const [already] = await tx
    .select({ id: paymentProofs.id, createdAt: paymentProofs.createdAt })
    .from(paymentProofs)
    .where(and(eq(paymentProofs.paymentId, paymentId), eq(paymentProofs.sha256, sha256)))
    .limit(1);
  return already;
}

export async function storeProof(tx: Executor, proof: ProofToStore): Promise<ProofRow> {
  const [stored] = await tx
    .insert(paymentProofs)
    .values({
      paymentId: proof.paymentId,
      uploadedBy: proof.uploadedBy,
      via: proof.via,
      senderTelegramUserId: proof.senderTelegramUserId,
      fileName: proof.fileName.slice(0, 200) || "proof",
      contentType: proof.contentType,
      sizeBytes: proof.bytes.length,
      sha256: proof.sha256,
      content: Buffer.from(proof.bytes),
      comment: proof.comment,
    })
    .returning();
  const { content: _content, ...rest } = stored!;
  return rest;
}
