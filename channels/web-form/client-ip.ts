// The submitting client's IP address, as far as the proxies in front of the hub can be trusted (rate limits key on it).
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * `hops` = 0: the socket's peer. `hops` = N: the Nth address from the right of X-Forwarded-For, since only the
 * entries our own N proxies appended can be trusted; anything left of them the client wrote itself. A header
 * shorter than that means the request skipped a proxy, so its leftmost entry (or the socket) is the best we have.
 */
export function clientIp(c: Context, hops: number): string {
  if (hops > 0) {
    const forwarded = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    if (forwarded.length > 0) return forwarded[Math.max(0, forwarded.length - hops)]!;
  }
  return socketAddress(c) ?? "unknown";
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // no Node socket behind this request (app.request in-process): every such caller shares one bucket
  }
}
