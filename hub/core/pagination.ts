// Keyset pagination, newest first, for every cursor list of the API: the cursor is the (time, id) of the last item on
// the page, so a page never skips or repeats a row when rows are added while someone pages.
import { type AnyColumn, desc, type SQL, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "./cursor";

export interface PageRequest {
  limit: number;
  /** next_cursor of the previous page, as the client sent it; checked here (400 when it is not one of ours). */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageKey<T> {
  /** The sort columns: a time, then the id that breaks ties. */
  at: AnyColumn;
  id: AnyColumn;
  /** The same two values read back from a fetched row. */
  of: (row: T) => { at: Date; id: string };
}

/**
 * One page of a list: `fetch` runs the caller's query with `after` (undefined on the first page) added to its
 * filters, `orderBy` as its order and `limit` as its limit, and gets one row more than the page, which tells whether
 * there is a next page.
 */
export async function paginate<T>(
  request: PageRequest,
  key: PageKey<T>,
  fetch: (page: { after: SQL | undefined; orderBy: SQL[]; limit: number }) => Promise<T[]>,
): Promise<Page<T>> {
  const cursor = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  const after = cursor
    ? sql`(${key.at}, ${key.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`
    : undefined;
  const rows = await fetch({ after, orderBy: [desc(key.at), desc(key.id)], limit: request.limit + 1 });
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > request.limit && last ? encodeCursor(key.of(last)) : null };
}
