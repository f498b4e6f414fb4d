// A wrong Content-Type is a 415 that names the type the route takes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

describe("415 Unsupported media type", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it("POST /payments/{id}/proofs with a JSON body says to send multipart/form-data", async () => {
    const res = await t.request("POST", `/payments/${randomUUID()}/proofs`, { body: { file: "x", comment: "paid" } });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toBe("Send the proof as multipart/form-data with the fields file and comment.");
  });

  it("a JSON route sent text says to send JSON", async () => {
    const res = await t.request("POST", "/inquiries", { body: "hello", headers: { "Content-Type": "text/plain" } });
    expect(res.status).toBe(415);
    expect(res.body.detail).toContain("application/json");
  });
});
