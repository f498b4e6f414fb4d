// A throw-away PostgreSQL database beside the one a URL names: for test files and benchmarks that must not share rows.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "./client";

export interface ScratchOptions {
  prefix?: string;
  /**
   * A migrated database to copy (CREATE DATABASE ... TEMPLATE, about 0.1 s) instead of running the migrations
   * (about 1.5 s). Nobody may be connected to it while it is copied.
   */
  template?: string;
}

export async function openScratchDatabase(url: string, options: ScratchOptions = {}): Promise<DatabaseHandle> {
  const name = `${options.prefix ?? "hub_t"}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    options.template ? `create database ${name} template ${options.template}` : `create database ${name}`,
  );
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDatabase({ driver: "postgres", url: target.toString() });
  if (!options.template) await handle.migrate();
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
