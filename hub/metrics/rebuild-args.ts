// `npm run metrics:rebuild [-- --from YYYY-MM-DD --to YYYY-MM-DD]`: its arguments, read as London dates.
import { parseArgs } from "node:util";
import { HubError, invalid } from "../core/errors";
import { parseApiDate } from "../core/time";

/** The asked range; an end left out is the history's (undefined here). Throws `invalid` naming the argument. */
export function rebuildArgs(argv: string[]): { from?: string; to?: string } {
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { from: { type: "string" }, to: { type: "string" } } }));
  } catch (error) {
    throw new HubError("invalid", `${(error as Error).message}; use --from YYYY-MM-DD --to YYYY-MM-DD`);
  }
  const date = (name: "from" | "to") => {
    const text = values[name];
    if (text === undefined) return undefined;
    const parsed = parseApiDate(text);
    if (!parsed) throw invalid(`--${name}`, `"${text}" is not a date (YYYY-MM-DD, a day that exists)`);
    return parsed;
  };
  const from = date("from");
  const to = date("to");
  if (from && to && from > to) throw invalid("--from", `${from} is after --to ${to}`);
  return { from, to };
}
