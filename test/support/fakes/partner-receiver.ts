// A partner's webhook receiver on loopback, standing in for the partner's server that the hub notifies.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A partner's webhook receiver on loopback: records every request and answers with the scripted statuses, then 200. */
export class FakePartnerReceiver {
  readonly received: ReceivedNotification[] = [];
  private readonly server: Server;
  private script: number[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const status = this.script.shift() ?? 200;
        res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
      });
    });
  }

  static async start(): Promise<FakePartnerReceiver> {
    const fake = new FakePartnerReceiver();
    fake.server.listen(0, "127.0.0.1");
    await once(fake.server, "listening");
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/hub`;
  }

  /** The next answers, in order; 200 after them. */
  answer(...statuses: number[]): void {
    this.script = statuses;
  }

  /** Verifies a received request as the partner would, with its secret; throws when it does not verify. */
  static verify(secret: string, notification: ReceivedNotification): any {
    return new Webhook(secret).verify(notification.body, notification.headers as Record<string, string>);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, "close");
  }
}
