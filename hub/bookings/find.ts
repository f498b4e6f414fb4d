// Finding one booking the way people name it: its id, or its reference (BKG-12, any case).
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings } from "../../db/schema";
import { HubError } from "../core/errors";
import { parseRowName } from "../core/ids";
import type { BookingRow } from "./lifecycle";

export async function findBooking(db: Executor, idOrReference: string): Promise<BookingRow> {
  const name = parseRowName("BKG", idOrReference);
  const where = name && ("id" in name ? eq(bookings.id, name.id) : eq(bookings.number, name.number));
  const [row] = where ? await db.select().from(bookings).where(where) : [];
  if (!row) throw new HubError("not_found", `No booking has id or reference "${idOrReference}".`);
  return row;
}
