// A tiny HTTP server on loopback standing in for an outside service (a payment provider's API, Turnstile, a partner).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** An answer, or `drop`: the connection is cut without one, as a peer that closed a kept-alive socket does. */
export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | { drop: true };

export type FakeHandler = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  handle: FakeHandler;
  close(): Promise<void>;
}

export async function startFakeServer(handle: FakeHandler): Promise<FakeServer> {
  const fake: FakeServer = { url: "", requests: [], handle, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const request = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body };
      fake.requests.push(request);
      const answer = await fake.handle(request);
      if ("drop" in answer) {
        req.socket.destroy();
        return;
      }
      const text =
        answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
      res.end(text);
    });
  });
  // Longer than any client keeps an idle connection: else the server may close one just as the hub sends on it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
