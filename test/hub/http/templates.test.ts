// Message templates: changed without code, checked for placeholders, audited, and used by the next reply.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureOf } from "../../../channels/whatsapp/cloud/signature";
import { startHub, type TestHub } from "../../support/hub";
import { APP_SECRET } from "../../channels/whatsapp/cloud-fixtures";

describe("message templates", () => {
  let t: TestHub<{ whatsapp: "cloud" }>;
  let manager: { id: string; key: string };
  beforeAll(async () => {
    t = await startHub({ whatsapp: "cloud" });
    manager = await t.createUser("manager");
  });
  afterAll(async () => {
    await t.stop();
  });

  it("lists every template with its built-in text, for managers", async () => {
    const res = await t.request("GET", "/templates", { key: manager.key });
    expect(res.status).toBe(200);
    const ack = res.body.items.find((i: { key: string }) => i.key === "inquiry.acknowledged");
    expect(ack).toMatchObject({ changed: false, placeholders: ["reference", "deadline"], updated_at: null });
    expect(ack.body).toBe(ack.default_body);
    const operator = await t.createUser("operator");
    expect((await t.request("GET", "/templates", { key: operator.key })).status).toBe(403);
  });

  it("refuses an unknown key or a placeholder the template does not offer", async () => {
    expect((await t.request("PUT", "/templates/nope", { key: manager.key, body: { body: "x" } })).status).toBe(400);
    const res = await t.request("PUT", "/templates/inquiry.acknowledged", {
      key: manager.key,
      body: { body: "Hi {{name}}, ref {{reference}}" },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("{{name}}");
    expect(
      (await t.request("PUT", "/templates/inquiry.acknowledged", { key: manager.key, body: { body: "  " } })).status,
    ).toBe(400);
  });

  it("uses a changed text for the next automatic reply, audits the change, and can go back", async () => {
    const body = "Thanks! Ref {{reference}}; we answer by {{deadline}}.";
    const put = await t.request("PUT", "/templates/inquiry.acknowledged", { key: manager.key, body: { body } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ changed: true, body, updated_by: manager.id });
    expect(put.body.updated_at).toMatch(/[+-]0[01]:00$/);

    const raw = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "W",
          changes: [
            {
              field: "messages",
              value: {
                messages: [
                  {
                    from: "447912000321",
                    id: "wamid.tpl",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: "text",
                    text: { body: "hi" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const res = await t.request("POST", "/webhooks/whatsapp", {
      key: null,
      body: raw,
      headers: { "X-Hub-Signature-256": signatureOf(raw, APP_SECRET) },
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => t.whatsapp.textsTo("447912000321").join(), { timeout: 10_000 })
      .toMatch(
        /^Thanks! Ref INQ-\d+; we answer by \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d (GMT|BST)\.\n\nWhile we look at it/,
      );

    const [audit] = await t.hub.database.rows<{ action: string; before: { body: string }; after: { body: string } }>(
      sql`select action, before, after from audit_log where entity_type = 'message_template' order by at desc, id desc limit 1`,
    );
    expect(audit).toMatchObject({ action: "template.updated", after: { body } });

    const reset = await t.request("DELETE", "/templates/inquiry.acknowledged", { key: manager.key });
    expect(reset.body).toMatchObject({ changed: false });
    expect(reset.body.body).toBe(reset.body.default_body);
  });
});
