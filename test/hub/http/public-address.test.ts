// Customers' links name PUBLIC_URL, else the address the hub listens on; never the Host header a caller sent
// (over node:http, where Host is what the client says: Node's fetch would not send ours).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHub } from "../../../hub/http/serve";
import { startHub, type TestHub } from "../../support/hub";

const POLL = { timeout: 15_000, interval: 50 };

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** A web-form lead held on a room: proposing it gives a booking link. */
async function heldBooking(t: TestHub, day: string) {
  const room = (await t.request("POST", "/resources", { body: { name: `Room ${day}`, capacity: 4 } })).body;
  const lead = (
    await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: `host-${day}@example.com` } },
    })
  ).body;
  const held = await t.request("POST", "/bookings", {
    body: {
      inquiry_id: lead.id,
      resource_id: room.id,
      start_at: `${day}T19:00`,
      duration_minutes: 60,
      deposit_amount: 1500,
    },
  });
  expect(held.status, JSON.stringify(held.body)).toBe(201);
  return held.body.id as string;
}

describe("the address in customers' links", () => {
  describe("without PUBLIC_URL", () => {
    let t: TestHub;
    let server: ServerType;
    let port: number;

    beforeAll(async () => {
      t = await startHub();
      server = serveHub(t.hub.app.fetch, { port: 0, hostname: "127.0.0.1" }, (info) =>
        t.hub.publicAddress.listeningOn(info.port),
      );
      await new Promise((resolve) => server.once("listening", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.stop();
    });

    it("a booking link and its pay link name the listen address, not the request's Host: evil.example", async () => {
      const id = await heldBooking(t, "2099-03-06");
      const evil = { Host: "evil.example", Authorization: `Bearer ${t.adminKey}` };
      const proposed = await send(port, "POST", `/bookings/${id}/propose`, evil);
      expect(proposed.status).toBe(200);
      expect(proposed.body.booking_url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/b/[A-Za-z0-9_-]{43}$`));

      const page = new URL(proposed.body.booking_url).pathname;
      const accepted = await t.hub.app.request(page, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "action=accept",
      });
      expect(accepted.status).toBe(303);
      const payUrl = async () => (await send(port, "GET", `/bookings/${id}/payments`, evil)).body.items[0]?.pay_url;
      await expect.poll(payUrl, POLL).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/pay/[A-Za-z0-9_-]{43}$`));
    });
  });

  it("names PUBLIC_URL when it is set, whatever the Host", async () => {
    const t = await startHub({ env: { PUBLIC_URL: "https://hub.example.co.uk/" } });
    try {
      const id = await heldBooking(t, "2099-03-13");
      const proposed = await t.request("POST", `/bookings/${id}/propose`, { headers: { Host: "evil.example" } });
      expect(proposed.body.booking_url).toMatch(/^https:\/\/hub\.example\.co\.uk\/b\/[A-Za-z0-9_-]{43}$/);
    } finally {
      await t.stop();
    }
  });
});
