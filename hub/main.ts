// Process entry point (`npm start`): reads the configuration, starts the hub, serves HTTP, stops cleanly on a signal.
import { resolveAdminKey } from "./bootstrap/admin-key";
import { ensureDataDir } from "./bootstrap/data-dir";
import { orExit } from "./bootstrap/exit-on-startup-error";
import { createHub } from "./composition";
import { loadEnv } from "./env";
import { serveHub } from "./http/serve";
import { createLogger } from "./core/logger";

const env = await orExit(() => loadEnv());
const logger = createLogger(env.LOG_LEVEL);
const admin = await orExit(async () => {
  // The embedded default keeps its database and the generated admin key there.
  if (!env.DATABASE_URL) await ensureDataDir(env.HUB_DATA_DIR);
  return resolveAdminKey(env);
});
const hub = await createHub({ env, logger, adminApiKey: admin.key });
await hub.start();

if (admin.origin === "generated") {
  // Printed once, on the start that made it; later starts only say where it is kept.
  process.stdout.write(
    `\n  Admin API key (shown once, kept in ${admin.file}):\n\n    ${admin.key}\n\n` +
      `  Use it as: Authorization: Bearer <key>\n\n`,
  );
} else if (admin.origin === "file") {
  logger.info({ file: admin.file }, "admin API key is kept in the data folder");
}

// A worker process serves no HTTP: it publishes outbox events and runs jobs.
const server =
  env.HUB_ROLE === "worker"
    ? undefined
    : serveHub(hub.app.fetch, { port: env.PORT, hostname: env.HOST }, (info) => {
        hub.publicAddress.listeningOn(info.port);
        const url = `http://${env.HOST}:${info.port}`;
        logger.info(
          { url, role: env.HUB_ROLE, database: hub.database.driver, jobs: hub.jobs.kind, docs: `${url}/docs` },
          "hub listening",
        );
        warnWithoutPublicUrl();
      });
if (!server) {
  logger.info({ role: env.HUB_ROLE, database: hub.database.driver, jobs: hub.jobs.kind }, "worker running");
  warnWithoutPublicUrl();
}

/** Customers' links name the hub's own address until PUBLIC_URL is set: said once, at start. */
function warnWithoutPublicUrl() {
  const url = hub.publicAddress.url;
  if (!hub.publicAddress.configured)
    logger.warn({ url }, `PUBLIC_URL is not set: booking and payment links will use ${url}`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new work taken, finishing work in flight");
    const finish = async () => {
      await hub.stop();
      logger.info("stopped");
      process.exit(0);
    };
    if (server) server.close(() => void finish());
    else void finish();
  });
}
