// Which database errors mean "run the transaction again": a deadlock's victim and a serialization failure, however
// deeply drizzle wrapped them, and nothing else.
import { describe, expect, it } from "vitest";
import { isTransactionConflict } from "../../db/errors";

const wrapped = (code: string) =>
  new Error("Failed query: insert into bookings", { cause: Object.assign(new Error("pg"), { code }) });

describe("isTransactionConflict", () => {
  it("is true for a deadlock victim and a serialization failure, wrapped or not", () => {
    for (const code of ["40P01", "40001"]) {
      expect(isTransactionConflict(Object.assign(new Error("pg"), { code })), code).toBe(true);
      expect(isTransactionConflict(wrapped(code)), code).toBe(true);
    }
  });

  it("is false for a refused statement, a connection error and no error code", () => {
    for (const code of ["23P01", "23505", "08006", "ECONNREFUSED"])
      expect(isTransactionConflict(wrapped(code)), code).toBe(false);
    expect(isTransactionConflict(new Error("no code"))).toBe(false);
    expect(isTransactionConflict(undefined)).toBe(false);
  });
});
