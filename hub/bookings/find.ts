// Finding one booking the way people name it: its id, or its reference (BKG-12, any case).
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings } from "../../db/schema";
import { HubError } from "../errors";
import type { BookingRow } from "./lifecycle";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERENCE = /^(?:BKG-)?(\d{1,15})$/i;

export async function findBooking(db: Executor, idOrReference: string): Promise<BookingRow> {
  const text = idOrReference.trim();
  const number = REFERENCE.exec(text)?.[1];
  const where = number ? eq(bookings.number, Number(number)) : UUID.test(text) ? eq(bookings.id, text) : undefined;
  const [row] = where ? await db.select().from(bookings).where(where) : [];
  if (!row) throw new HubError("not_found", `No booking has id or reference "${idOrReference}".`);
  return row;
}
