// The first admin's key: ADMIN_API_KEY, or on the embedded default one generated at first start and kept in the data
// folder.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Env } from "../env";
import { generateApiKey } from "../auth/api-keys";
import { ensureDataDir } from "./data-dir";

export interface AdminKey {
  key: string;
  /** Where it came from; `generated` means this start made it, and it must be shown to the person once. */
  origin: "env" | "file" | "generated";
  file?: string;
}

export async function resolveAdminKey(env: Env): Promise<AdminKey> {
  if (env.ADMIN_API_KEY) return { key: env.ADMIN_API_KEY, origin: "env" };
  const file = join(env.HUB_DATA_DIR, "admin-api-key");
  try {
    return { key: (await readFile(file, "utf8")).trim(), origin: "file", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = generateApiKey();
  await ensureDataDir(env.HUB_DATA_DIR);
  // "wx": if two starts race, the second fails here rather than overwriting the key the first one printed.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  return { key, origin: "generated", file };
}
