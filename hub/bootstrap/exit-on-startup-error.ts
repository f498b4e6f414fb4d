// How a process started from the command line reports a setting or a folder it cannot use: its words, exit code 1.
import { EnvError } from "../env";
import { StartupError } from "./startup-error";

/** Runs a start-up step; a known start-up problem ends the process with its message and no stack trace. */
export async function orExit<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof EnvError) process.stderr.write(`${error.message}\nFix the settings above and start again.\n`);
    else if (error instanceof StartupError) process.stderr.write(`${error.message}\n`);
    else throw error;
    process.exit(1);
  }
}
