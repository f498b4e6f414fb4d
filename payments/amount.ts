// Money crosses into numeric(10,2) only here, at the database edge of `payments.amount`: code keeps minor units.
import { minorDigits } from "../hub/bookings";

/** 2550 GBP → "25.50"; 2550 JPY → "2550.00". Integer arithmetic only: never a float. */
export function toNumeric(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`amount ${minor} must be a non-negative whole number of minor units`);
  const digits = minorDigits(currency);
  if (digits > 2) throw new RangeError(`${currency} has ${digits} minor digits; payments.amount keeps 2`);
  const cents = minor * 10 ** (2 - digits);
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** "25.50" GBP → 2550. */
export function fromNumeric(value: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not an amount`);
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents / 10 ** (2 - minorDigits(currency));
}
