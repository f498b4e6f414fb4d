// What a proof of a manual payment may be: a PDF, JPEG, PNG or HEIC of at most 10 MB, recognised by its first bytes
// (a declared content type is the sender's word, not the file's). The same rules for staff and for customers.
import { createHash } from "node:crypto";

export const MAX_PROOF_BYTES = 10 * 1024 * 1024;
export type ProofType = "application/pdf" | "image/jpeg" | "image/png" | "image/heic";

const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

export function sniffProofType(bytes: Uint8Array): ProofType | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 5) === "%PDF-") return "application/pdf";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (
    bytes[0] === 0x89 &&
    ascii(1, 4) === "PNG" &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  )
    return "image/png";
  if (ascii(4, 8) === "ftyp" && HEIC_BRANDS.has(ascii(8, 12))) return "image/heic";
  return undefined;
}

/** What is wrong with a file sent as a proof, as the refusal names it after "file: ". */
export const PROOF_FILE_FAULTS = {
  empty: "is empty",
  too_large: "must be at most 10 MB",
  not_a_proof_type: "must be a PDF, JPEG, PNG or HEIC file",
} as const;
export type ProofFileFault = keyof typeof PROOF_FILE_FAULTS;

export type CheckedProofFile = { fault: ProofFileFault } | { contentType: ProofType; sha256: string };

/** The file's type and SHA-256, or what keeps it from being a proof. */
export function checkProofFile(bytes: Uint8Array): CheckedProofFile {
  if (bytes.length === 0) return { fault: "empty" };
  if (bytes.length > MAX_PROOF_BYTES) return { fault: "too_large" };
  const contentType = sniffProofType(bytes);
  if (!contentType) return { fault: "not_a_proof_type" };
  return { contentType, sha256: createHash("sha256").update(bytes).digest("hex") };
}
