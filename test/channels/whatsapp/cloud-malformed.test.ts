// Signed WhatsApp Cloud webhooks no real Meta delivery looks like: a message type named like an Object method, a
// timestamp no Date can hold. Neither may fail as a 500 (Meta would send it again and again) nor log an error.
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, waIdOf, webhook } from "./cloud-fixtures";
import { startHub, type TestHub } from "../../support/hub";

describe("malformed WhatsApp Cloud webhooks", () => {
  let t: TestHub;
  const errors: string[] = [];

  beforeAll(async () => {
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    t = await startHub({ overrides: { logger }, whatsapp: "cloud" });
  });
  afterAll(async () => {
    await t.stop();
  });

  const kindOf = async (wamid: string) =>
    (
      await t.hub.database.rows<{ kind: string }>(
        sql`select kind::text from messages where external_message_id = ${wamid}`,
      )
    )[0]?.kind;

  it.each(["valueOf", "constructor", "__proto__", "toString"])(
    "keeps a message of type %s as kind other",
    async (type) => {
      const from = errors.length;
      const wamid = `wamid.type-${type}`;
      const res = await post(t, webhook([{ id: wamid, from: waIdOf(type), type }]));
      expect(res.status).toBe(200);
      expect(await kindOf(wamid)).toBe("other");
      expect(errors.slice(from)).toEqual([]);
    },
  );

  it("refuses a timestamp no Date can hold with 400, and stores nothing", async () => {
    const from = errors.length;
    const wamid = "wamid.far-future";
    const res = await post(
      t,
      webhook([{ id: wamid, from: waIdOf("far"), extra: { timestamp: "99999999999999999999" } }]),
    );
    expect(res.status).toBe(400);
    expect(await kindOf(wamid)).toBeUndefined();
    expect(errors.slice(from)).toEqual([]);
  });
});
