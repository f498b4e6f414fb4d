// A stand-in for Cloudflare's siteverify on 127.0.0.1: single-use tokens, as Cloudflare's are; the token's prefix picks
// the answer.
import { createServer, type Server } from "node:http";

export interface SiteverifyCall {
  secret: string | null;
  response: string | null;
  remoteip: string | null;
  contentType: string | undefined;
}

export interface FakeTurnstile {
  url: string;
  calls: SiteverifyCall[];
  close(): Promise<void>;
}

/**
 * Tokens: `pass-…` succeed once (then `timeout-or-duplicate`), `slow-…` succeed after `slowMs`, `error500-…` get a
 * 500, anything else `invalid-input-response`. A wrong secret gets `invalid-input-secret`.
 */
export async function startFakeTurnstile(secret: string, slowMs = 1_500): Promise<FakeTurnstile> {
  const calls: SiteverifyCall[] = [];
  const spent = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const call = {
        secret: form.get("secret"),
        response: form.get("response"),
        remoteip: form.get("remoteip"),
        contentType: req.headers["content-type"],
      };
      calls.push(call);
      const answer = (status: number, result: object, delay = 0) =>
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(result));
        }, delay);
      const token = call.response ?? "";
      if (req.method !== "POST" || call.secret !== secret)
        return answer(200, { success: false, "error-codes": ["invalid-input-secret"] });
      if (token.startsWith("error500-")) return answer(500, { success: false, "error-codes": ["internal-error"] });
      if (token.startsWith("slow-")) return answer(200, { success: true }, slowMs);
      if (!token.startsWith("pass-")) return answer(200, { success: false, "error-codes": ["invalid-input-response"] });
      if (spent.has(token)) return answer(200, { success: false, "error-codes": ["timeout-or-duplicate"] });
      spent.add(token);
      answer(200, {
        success: true,
        challenge_ts: new Date().toISOString(),
        hostname: "example.co.uk",
        "error-codes": [],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/turnstile/v0/siteverify`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
