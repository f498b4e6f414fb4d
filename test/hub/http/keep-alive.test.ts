// A client that keeps its connection alive (SDKs, load balancers, partners' servers) never pays for an earlier refusal.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerType } from "@hono/node-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../hub/http/app";
import { serveHub } from "../../../hub/http/serve";
import { startHub, type TestHub } from "../../support/hub";

interface Answer {
  status?: number;
  error?: string;
  connection?: string;
  body: string;
}

/** One request on the agent; a socket error is an answer too, so the test can show it. */
function send(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
) {
  return new Promise<Answer>((resolve) => {
    const request = http.request({ host: "127.0.0.1", port, method, path, headers, agent }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode, connection: response.headers.connection, body: text }),
      );
    });
    request.on("error", (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, body: "" }),
    );
    request.end(body);
  });
}

describe("a kept-alive client limited to one socket", () => {
  let t: TestHub;
  let server: ServerType;
  let port: number;
  let agent: http.Agent;
  let headers: Record<string, string>;

  beforeAll(async () => {
    t = await startHub();
    server = serveHub(t.hub.app.fetch, { port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
    headers = { Authorization: `Bearer ${t.adminKey}`, "Content-Type": "application/json" };
  });
  beforeEach(() => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(() => agent.destroy());
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.stop();
  });

  const nextRequestsSucceed = async () => {
    for (let i = 0; i < 4; i++) {
      const answer = await send(agent, port, "GET", "/inquiries?limit=1", headers);
      expect(answer, `request ${i + 1} after the refusal`).toMatchObject({ status: 200 });
    }
  };

  it("gets 413 for an oversized body, then every request succeeds", async () => {
    const answer = await send(agent, port, "POST", "/inquiries", headers, Buffer.alloc(2 * 1024 * 1024, "a"));
    expect(answer).toMatchObject({ status: 413, connection: "close" });
    expect(JSON.parse(answer.body).detail).toContain(String(MAX_BODY_BYTES));
    await nextRequestsSucceed();
  });

  it("gets 413 for an oversized chunked body (no Content-Length), then every request succeeds", async () => {
    const answer = await new Promise<Answer>((resolve) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/inquiries",
          headers: { ...headers, "Transfer-Encoding": "chunked" },
          agent,
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            resolve({ status: response.statusCode, connection: response.headers.connection, body: "" }),
          );
        },
      );
      request.on("error", (error) => resolve({ error: (error as NodeJS.ErrnoException).code, body: "" }));
      for (let i = 0; i < 32; i++) request.write(Buffer.alloc(64 * 1024, "a"));
      request.end();
    });
    expect(answer).toMatchObject({ status: 413 });
    await nextRequestsSucceed();
  });

  it("gets 400 for malformed JSON, then every request succeeds", async () => {
    const answer = await send(agent, port, "POST", "/inquiries", headers, '{"source": "web_form", ');
    expect(answer.status).toBe(400);
    await nextRequestsSucceed();
  });

  it("gets 415 for a wrong content type, small or large, then every request succeeds", async () => {
    const small = await send(agent, port, "POST", "/inquiries", { ...headers, "Content-Type": "text/plain" }, "hello");
    expect(small.status).toBe(415);
    await nextRequestsSucceed();
    const large = await send(
      agent,
      port,
      "POST",
      "/inquiries",
      { ...headers, "Content-Type": "text/plain" },
      Buffer.alloc(60 * 1024, "a"),
    );
    expect(large.status).toBe(415);
    await nextRequestsSucceed();
  });

  it("gets 401 for a body sent without a key, then every request succeeds", async () => {
    const answer = await send(
      agent,
      port,
      "POST",
      "/inquiries",
      { "Content-Type": "application/json" },
      Buffer.alloc(60 * 1024, "a"),
    );
    expect(answer.status).toBe(401);
    await nextRequestsSucceed();
  });

  it("keeps the connection for a request whose body was read", async () => {
    const answer = await send(
      agent,
      port,
      "POST",
      "/inquiries",
      headers,
      JSON.stringify({ source: "web_form", client: { email: "k@example.com" } }),
    );
    expect(answer).toMatchObject({ status: 201, connection: "keep-alive" });
  });
});
