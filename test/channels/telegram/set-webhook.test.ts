// `npm run telegram:set-webhook`: registers <public URL>/webhooks/telegram with the secret and the update types.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBotApi, type FakeBotApi } from "../../support/fakes/telegram-bot-api";

const run = promisify(execFile);

describe("scripts/set-telegram-webhook.ts", () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await startFakeBotApi();
  });
  afterAll(() => fake.close());

  const script = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ["--import", "tsx", "scripts/set-telegram-webhook.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url, ...env },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  it("sets the webhook under the public URL, with the secret token and allowed updates", async () => {
    const { code, out } = await script(["https://hub.example.co.uk/crm"], {
      TELEGRAM_WEBHOOK_SECRET: "s3cret-s3cret-s3cret",
    });
    expect(out).toContain("Telegram will send updates to https://hub.example.co.uk/crm/webhooks/telegram");
    expect(code).toBe(0);
    expect(fake.calls.find((c) => c.method === "setWebhook")!.body).toMatchObject({
      url: "https://hub.example.co.uk/crm/webhooks/telegram",
      secret_token: "s3cret-s3cret-s3cret",
      allowed_updates: ["message", "edited_message", "callback_query"],
    });
  });

  it("says what is missing", async () => {
    expect(await script([], { TELEGRAM_WEBHOOK_SECRET: "s3cret-s3cret-s3cret" })).toMatchObject({
      code: 1,
      out: expect.stringContaining("public URL"),
    });
    expect(
      await script(["http://hub.example.co.uk"], { TELEGRAM_WEBHOOK_SECRET: "s3cret-s3cret-s3cret" }),
    ).toMatchObject({ code: 1, out: expect.stringContaining("https") });
    expect(await script(["https://hub.example.co.uk"], {})).toMatchObject({
      code: 1,
      out: expect.stringContaining("TELEGRAM_WEBHOOK_SECRET"),
    });
  });
});
