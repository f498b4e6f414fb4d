// What the next inquiry from a source would look like, without making one: for an answer that must look real (a
// bot filling the web form's honeypot is told it succeeded).
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { type InquirySource, inquiries, slaPolicies } from "../../db/schema";
import { addLondonWallMinutes } from "../core/time";
import { slaDeadline, slaRuleColumns } from "../sla";

/** Used only if the source has no policy; the migrations seed one per source. */
const FALLBACK_DEADLINE_MINUTES = 60;

export interface InquiryPreview {
  /** The next free number; another inquiry may take it first. */
  number: number;
  slaDeadlineAt: Date;
}

export async function nextInquiryPreview(db: Executor, source: InquirySource, now: Date): Promise<InquiryPreview> {
  const [[next], [rule]] = await Promise.all([
    db.select({ number: sql<string>`coalesce(max(${inquiries.number}), 0) + 1` }).from(inquiries),
    db.select(slaRuleColumns(now)).from(slaPolicies).where(eq(slaPolicies.source, source)),
  ]);
  return {
    number: Number(next?.number ?? 1),
    slaDeadlineAt: rule ? slaDeadline(rule, now) : addLondonWallMinutes(now, FALLBACK_DEADLINE_MINUTES),
  };
}
