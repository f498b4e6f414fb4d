// Serves the app over node:http, so that one refused request never breaks the next on the same connection.
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { AddressInfo } from "node:net";
import { serve, type Http2Bindings, type HttpBindings, type ServerType } from "@hono/node-server";

export interface ServeOptions {
  port: number;
  hostname: string;
}

/**
 * A response sent before its request's body was read to the end (413, 415, 401…) says `Connection: close`, and
 * the hub then closes the socket. Otherwise a kept-alive client puts the connection back in its pool with the
 * unread body still in flight, and its next request on it meets a reset.
 */
export function serveHub(
  fetch: (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>,
  options: ServeOptions,
  onListening?: (info: AddressInfo) => void,
): ServerType {
  return serve(
    {
      fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
        const response = await fetch(request, env);
        if (env.incoming.readableEnded || !hasBody(env.incoming)) return response;
        const closing = new Response(response.body, response);
        closing.headers.set("Connection", "close");
        return closing;
      },
      port: options.port,
      hostname: options.hostname,
    },
    onListening,
  );
}

const hasBody = (incoming: IncomingMessage | Http2ServerRequest) =>
  incoming.headers["transfer-encoding"] !== undefined || Number(incoming.headers["content-length"] ?? 0) > 0;
