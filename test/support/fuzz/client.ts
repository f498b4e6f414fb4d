// Requests to a test hub as a client sends them, answered with what the refusal checks read: the status, the
// Content-Type, the text, and the JSON when it is JSON.
import type { BaseTestHub } from "../hub";
import type { Answer } from "./answers";

export interface Called extends Answer {
  /** Any: a test reads JSON of many shapes, and a wrong guess fails its expect. */
  json: any;
}

/** A response as the checks read it. */
export async function answerOf(response: Response): Promise<Called> {
  const body = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get("content-type"), body, json };
}

/** Sends a request: a body as JSON (text as it is), with the admin's key unless `key` says another or none. */
export async function call(
  t: BaseTestHub,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
): Promise<Called> {
  const key = options.key === undefined ? t.adminKey : options.key;
  const body =
    options.body === undefined || typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const response = await t.hub.app.request(url, {
    method,
    headers: {
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...options.headers,
    },
    body,
  });
  return answerOf(response);
}
