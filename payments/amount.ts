// Money crosses into numeric(10,2) only here, at the database edge of `payments.amount`: code keeps minor units.
import { minorDigits } from "../hub/bookings";

/** "25.50" GBP → 2550: with minorDigits, in hub/bookings/money.ts, where the cancellation policy reads paid deposits. */
export { fromNumeric } from "../hub/bookings";

/** 2550 GBP → "25.50"; 2550 JPY → "2550.00". Integer arithmetic only: never a float. */
export function toNumeric(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`amount ${minor} must be a non-negative whole number of minor units`);
  const digits = minorDigits(currency);
  if (digits > 2) throw new RangeError(`${currency} has ${digits} minor digits; payments.amount keeps 2`);
  const cents = minor * 10 ** (2 - digits);
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}
