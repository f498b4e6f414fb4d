// WhatsApp Cloud API: signed webhook fixtures in, a fake Graph API out, through the whole hub.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureOf } from "../../../channels/whatsapp/cloud/signature";
import { APP_SECRET, PHONE_NUMBER_ID, post, settings, VERIFY_TOKEN, waIdOf, webhook } from "./cloud-fixtures";
import { startHub, type TestHub } from "../../support/hub";
import { runChannelContract } from "../contract";
import { startFakeGraph, type FakeGraph } from "../../support/fakes/whatsapp-graph";

describe("WhatsApp Cloud API", () => {
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(PHONE_NUMBER_ID);
  });
  afterAll(() => graph.server.close());

  runChannelContract("whatsapp (cloud)", async () => {
    const t = await startHub({ env: settings(graph) });
    return {
      t,
      harness: {
        deliver: (id) => post(t, webhook([{ id: `wamid.${id}`, from: waIdOf(id) }])),
        forge: (id) => post(t, webhook([{ id: `wamid.${id}`, from: waIdOf(id) }]), "not-the-app-secret"),
        replies: { chatOf: waIdOf, received: (chatId) => graph.textsTo(chatId) },
      },
    };
  });

  describe("in a running hub", () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub({ env: settings(graph) });
    });
    afterAll(() => t.stop());

    // Inbound only: a reply the hub queues for an earlier message may land at any moment.
    const counts = async () =>
      (
        await t.hub.database.rows<{ inquiries: string; messages: string; events: string }>(sql`select
        (select count(*) from inquiries)::text as inquiries, (select count(*) from messages where direction = 'inbound')::text as messages,
        (select count(*) from webhook_events)::text as events`)
      )[0];

    it("answers Meta's verification handshake only with the right verify token", async () => {
      const ok = await t.request(
        "GET",
        `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
        { key: null },
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toBe(1158201444); // echoed as the plain text Meta sent
      const wrong = await t.request(
        "GET",
        "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
        { key: null },
      );
      expect(wrong.status).toBe(403);
      expect(wrong.headers.get("content-type")).toBe("application/problem+json");
      expect(
        (
          await t.request("GET", `/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}`, {
            key: null,
          })
        ).status,
      ).toBe(403);
      const doc = (await t.request("GET", "/openapi.json", { key: null })).body;
      expect(Object.keys(doc.paths["/webhooks/whatsapp"]).sort()).toEqual(["get", "post"]);
    });

    it("refuses a missing, malformed or wrong signature with 401 and stores nothing", async () => {
      const before = await counts();
      const body = webhook([{ id: "wamid.unsigned", from: waIdOf("unsigned") }]);
      for (const signature of ["", "sha256=", "sha1=abc", signatureOf("{}", APP_SECRET)]) {
        const res = await post(t, body, APP_SECRET, signature);
        expect(res.status).toBe(401);
      }
      expect(await counts()).toEqual(before);
      // Signed, but not a WhatsApp webhook: 400.
      expect((await post(t, { hello: "world" })).status).toBe(400);
    });

    it("opens an inquiry from the first message, joins follow-ups to it, and maps the number to the phone client", async () => {
      const waId = waIdOf("follow-up");
      expect((await post(t, webhook([{ id: "wamid.first", from: waId, text: "Table for 4 on Friday?" }]))).status).toBe(
        200,
      );
      const [inquiry] = await t.hub.database.rows<{
        id: string;
        reference: string;
        client_id: string;
        message: string;
      }>(
        sql`select id, 'INQ-' || number as reference, client_id, message from inquiries where external_chat_id = ${waId}`,
      );
      expect(inquiry!.message).toBe("Table for 4 on Friday?");
      await expect.poll(() => graph.textsTo(waId).join(), { timeout: 10_000 }).toContain(inquiry!.reference);
      expect(graph.sent.find((s) => s.to === waId)!.authorization).toBe("Bearer graph-access-token");

      // A photo with a caption, a sticker and a voice note join the same conversation.
      await post(
        t,
        webhook([
          {
            id: "wamid.photo",
            from: waId,
            type: "image",
            extra: { image: { id: "media1", caption: "our group", mime_type: "image/jpeg" } },
          },
          { id: "wamid.sticker", from: waId, type: "sticker", extra: { sticker: { id: "media2", emoji: "😀" } } },
          { id: "wamid.voice", from: waId, type: "audio", extra: { audio: { id: "media3", voice: true } } },
        ]),
      );
      const conversation = await t.request("GET", `/inquiries/${inquiry!.id}/messages`);
      expect(
        conversation.body.items.map((m: { direction: string; kind: string; body: string }) => [
          m.direction,
          m.kind,
          m.body,
        ]),
      ).toEqual([
        ["inbound", "text", "Table for 4 on Friday?"],
        ["outbound", "text", expect.stringContaining(inquiry!.reference)],
        ["inbound", "photo", "our group"],
        ["inbound", "sticker", "[sticker 😀]"],
        ["inbound", "voice", "[voice]"],
      ]);
      const inquiriesBefore = (await counts())!.inquiries;
      // The same number logged by phone is the same client.
      const operator = await t.createUser("operator");
      const phone = await t.request("POST", "/inquiries", {
        body: {
          source: "phone",
          client: { phone: `+${waId}` },
          duration_seconds: 60,
          call_result: "answered_interested",
          operator_id: operator.id,
        },
      });
      expect(phone.body.client_id).toBe(inquiry!.client_id);
      expect(Number((await counts())!.inquiries)).toBe(Number(inquiriesBefore) + 1);
    });

    it("opens one inquiry when a new chat's first messages arrive at the same time; a message after closing opens another", async () => {
      const waId = waIdOf("burst");
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => post(t, webhook([{ id: `wamid.burst${n}`, from: waId, text: `part ${n}` }]))),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const inquiries = await t.hub.database.rows<{ id: string }>(
        sql`select id from inquiries where external_chat_id = ${waId}`,
      );
      expect(inquiries).toHaveLength(1);
      const inbound = await t.hub.database.rows(
        sql`select 1 from messages where external_chat_id = ${waId} and direction = 'inbound'`,
      );
      expect(inbound).toHaveLength(4);

      expect((await t.request("PATCH", `/inquiries/${inquiries[0]!.id}`, { body: { status: "lost" } })).status).toBe(
        200,
      );
      await post(t, webhook([{ id: "wamid.burst5", from: waId, text: "back again" }]));
      const after = await t.hub.database.rows<{ status: string; message: string }>(
        sql`select status, message from inquiries where external_chat_id = ${waId} order by number`,
      );
      expect(after).toEqual(
        [
          { status: "lost", message: "part 1" },
          { status: "new", message: "back again" },
        ].map((row, i) => (i === 0 ? { ...row, message: expect.stringMatching(/^part \d$/) } : row)),
      );
    });

    it("stores nothing new when Meta redelivers a webhook", async () => {
      const body = webhook([{ id: "wamid.redelivered", from: waIdOf("redelivered") }]);
      expect((await post(t, body)).status).toBe(200);
      const before = await counts();
      expect((await post(t, body)).status).toBe(200);
      expect(await counts()).toEqual(before);
    });

    it("moves an outbound message's status forward with Meta's receipts, never back", async () => {
      const waId = waIdOf("receipts");
      await post(t, webhook([{ id: "wamid.receipts", from: waId }]));
      await expect.poll(() => graph.textsTo(waId).length, { timeout: 10_000 }).toBe(1);
      const status = async () =>
        (
          await t.hub.database.rows<{ status: string; external_message_id: string }>(
            sql`select status, external_message_id from messages where direction = 'outbound' and external_chat_id = ${waId}`,
          )
        )[0]!;
      await expect.poll(async () => (await status()).status, { timeout: 5000 }).toBe("sent");
      const wamid = (await status()).external_message_id;
      const receipt = (s: string) =>
        post(t, webhook([], [{ id: wamid, status: s, timestamp: "1", recipient_id: waId }]));
      await receipt("delivered");
      expect((await status()).status).toBe("delivered");
      await receipt("read");
      await receipt("delivered"); // late and out of order
      expect((await status()).status).toBe("read");
    });

    it("applies a receipt that came before the hub had recorded the send", async () => {
      // Meta may answer "delivered" while the Graph call's response is still on its way back to the hub.
      const waId = waIdOf("early-receipt");
      const wamid = `wamid.early${Date.now()}`;
      graph.idFor.set(waId, wamid);
      expect(
        (await post(t, webhook([], [{ id: wamid, status: "delivered", timestamp: "1", recipient_id: waId }]))).status,
      ).toBe(200);
      await post(t, webhook([{ id: "wamid.early-receipt", from: waId }]));
      const outbound = async () =>
        (
          await t.hub.database.rows<{ status: string; external_message_id: string | null }>(
            sql`select status, external_message_id from messages where direction = 'outbound' and external_chat_id = ${waId}`,
          )
        )[0];
      await expect.poll(outbound, { timeout: 10_000 }).toEqual({ status: "delivered", external_message_id: wamid });
    });
  });

  describe("sending", () => {
    it("retries a Graph failure that may pass, and marks a message Meta refuses as failed", async () => {
      const t = await startHub({ env: settings(graph) });
      try {
        const retried = waIdOf("retried");
        graph.failNext.push({ status: 500, message: "temporary" });
        await post(t, webhook([{ id: "wamid.retried", from: retried }]));
        await expect.poll(() => graph.textsTo(retried).length, { timeout: 15_000 }).toBe(1);

        const refused = waIdOf("refused");
        graph.failNext.push({ status: 400, code: 131026, message: "Message undeliverable" });
        await post(t, webhook([{ id: "wamid.refused", from: refused }]));
        const outbound = async () =>
          (
            await t.hub.database.rows<{ status: string; error: string | null }>(
              sql`select status, error from messages where direction = 'outbound' and external_chat_id = ${refused}`,
            )
          )[0];
        await expect.poll(async () => (await outbound())?.status, { timeout: 10_000 }).toBe("failed");
        expect((await outbound())!.error).toContain("131026");
        expect(graph.textsTo(refused)).toEqual([]);
      } finally {
        await t.stop();
      }
    });

    it("outside the 24-hour window sends no free text: the approved template if configured, else an operator task", async () => {
      const longAgo = new Date(Date.now() - 25 * 3600_000);
      const withTemplate = await startHub({ env: settings(graph, { WHATSAPP_REOPEN_TEMPLATE: "reopen_enquiry" }) });
      try {
        const waId = waIdOf("late-with-template");
        await post(withTemplate, webhook([{ id: "wamid.late1", from: waId, timestamp: longAgo }]));
        await expect.poll(() => graph.sent.filter((s) => s.to === waId).length, { timeout: 10_000 }).toBe(1);
        const sent = graph.sent.find((s) => s.to === waId)!;
        expect(sent.type).toBe("template");
        expect(sent.template).toMatchObject({ name: "reopen_enquiry", language: { code: "en_GB" } });
        expect(JSON.stringify(sent.template!.components)).toMatch(/INQ-\d+/);
      } finally {
        await withTemplate.stop();
      }

      const without = await startHub({ env: settings(graph) });
      try {
        const waId = waIdOf("late-without-template");
        await post(without, webhook([{ id: "wamid.late2", from: waId, timestamp: longAgo }]));
        const task = async () =>
          (
            await without.hub.database.rows<{ type: string; title: string }>(
              sql`select type, title from tasks where type = 'message.withheld'`,
            )
          )[0];
        await expect.poll(task, { timeout: 10_000 }).toMatchObject({ type: "message.withheld" });
        const [message] = await without.hub.database.rows<{ status: string; error: string }>(
          sql`select status, error from messages where direction = 'outbound' and external_chat_id = ${waId}`,
        );
        expect(message).toMatchObject({ status: "withheld" });
        expect(message!.error).toContain("24 hours");
        expect(graph.sent.filter((s) => s.to === waId)).toEqual([]);
      } finally {
        await without.stop();
      }
    });
  });
});
