// The payment link in WhatsApp Cloud: a call-to-action URL button under the message, the amount in pounds.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post as postWhatsApp, waIdOf, webhook } from "../channels/whatsapp/cloud-fixtures";
import { startHub, type PaymentTestHub, type TestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

describe("the payment link in WhatsApp", () => {
  let p: PaymentTestHub & TestHub<{ whatsapp: "cloud" }>;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {}, whatsapp: "cloud" });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("sends the one hub link as a CTA URL button", async () => {
    const waId = waIdOf(`payment-${Date.now()}`);
    await postWhatsApp(p, webhook([{ id: `wamid.pay${Date.now()}`, from: waId, text: "A table for two on Friday?" }]));
    const [lead] = await p.rows<{ id: string }>(sql`select id::text from inquiries where external_chat_id = ${waId}`);
    const resource = (await p.request("POST", "/resources", { body: { name: "WhatsApp Room", capacity: 4 } })).body;
    const held = (
      await p.request("POST", "/bookings", {
        body: {
          inquiry_id: lead!.id,
          resource_id: resource.id,
          start_at: "2027-03-26T19:00",
          duration_minutes: 120,
          deposit_amount: 1500,
        },
      })
    ).body;
    await p.request("POST", `/bookings/${held.id}/accept`);
    const [attempt] = await p.payments.attempts(held.id, 1);
    const find = () =>
      p.whatsapp.sent.find(
        (m) => m.to === waId && m.type === "interactive" && (m.interactive as { type: string }).type === "cta_url",
      );
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    expect(find()!.interactive).toEqual({
      type: "cta_url",
      body: {
        text: expect.stringMatching(
          new RegExp(`^To secure ${held.reference}, please pay the deposit of £15\\.00 here: `),
        ),
      },
      action: { name: "cta_url", parameters: { display_text: "Pay £15.00", url: attempt.pay_url } },
    });
  });
});
