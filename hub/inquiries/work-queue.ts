// The one work queue: workable inquiries in one deterministic order, the same for GET /queue and the bot's /queue.
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { clients, inquiries } from "../../db/schema";
import { invalid } from "../core/errors";
import { inquiryRecordColumns, toInquiryRecord, type InquiryRecord } from "../pipeline";
import { WORKABLE_STATUSES } from "../sla";

/**
 * queue_score, computed by the database from the channel's weight (design rule 10) and the time left:
 *
 *   not yet due:  weight × 1000 / (minutes left + 10)      at most 1.2 × 100 = 120
 *   due or past:  1000 + weight × minutes overdue          at least 1000
 *
 * So an inquiry past its deadline comes before every one not yet due; among those not due, the weight trades
 * against time (a phone lead due in 60 min, 17.1, comes before a web-form lead due in 55 min, 15.4, but not before
 * one due in 40 min, 20.0); among the overdue, the longer and the heavier first. Rounded to 4 decimals as numeric, so
 * the order and the cursor compare exact values. Ties: earlier deadline, earlier arrival, lower reference.
 */
export const OVERDUE_BASE = 1000;
const URGENCY = 1000;
const HEADROOM_MINUTES = 10;

const queueScore = (now: Date) => {
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql<string>`round((case
    when ${inquiries.slaDeadlineAt} <= ${at}
      then ${OVERDUE_BASE} + ${inquiries.sourceWeight} * extract(epoch from (${at} - ${inquiries.slaDeadlineAt})) / 60
    else ${inquiries.sourceWeight} * ${URGENCY} / (extract(epoch from (${inquiries.slaDeadlineAt} - ${at})) / 60 + ${HEADROOM_MINUTES})
  end)::numeric, 4)`;
};

export interface QueueItem {
  inquiry: InquiryRecord;
  /** Decimal text, exact: a float would not round-trip through the cursor. */
  queueScore: string;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  /** The instant the scores were computed at: every page of one walk uses the first page's. */
  at: Date;
}

interface QueueCursor {
  at: Date;
  score: string;
  deadline: Date;
  receivedAt: Date;
  number: number;
}

export async function workQueue(
  db: Executor,
  options: { now: Date; limit: number; cursor?: string; assigneeId?: string },
): Promise<QueuePage> {
  const after = options.cursor === undefined ? undefined : decodeQueueCursor(options.cursor);
  const at = after?.at ?? options.now;
  const score = queueScore(at);
  const filters: (SQL | undefined)[] = [
    inArray(inquiries.status, WORKABLE_STATUSES),
    options.assigneeId ? eq(inquiries.assigneeId, options.assigneeId) : undefined,
    // The row after the cursor's in (score desc, deadline, arrival, number): negating the score makes it one
    // comparison.
    after
      ? sql`(-${score}, ${inquiries.slaDeadlineAt}, ${inquiries.receivedAt}, ${inquiries.number}) >
            (-(${after.score}::numeric), ${after.deadline.toISOString()}::timestamptz, ${after.receivedAt.toISOString()}::timestamptz, ${after.number})`
      : undefined,
  ];
  const rows = await db
    .select({ ...inquiryRecordColumns, score })
    .from(inquiries)
    .innerJoin(clients, eq(clients.id, inquiries.clientId))
    .where(and(...filters))
    .orderBy(sql`${score} desc`, asc(inquiries.slaDeadlineAt), asc(inquiries.receivedAt), asc(inquiries.number))
    .limit(options.limit + 1);
  const items = rows
    .slice(0, options.limit)
    .map((row) => ({ inquiry: toInquiryRecord(row), queueScore: String(row.score) }));
  const last = items.at(-1);
  const nextCursor =
    rows.length > options.limit && last
      ? encodeQueueCursor({
          at,
          score: last.queueScore,
          deadline: last.inquiry.slaDeadlineAt,
          receivedAt: last.inquiry.receivedAt,
          number: last.inquiry.number,
        })
      : null;
  return { items, nextCursor, at };
}

function encodeQueueCursor(c: QueueCursor): string {
  return Buffer.from(
    JSON.stringify([c.at.toISOString(), c.score, c.deadline.toISOString(), c.receivedAt.toISOString(), c.number]),
  ).toString("base64url");
}

function decodeQueueCursor(text: string): QueueCursor {
  try {
    const [at, score, deadline, receivedAt, number] = JSON.parse(
      Buffer.from(text, "base64url").toString("utf8"),
    ) as unknown[];
    const dates = [at, deadline, receivedAt].map((d) => new Date(String(d)));
    if (
      typeof score === "string" &&
      /^-?\d+(\.\d+)?$/.test(score) &&
      Number.isSafeInteger(number) &&
      dates.every((d) => !Number.isNaN(d.getTime()))
    ) {
      return { at: dates[0]!, score, deadline: dates[1]!, receivedAt: dates[2]!, number: number as number };
    }
  } catch {
    // falls through to the error below
  }
  throw invalid("cursor", "is not a cursor this API returned");
}
