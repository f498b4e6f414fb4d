// The whole schema, one file per domain; drizzle-kit generates the migrations from this.
export * from "./enums";
export * from "./partners";
export * from "./partner-notifications";
export * from "./users";
export * from "./clients";
export * from "./inquiries";
export * from "./sla-policies";
export * from "./webhook-events";
export * from "./events";
export * from "./jobs";
export * from "./tasks";
export * from "./audit-log";
export * from "./metrics";
export * from "./messages";
export * from "./templates";
export * from "./bots";
