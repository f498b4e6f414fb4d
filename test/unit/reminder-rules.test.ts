// The reminders' pure rules: BOOKING_REMINDER_HOURS as a setting and as minutes, the timer's key and job id, which
// reminders a booking gets, and how long the question "Cancel" asks stands.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { questionStands } from "../../hub/bookings/reminder-answer";
import {
  parseReminderKey,
  reminderDueAt,
  reminderKey,
  reminderOffsets,
  reminderTimer,
  wantsReminder,
} from "../../hub/bookings/reminder-timer";
import { assertJobId } from "../../hub/core/jobs/driver";
import { EnvError, parseEnv } from "../../hub/env";

const problemsOf = (value: string) => {
  try {
    parseEnv({ BOOKING_REMINDER_HOURS: value });
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
};
const id = "0b6e3a52-5f1c-4c3e-9d1a-2f4b8c7d9e10";
const HOUR = 3_600_000;

describe("BOOKING_REMINDER_HOURS", () => {
  it("is 24 unless set; a comma list names several, decimals allowed", () => {
    expect(parseEnv({}).BOOKING_REMINDER_HOURS).toEqual([24]);
    expect(parseEnv({ BOOKING_REMINDER_HOURS: "" }).BOOKING_REMINDER_HOURS).toEqual([24]);
    expect(parseEnv({ BOOKING_REMINDER_HOURS: "48,2" }).BOOKING_REMINDER_HOURS).toEqual([48, 2]);
    expect(parseEnv({ BOOKING_REMINDER_HOURS: " 2 , 0.5,48 " }).BOOKING_REMINDER_HOURS).toEqual([2, 0.5, 48]);
  });

  it("refuses what is no number of hours, with the place of each", () => {
    expect(problemsOf("tomorrow")).toEqual([
      "BOOKING_REMINDER_HOURS.0: must be numbers of hours, comma-separated (48,2)",
    ]);
    expect(problemsOf("48,0")).toEqual(["BOOKING_REMINDER_HOURS.1: must be at least a minute (0.02 h)"]);
    expect(problemsOf("-2")).toEqual(["BOOKING_REMINDER_HOURS.0: must be at least a minute (0.02 h)"]);
    expect(problemsOf("9000")).toEqual(["BOOKING_REMINDER_HOURS.0: must be at most 8760 h (a year)"]);
    expect(problemsOf(",")).toEqual(["BOOKING_REMINDER_HOURS: must name at least one number of hours"]);
    expect(problemsOf("1,2,3,4,5,6,7,8,9,10,11")).toEqual(["BOOKING_REMINDER_HOURS: may name at most 10 reminders"]);
  });

  it("becomes whole minutes before the start, each once, the earliest reminder first", () => {
    expect(reminderOffsets([24])).toEqual([1440]);
    expect(reminderOffsets([2, 48])).toEqual([2880, 120]);
    expect(reminderOffsets([0.5, 0.501, 1.25])).toEqual([75, 30]);
    expect(reminderOffsets([0.001])).toEqual([]);
  });
});

describe("the reminder timer", () => {
  it("has a job id per booking and offset, valid for every driver, and reads both back from its key", () => {
    expect(reminderTimer.jobId(reminderKey(id, 1440))).toBe(`booking-reminder-1440-${id}`);
    expect([reminderTimer.queue, reminderTimer.job]).toEqual(["bookings", "booking.reminder"]);
    expect(reminderTimer.data(reminderKey(id, 120))).toEqual({ reminder: `120-${id}` });
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 525_600 }), (booking, minutes) => {
        const key = reminderKey(booking, minutes);
        expect(() => assertJobId(reminderTimer.jobId(key))).not.toThrow();
        expect(parseReminderKey(key)).toEqual({ bookingId: booking, minutesBefore: minutes });
      }),
    );
    expect(() => parseReminderKey(id)).toThrow(/no reminder key/);
  });

  it("is wanted only when its time had not passed at the confirmation, and before the start", () => {
    const startsAt = new Date("2027-03-05T19:00:00Z");
    const confirmedAt = (hoursBefore: number) => new Date(startsAt.getTime() - hoursBefore * HOUR);
    expect(reminderDueAt(startsAt, 1440)).toEqual(new Date("2027-03-04T19:00:00Z"));
    const at = confirmedAt(72);
    expect(wantsReminder({ startsAt, confirmedAt: confirmedAt(72) }, 1440, at)).toBe(true);
    expect(wantsReminder({ startsAt, confirmedAt: confirmedAt(24) }, 1440, at)).toBe(true);
    // Confirmed 3 h before: the 24 h reminder is skipped, the 2 h one is sent.
    expect(wantsReminder({ startsAt, confirmedAt: confirmedAt(3) }, 1440, at)).toBe(false);
    expect(wantsReminder({ startsAt, confirmedAt: confirmedAt(3) }, 120, at)).toBe(true);
    // Never once the start has come, nor without a confirmation.
    expect(wantsReminder({ startsAt, confirmedAt: confirmedAt(72) }, 1440, startsAt)).toBe(false);
    expect(wantsReminder({ startsAt, confirmedAt: null }, 1440, at)).toBe(false);
  });
});

describe("the question Cancel asks", () => {
  const startsAt = new Date("2027-03-05T19:00:00Z");
  const policy = { fullRefundHours: 48 };
  const hoursAhead = (hours: number) => new Date(startsAt.getTime() - hours * HOUR);

  it("stands for a day, and never past the start", () => {
    const booking = { startsAt, cancelAskedAt: hoursAhead(30) };
    expect(questionStands(booking, hoursAhead(30), policy, 0)).toBe(true);
    expect(questionStands(booking, hoursAhead(6.01), policy, 0)).toBe(true);
    expect(questionStands(booking, hoursAhead(6), policy, 0)).toBe(false);
    expect(questionStands({ startsAt, cancelAskedAt: hoursAhead(2) }, startsAt, policy, 0)).toBe(false);
    expect(questionStands({ startsAt, cancelAskedAt: null }, hoursAhead(30), policy, 0)).toBe(false);
  });

  it("lapses when what the policy does to a paid deposit changed since it was asked", () => {
    const booking = { startsAt, cancelAskedAt: hoursAhead(49) };
    // Asked with a full refund; at 47 h the deposit would be kept: the customer is asked again.
    expect(questionStands(booking, hoursAhead(48.5), policy, 2500)).toBe(true);
    expect(questionStands(booking, hoursAhead(47), policy, 2500)).toBe(false);
    // Nothing paid, nothing changed.
    expect(questionStands(booking, hoursAhead(47), policy, 0)).toBe(true);
  });
});
