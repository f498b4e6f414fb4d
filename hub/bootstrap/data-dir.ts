// The embedded default's data folder: created on first start, private to the hub's user.
import { mkdir } from "node:fs/promises";
import { StartupError } from "./startup-error";

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file of that name is in the way",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  ENAMETOOLONG: "the path is too long",
};

/**
 * Creates the folder and its missing parents with mode 0700: it holds the database and the admin key. A folder that
 * is already there keeps its mode; the person who made it chose it.
 */
export async function ensureDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new StartupError(
      `HUB_DATA_DIR: cannot create ${dir}: ${REASONS[code] ?? (error as Error).message} (${code || "error"})`,
    );
  }
}
