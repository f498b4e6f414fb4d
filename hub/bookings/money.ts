// Money is an integer of minor units (pence) everywhere in code; this turns it into words for people.

/** How many minor units a currency's major unit has (GBP 2: pence; JPY 0), as ISO 4217 has it. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 2500 GBP → "£25.00". */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat("en-GB", { style: "currency", currency, minimumFractionDigits: digits }).format(
    amount / 10 ** digits,
  );
}

/** Whether a code is a currency Intl knows (ISO 4217). */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat("en-GB", { style: "currency", currency: code });
    return Intl.supportedValuesOf("currency").includes(code);
  } catch {
    return false;
  }
}

/** "25.50" GBP → 2550. */
export function fromNumeric(value: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not an amount`);
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents / 10 ** (2 - minorDigits(currency));
}
