// A fake of Meta's Graph API messages endpoint: records what the hub sends, answers like Meta (or fails on demand).
import { startFakeServer, type FakeServer } from "./server";

export interface SentToGraph {
  to: string;
  type: string;
  text?: string;
  template?: { name: string; language: { code: string }; components: unknown[] };
  interactive?: {
    type: string;
    body: { text: string };
    action: { buttons: { type: string; reply: { id: string; title: string } }[] };
  };
  authorization?: string;
}

export interface FakeGraph {
  server: FakeServer;
  url: string;
  sent: SentToGraph[];
  /** Answers for the next sends, in order (then success again): e.g. a 500, or Meta's error 131026. */
  failNext: { status: number; code?: number; message?: string }[];
  /** The wamid to answer the next send to a number with (else wamid.out<n>). */
  idFor: Map<string, string>;
  textsTo(chatId: string): string[];
}

export async function startFakeGraph(phoneNumberId: string): Promise<FakeGraph> {
  let counter = 0;
  const graph: FakeGraph = {
    server: undefined as unknown as FakeServer,
    url: "",
    sent: [],
    failNext: [],
    idFor: new Map(),
    textsTo: (chatId) =>
      graph.sent.filter((s) => s.to === chatId).map((s) => s.text ?? `[template ${s.template?.name}]`),
  };
  const takeId = (to: string) => {
    const id = graph.idFor.get(to);
    graph.idFor.delete(to);
    return id;
  };
  graph.server = await startFakeServer((request) => {
    if (request.method !== "POST" || request.path !== `/v21.0/${phoneNumberId}/messages`) {
      return { status: 404, body: { error: { message: `no route ${request.method} ${request.path}`, code: 100 } } };
    }
    const failure = graph.failNext.shift();
    if (failure)
      return {
        status: failure.status,
        body: { error: { code: failure.code, message: failure.message ?? "fake failure" } },
      };
    const body = JSON.parse(request.body);
    if (body.messaging_product !== "whatsapp")
      return { status: 400, body: { error: { code: 100, message: "messaging_product" } } };
    graph.sent.push({
      to: body.to,
      type: body.type,
      text: body.text?.body ?? body.interactive?.body?.text,
      template: body.template,
      interactive: body.interactive,
      authorization: request.headers.authorization,
    });
    return {
      status: 200,
      body: {
        messaging_product: "whatsapp",
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: takeId(body.to) ?? `wamid.out${++counter}` }],
      },
    };
  });
  graph.url = `${graph.server.url}/v21.0`;
  return graph;
}
