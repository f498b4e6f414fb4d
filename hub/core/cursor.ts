// Opaque page cursors: the sort key of the last item on the page, base64url-encoded.
import { HubError } from "./errors";
import { isUuid } from "./ids";
import { parseApiDateTime } from "./time";

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString("base64url");
}

export function decodeCursor(text: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as [string, string];
    // The API's one datetime parser: a hand-made cursor with a date past its years would reach PostgreSQL otherwise.
    const date = typeof at === "string" ? parseApiDateTime(at) : undefined;
    if (typeof id === "string" && isUuid(id) && date) return { at: date, id };
  } catch {
    // falls through to the error below
  }
  throw new HubError("invalid", "cursor: is not a cursor this API returned", [
    { field: "cursor", message: "is not a cursor this API returned" },
  ]);
}
