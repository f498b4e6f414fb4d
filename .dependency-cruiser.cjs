// The import rules of docs/architecture.md, checked in CI (npm run deps:check). A rule here is the only place the
// layout is enforced: a reviewer does not have to remember it.

/** Domains: code outside one imports only its front door, index.ts. */
const DOMAINS = [
  "hub/inquiries",
  "hub/bookings",
  "hub/clients",
  "hub/sla",
  "hub/conversations",
  "hub/staff",
  "hub/pipeline",
  "hub/matching",
  "hub/templates",
  "hub/timeline",
  "payments",
  "channels/partner",
  "channels/phone",
  "channels/telegram",
  "channels/web-form",
  "channels/whatsapp",
];

/** Shared building blocks: they import no domain, no channel, no bot and no HTTP code. */
const CORE = ["hub/core"];

const escaped = (path) => path.replace(/[/.-]/g, (c) => (c === "/" ? "/" : `\\${c}`));

module.exports = {
  forbidden: [
    {
      name: "thin-routes",
      comment: "A route parses, calls one domain function and shapes the answer: no SQL, no tables.",
      severity: "error",
      from: { path: "^hub/http/routes/" },
      to: { path: ["^node_modules/drizzle-orm", "^db/"] },
    },
    {
      name: "thin-console",
      comment: "The console is a face like the routes: it calls domain functions and shapes pages; no SQL, no tables.",
      severity: "error",
      from: { path: "^hub/console/" },
      // db/errors.ts classifies a failure (the database is away), as the HTTP error mapping does; it reads no table.
      to: {
        path: ["^node_modules/drizzle-orm", "^db/"],
        pathNot: "^db/errors\\.ts$",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "core-imports-no-domain",
      comment: "The core is what every domain builds on; it cannot depend on one.",
      severity: "error",
      from: { path: CORE.map((c) => `^${c}`) },
      to: {
        path: ["^hub/", "^payments/", "^channels/", "^bots/"],
        pathNot: CORE.map((c) => `^${c}`),
      },
    },
    {
      name: "bots-use-domains",
      comment: "A bot is a face: it calls domain functions and never reads or writes a table.",
      severity: "error",
      from: { path: "^bots/" },
      // A type (a message kind) names a shape, not a table access.
      to: { path: ["^node_modules/drizzle-orm", "^db/schema"], dependencyTypesNot: ["type-only"] },
    },
    ...DOMAINS.map((domain) => ({
      name: `front-door:${domain}`,
      comment: `Outside ${domain}, import only ${domain}/index.ts.`,
      severity: "error",
      from: { pathNot: `^${escaped(domain)}/` },
      to: { path: `^${escaped(domain)}/`, pathNot: `^${escaped(domain)}/index\\.ts$` },
    })),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^test/", "^node_modules/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
