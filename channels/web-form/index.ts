// The web_form channel: the public enquiry form (GET) and its submissions (POST), guarded by Turnstile, a honeypot and
// a rate limit.
import { randomUUID } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { ChannelAdapter } from "../adapter";
import type { ChannelDeps } from "../deps";
import { londonDateTime } from "../../hub/http/views/inquiry";
import { problemResponses } from "../../hub/http/problem";
import { htmlPage, type PageSettings } from "./answer";
import { formPage } from "./pages";
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore } from "./rate-limit";
import { submitInquiry } from "./submit";
import { WebFormSubmissionSchema } from "./submission";

const PATH = "/forms/inquiry";
const TURNSTILE_TIMEOUT_MS = 5_000;

export function webFormChannel(deps: ChannelDeps): ChannelAdapter {
  const { env } = deps;
  const logger = deps.logger.child({ channel: "web_form" });
  const store = env.REDIS_URL
    ? new RedisRateLimitStore(env.REDIS_URL, env.REDIS_PREFIX, deps.now, logger)
    : new MemoryRateLimitStore(deps.now);
  const limiter = new RateLimiter(
    store,
    env.WEB_FORM_RATE_LIMIT_MAX,
    env.WEB_FORM_RATE_LIMIT_WINDOW_SECONDS * 1000,
    deps.now,
    logger,
  );
  // Origins as the browser sends them (no path, no trailing slash), whatever way they were written in the setting.
  const origins = env.WEB_FORM_ALLOWED_ORIGINS.map((o) => new URL(o).origin);
  const pages: PageSettings = { siteKey: env.TURNSTILE_SITE_KEY, frameAncestors: origins };
  const turnstile = env.TURNSTILE_SECRET_KEY
    ? {
        secret: env.TURNSTILE_SECRET_KEY,
        verifyUrl: env.TURNSTILE_VERIFY_URL,
        timeoutMs: deps.outside?.turnstileTimeoutMs ?? TURNSTILE_TIMEOUT_MS,
      }
    : undefined;

  return {
    source: "web_form",
    // Turnstile off is a choice (a local run), not a fault: it is said in the mode, not as a warning.
    status: () => ({
      connected: true,
      mode: `${turnstile ? "Turnstile on" : "Turnstile OFF"}, rate limit in ${limiter.kind}`,
      warnings: [],
    }),
    mount(app) {
      app.use(
        PATH,
        cors({
          origin: (origin) => (origins.includes(origin) ? origin : null),
          allowMethods: ["GET", "POST", "OPTIONS"],
          allowHeaders: ["Content-Type", "Idempotency-Key"],
          exposeHeaders: ["Retry-After"],
          maxAge: 600,
        }),
      );
      app.get(PATH, (c) =>
        htmlPage(
          c,
          formPage({ values: {}, errors: [], submissionId: randomUUID(), siteKey: pages.siteKey }),
          200,
          pages,
          Boolean(pages.siteKey),
        ),
      );
      app.post(
        PATH,
        submitInquiry({
          pipeline: { db: deps.db, now: deps.now, wake: deps.wake, observe: deps.observe },
          logger,
          limiter,
          turnstile,
          trustProxyHops: env.TRUST_PROXY_HOPS,
          pages,
        }),
      );
      // Documented, but served by the handler above: it answers HTML or JSON, and counts even malformed posts.
      app.openAPIRegistry.registerPath(submitRoute);
      app.openAPIRegistry.registerPath(formRoute);
    },
    async start() {
      if (!turnstile)
        logger.warn(
          "web form: TURNSTILE_SECRET_KEY is not set, so the Turnstile check is OFF; set it before going live",
        );
      logger.info(
        {
          rateLimit: `${env.WEB_FORM_RATE_LIMIT_MAX} per ${env.WEB_FORM_RATE_LIMIT_WINDOW_SECONDS} s`,
          store: limiter.kind,
          origins,
        },
        "web form ready",
      );
    },
    async stop() {
      await limiter.close();
    },
  };
}

const AnswerSchema = z
  .object({
    reference: z.string().openapi({ example: "INQ-1042" }),
    sla_deadline_at: londonDateTime,
    message: z.string().openapi({ description: "The acknowledgement to show the customer." }),
    submission_id: z.string(),
  })
  .openapi("WebFormAnswer");

const submitRoute = createRoute({
  method: "post",
  path: PATH,
  tags: ["Web form"],
  summary: "Send an enquiry from the website form (public)",
  description:
    "Rate-limited per client IP (429 with Retry-After), Turnstile-verified when the hub has a secret key (403 when " +
    "the check fails, 503 when Turnstile cannot be reached), deduplicated by submission_id. A browser posting the " +
    "form (form-encoded, Accept: text/html) gets HTML pages instead of JSON.",
  request: {
    headers: z.object({ "idempotency-key": z.string().max(128).optional() }),
    body: {
      required: true,
      content: {
        "application/json": { schema: WebFormSubmissionSchema },
        "application/x-www-form-urlencoded": { schema: WebFormSubmissionSchema },
      },
    },
  },
  responses: {
    201: {
      description: "Received",
      content: { "application/json": { schema: AnswerSchema }, "text/html": { schema: z.string() } },
    },
    200: {
      description: "The same submission again: the first answer",
      content: { "application/json": { schema: AnswerSchema } },
    },
    ...problemResponses(400, 403, 409, 413, 415, 429, 503),
  },
});

const formRoute = createRoute({
  method: "get",
  path: PATH,
  tags: ["Web form"],
  summary:
    "The enquiry form as an HTML page (works without JavaScript; Turnstile widget when TURNSTILE_SITE_KEY is set)",
  responses: { 200: { description: "The form", content: { "text/html": { schema: z.string() } } } },
});
