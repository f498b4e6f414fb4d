// Reads an operator's phone-call log, `<phone> <duration> <result> [note]`, into the normalised inquiry input.
import { CALL_RESULTS, type CallResult } from "../../db/schema";
import { InquiryInputSchema, type InquiryInput, toE164 } from "../../hub/pipeline";

export const PHONE_LOG_USAGE = [
  "Usage: /phone <phone> <duration> <result> [note]",
  "Example: /phone 07911 123456 5m interested Table for 6 on Friday",
  "Duration: 90s, 5m, 1h5m, 4:30, or a number of minutes.",
  `Result: interested, not_interested, callback, no_answer, voicemail, wrong_number (or ${CALL_RESULTS.join(", ")}).`,
].join("\n");

// Short words an operator types on a phone keyboard, for the call results of hard rule 4.
const RESULT_ALIASES: Record<string, CallResult> = {
  interested: "answered_interested",
  not_interested: "answered_not_interested",
  notinterested: "answered_not_interested",
  callback: "callback_requested",
  call_back: "callback_requested",
  noanswer: "no_answer",
  vm: "voicemail",
  wrong: "wrong_number",
  ...Object.fromEntries(CALL_RESULTS.map((result) => [result, result])),
};

const MAX_DURATION_SECONDS = 86_400;

/** `90s`, `5m`, `1h5m`, `1h 5m` written together, `4:30` (minutes:seconds), or bare minutes. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  let seconds: number | undefined;
  if (/^\d{1,4}$/.test(t)) seconds = Number(t) * 60;
  const clock = /^(\d{1,4}):([0-5]\d)$/.exec(t);
  if (clock) seconds = Number(clock[1]) * 60 + Number(clock[2]);
  const units = /^(?:(\d{1,2})h)?(?:(\d{1,4})m(?:in)?)?(?:(\d{1,5})s)?$/.exec(t);
  if (units && t !== "" && (units[1] ?? units[2] ?? units[3]) !== undefined) {
    seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  }
  return seconds !== undefined && seconds <= MAX_DURATION_SECONDS ? seconds : undefined;
}

export const parseCallResult = (text: string): CallResult | undefined =>
  RESULT_ALIASES[text.trim().toLowerCase().replace(/-/g, "_")];

export type PhoneLog = { ok: true; input: InquiryInput } | { ok: false; problem: string };

/**
 * The arguments of `/phone`. The number may be written with spaces (`07911 123456`): the first one to four words
 * that make a valid number, followed by a duration and a result, are taken as the number.
 */
export function parsePhoneLog(args: string, operatorId: string, extra: Partial<InquiryInput> = {}): PhoneLog {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length < 3) return { ok: false, problem: "Give the caller's number, the call's duration and its result." };
  for (let n = 1; n <= Math.min(4, words.length - 2); n++) {
    const phone = toE164(words.slice(0, n).join(" "));
    if (!phone) continue;
    const duration = parseDuration(words[n]!);
    if (duration === undefined) return { ok: false, problem: `"${words[n]}" is not a duration.` };
    const result = parseCallResult(words[n + 1]!);
    if (!result) return { ok: false, problem: `"${words[n + 1]}" is not a call result.` };
    const note = words.slice(n + 2).join(" ");
    const parsed = InquiryInputSchema.safeParse({
      source: "phone",
      client: { phone },
      duration_seconds: duration,
      call_result: result,
      operator_id: operatorId,
      ...(note ? { message: note } : {}),
    });
    if (!parsed.success)
      return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ") };
    return { ok: true, input: { ...parsed.data, ...extra } };
  }
  return { ok: false, problem: `"${words[0]}" is not a phone number.` };
}
