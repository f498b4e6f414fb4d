// The Hono app: middleware, routes, the OpenAPI document and problem+json errors.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable, pgErrorCode } from "../../db/errors";
import { HubError } from "../core/errors";
import { apiDocsRoutes } from "./api-docs";
import type { AppDeps, HubEnv } from "./context";
import { DATABASE_RETRY_AFTER_SECONDS, fieldErrors, problem, STATUS_OF } from "./problem";
import { storableInput } from "./storable-input";
import { utf8Body } from "./utf8-body";
import { requestLog } from "./request-log";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { systemHealthRoutes } from "./routes/system-health";
import { inquiryRoutes } from "./routes/inquiries";
import { jobRoutes } from "./routes/jobs";
import { operatorRoutes } from "./routes/operators";
import { partnerNotificationRoutes } from "./routes/partner-notifications";
import { partnerRoutes } from "./routes/partners";
import { queueRoutes } from "./routes/queue";
import { reportRoutes } from "./routes/reports";
import { bookingPageRoutes } from "./routes/booking-page";
import { bookingRoutes } from "./routes/bookings";
import { clientRoutes } from "./routes/clients";
import { isProofUpload, paymentRoutes } from "./routes/payments";
import { paymentWebhookRoutes } from "./routes/payment-webhooks";
import { payPageRoutes } from "./routes/pay-page";
import { resourceRoutes } from "./routes/resources";
import { responseRoutes } from "./routes/responses";
import { holidayRoutes } from "./routes/holidays";
import { slaPolicyRoutes } from "./routes/sla-policies";
import { templateRoutes } from "./routes/templates";
import { telegramLinkRoutes } from "./routes/telegram-link";
import { timelineRoutes } from "./routes/timeline";
import { consoleRoutes } from "../console";

const TARGETS: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
  header: "headers",
};

/** Inquiries are text; 64 KiB is far above any real one and well below what could hurt the process. */
export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(deps: AppDeps): OpenAPIHono<HubEnv> {
  const app = new OpenAPIHono<HubEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = fieldErrors(result.error);
        return problem(
          c,
          400,
          `Invalid ${TARGETS[result.target] ?? result.target}: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
          errors,
        );
      }
    },
  });

  app.use(requestLog(deps.logger));
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem(c, 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
  });
  // A payment proof is a file: its route sets its own, larger limit.
  app.use((c, next) => (isProofUpload(c.req.method, c.req.path) ? next() : limit(c, next)));
  // Behind the limit, so it never reads more than the limit lets through; a proof is multipart, not read here.
  app.use((c, next) => (isProofUpload(c.req.method, c.req.path) ? next() : utf8Body(c, next)));
  app.use(storableInput);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key: ADMIN_API_KEY, or one returned by POST /operators.",
  });

  healthRoutes(deps, app);
  systemHealthRoutes(deps, app);
  metricsRoutes(deps, app);
  inquiryRoutes(deps, app);
  responseRoutes(deps, app);
  queueRoutes(deps, app);
  resourceRoutes(deps, app);
  bookingRoutes(deps, app);
  bookingPageRoutes(deps, app);
  clientRoutes(deps, app);
  paymentRoutes(deps, app);
  paymentWebhookRoutes(deps, app);
  payPageRoutes(deps, app);
  operatorRoutes(deps, app);
  partnerRoutes(deps, app);
  partnerNotificationRoutes(deps, app);
  slaPolicyRoutes(deps, app);
  holidayRoutes(deps, app);
  reportRoutes(deps, app);
  jobRoutes(deps, app);
  templateRoutes(deps, app);
  telegramLinkRoutes(deps, app);
  timelineRoutes(deps, app);
  consoleRoutes(deps, app);
  // Each channel's inbound routes (webhooks, the web form, the partner endpoint), verified by the channel itself.
  for (const channel of Object.values(deps.channels)) channel.mount(app);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Lead & booking hub",
      version: "0.1.0",
      description:
        "One inquiry pipeline for five sources. Datetimes without an offset are London wall time; every datetime " +
        "in a response is ISO 8601 with the London offset. Errors are application/problem+json (RFC 9457).",
    },
  });
  apiDocsRoutes(app, "Lead & booking hub API");

  app.notFound((c) => problem(c, 404, `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    if (error instanceof HubError) return problem(c, STATUS_OF[error.kind], error.message, error.fields);
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      // A bare 415 comes from zod-openapi's media-type gate; a route taking another type answers first (media-type.ts).
      const detail =
        status === 415
          ? "Send the body as JSON with `Content-Type: application/json`."
          : error.message || "Bad request.";
      return problem(c, status, detail);
    }
    if (isDatabaseUnavailable(error)) {
      // Not a fault of the request nor of the code: the client should come back, and the pool reconnects by itself.
      deps.logger.warn(
        { method: c.req.method, path: c.req.path, code: pgErrorCode(error) ?? (error as { code?: string }).code },
        "database unavailable",
      );
      c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
      return problem(c, 503, "The database is unavailable at the moment; nothing was stored. Try again shortly.");
    }
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, "unhandled error");
    return problem(c, 500, "Something went wrong on our side; it has been logged.");
  });

  return app;
}
