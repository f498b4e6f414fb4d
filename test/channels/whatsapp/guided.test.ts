// WhatsApp customers get the same guided questions as Telegram's, asked through the outbox, one chat at a time.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";
import { post, waIdOf, webhook } from "./cloud-fixtures";

const POLL = { timeout: 15_000, interval: 50 };

describe("WhatsApp guided questions", () => {
  let t: TestHub<{ whatsapp: "cloud" }>;
  let n = 0;
  beforeAll(async () => {
    t = await startHub({ whatsapp: "cloud" });
  });
  afterAll(async () => {
    await t.stop();
  });

  const year = new Date().getUTCFullYear() + 1;
  const say = async (waId: string, text: string) => {
    const before = t.whatsapp.textsTo(waId).length;
    expect((await post(t, webhook([{ id: `wamid.guided${++n}.${Date.now()}`, from: waId, text }]))).status).toBe(200);
    await expect.poll(() => t.whatsapp.textsTo(waId).length, POLL).toBeGreaterThan(before);
    return t.whatsapp.textsTo(waId).at(-1)!;
  };
  const inquiryOf = async (waId: string) => {
    const [row] = await t.hub.database.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${waId}`,
    );
    return (await t.request("GET", `/inquiries/${row!.id}`)).body;
  };

  it("asks when, how many and which service, saving each answer and saying what is wrong with a bad one", async () => {
    const waId = waIdOf(`guided-${Date.now()}`);
    expect(await say(waId, "Hello, I would like to book")).toMatch(
      /Your reference is INQ-\d+\..*\n\nWhile we look at it, a few quick questions\. When would you like to come\?/s,
    );
    expect(await say(waId, "sometime")).toMatch(/^Please write a date and a time/);
    expect(await say(waId, `24/07/${year} 19:30`)).toBe('How many people? (or "skip")');
    expect((await inquiryOf(waId)).requested_start_at).toBe(`${year}-07-24T19:30:00.000+01:00`);
    expect(await say(waId, "6 of us")).toBe('Which service would you like? (or "skip")');
    const done = await say(waId, "skip");
    const inquiry = await inquiryOf(waId);
    expect(inquiry).toMatchObject({ party_size: 6, service: null });
    expect(done).toMatch(
      new RegExp(
        `^Thank you, we have noted: \\w{3} 24 Jul ${year}, 19:30 BST, 6 people\\. Your reference is ${inquiry.reference}\\.$`,
      ),
    );
    // Done: the next message is only a message.
    const count = t.whatsapp.textsTo(waId).length;
    await post(t, webhook([{ id: `wamid.after${Date.now()}`, from: waId, text: "Thanks!" }]));
    // A window in which no question may be asked.
    await new Promise((r) => setTimeout(r, 500));
    expect(t.whatsapp.textsTo(waId).length).toBe(count);
  });

  it("reads the first message's details, says what it understood, and asks only what is missing", async () => {
    const waId = waIdOf(`understood-${Date.now()}`);
    const ack = await say(waId, `Table for 4 on 24/12/${year} at 7pm please`);
    expect(ack).toMatch(
      new RegExp(
        `\\n\\nWe understood: \\w{3} 24 Dec ${year}, 19:00 GMT, 4 people\\. If that is not right, just tell us\\.\\n\\nWhich service would you like\\? \\(or "skip"\\)$`,
      ),
    );
    expect(await inquiryOf(waId)).toMatchObject({
      party_size: 4,
      requested_start_at: `${year}-12-24T19:00:00.000+00:00`,
    });
    expect(await say(waId, "Christmas dinner")).toMatch(/^Thank you, we have noted: Christmas dinner\./);
    expect((await inquiryOf(waId)).service).toBe("Christmas dinner");
  });
});
