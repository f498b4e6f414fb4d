// `npm run demo`: the whole product in one command, on the embedded database, with stand-ins for Telegram, Stripe and
// Revolut on loopback. It walks a lead to a paid booking, then keeps the hub up for the console until Ctrl-C.
//   npm run demo [-- --data-dir <folder>]   (a fresh temporary folder by default, removed at the end)
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { resolveAdminKey } from "../../hub/bootstrap/admin-key";
import { ensureDataDir } from "../../hub/bootstrap/data-dir";
import { createHub } from "../../hub/composition";
import { createLogger } from "../../hub/core/logger";
import { loadEnv, parseEnv } from "../../hub/env";
import { serveHub } from "../../hub/http/serve";
import { HubClient } from "./hub-client";
import { startOutside } from "./outside";
import { walk } from "./walk";

const { values } = parseArgs({ options: { "data-dir": { type: "string" } } });
const say = (line: string) => void process.stdout.write(`${line}\n`);

// Only where to listen comes from the environment: the demo brings its own database, providers and bot.
const { PORT, HOST, LOG_LEVEL } = loadEnv({}, { adminKey: "unused" });
const dataDir = values["data-dir"] ? resolve(values["data-dir"]) : await mkdtemp(join(tmpdir(), "hub-demo-"));
const removeDataDir = !values["data-dir"];
await ensureDataDir(dataDir);
const outside = await startOutside();
const env = parseEnv({
  PORT: String(PORT),
  HOST,
  LOG_LEVEL,
  HUB_DATA_DIR: dataDir,
  ...outside.env,
  // A provider that does not answer is given up on quickly, so a stuck fake cannot stall the walk.
  PAYMENT_PROVIDER_TIMEOUT_MS: "2000",
});
const logFile = join(dataDir, "hub.log");
const logger = createLogger(env.LOG_LEVEL, pino.destination({ dest: logFile, sync: true }));
const admin = await resolveAdminKey(env);
const hub = await createHub({ env, logger, adminApiKey: admin.key, jobOptions: { pollMs: 50 } });

let server: Server | undefined;
let stopping: Promise<void> | undefined;
/** Stops the hub, then the fakes, and removes the temporary folder; the walk may still be running. */
const stop = (code: number) =>
  (stopping ??= (async () => {
    if (server) {
      const closed = new Promise((done) => server!.close(done));
      // An open console page keeps its event stream: it would hold the server up for ever.
      server.closeAllConnections();
      await closed;
    }
    await hub.stop();
    await outside.close();
    if (removeDataDir) await rm(dataDir, { recursive: true, force: true });
    process.exit(code);
  })());
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));

await hub.start();
const url = await new Promise<string>((listening) => {
  server = serveHub(hub.app.fetch, { port: env.PORT, hostname: env.HOST }, (info) => {
    hub.publicAddress.listeningOn(info.port);
    listening(`http://${env.HOST}:${info.port}`);
  }) as Server;
});

say("Lead & booking hub: the demo");
say(`The hub runs at ${url} on an embedded database in ${dataDir}.`);
say(`Telegram, Stripe and Revolut are stand-ins on 127.0.0.1: nothing leaves this machine, no account is needed.`);
say(`The hub's own log (JSON lines, each request with its id) goes to ${logFile}.`);
try {
  await walk(new HubClient(url, outside.telegramSecret), outside, admin.key, say);
} catch (error) {
  say(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
  say(`The hub's log may say why: ${logFile}`);
  await stop(1);
}

say("\nThe hub keeps running, so you can click through what just happened:");
say(`  Console:  ${url}/console`);
say(`  Sign in with this staff key (the admin's): ${admin.key}`);
say(`  API docs: ${url}/docs`);
say(`Press Ctrl-C to stop${removeDataDir ? " (the demo's folder is then removed)" : ""}.`);
