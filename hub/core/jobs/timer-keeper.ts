// Keeps every timer's job in the queue. A timer's due time lives in the database (an inquiry's sla_deadline_at, a
// hold's hold_expires_at, an attempt's created_at), so whatever the queue lost is armed again from there: at start,
// as soon as the job driver says its store lost jobs (a Redis restarted without persistence), and every `sweepMs` as
// a safety net for a loss nothing announces. Arming is idempotent by job id: a timer still queued, running or done
// stays as it is, and one armed twice is one job. Each timer's handler decides from the database, so none acts twice.
// Each kind is a defineTimer() (hub/core/jobs/timer.ts) and a query for where its due time lives, given to its rearm().
import type { Logger } from "pino";
import type { JobDriver } from "./driver";

/** Arms again the timers of one kind that should exist; says how many it had to create, by name. */
export type Rearm = () => Promise<Record<string, number>>;

export interface TimerKeeperOptions {
  /** How often every timer is looked at, whatever the driver says (TIMER_SWEEP_SECONDS). */
  sweepMs: number;
  /** How soon a pass that failed (the queue down again) is tried again. */
  retryMs?: number;
}

const total = (armed: Record<string, number>) => Object.values(armed).reduce((a, b) => a + b, 0);

export class TimerKeeper {
  private chain: Promise<unknown> = Promise.resolve();
  private waiting?: Promise<Record<string, number>>;
  private sweepTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private running = false;
  private readonly retryMs: number;

  constructor(
    private readonly jobs: JobDriver,
    private readonly rearms: Rearm[],
    private readonly logger: Logger,
    private readonly options: TimerKeeperOptions,
  ) {
    this.retryMs = options.retryMs ?? 5000;
  }

  /** Arms every timer again before it returns (or, with the queue down, as soon as it answers), then keeps them. */
  async start(): Promise<void> {
    this.running = true;
    this.jobs.onJobsLost((reason) => void this.keep("lost", reason));
    await this.keep("start");
    this.sweepTimer = setInterval(() => void this.keep("sweep"), this.options.sweepMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweepTimer);
    clearTimeout(this.retryTimer);
    await this.chain;
  }

  /**
   * One pass over every kind of timer, after the pass under way: that one may have looked before a loss. Passes
   * asked for while one waits are that one.
   */
  rearm(): Promise<Record<string, number>> {
    this.waiting ??= this.chain.then(() => {
      this.waiting = undefined;
      return this.pass();
    });
    const next = this.waiting;
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async keep(why: "start" | "lost" | "sweep", reason?: string): Promise<void> {
    if (!this.running) return;
    try {
      const armed = await this.rearm();
      if (why === "lost")
        this.logger.warn({ reason, ...armed }, "the job queue lost its jobs: timers armed again from the database");
      else if (total(armed) > 0)
        this.logger.info(
          armed,
          why === "start" ? "timers armed again at start" : "timers missing from the job queue armed again",
        );
    } catch (error) {
      this.logger.warn({ err: error, retryMs: this.retryMs }, "arming timers again failed; tried again soon");
      clearTimeout(this.retryTimer);
      if (this.running) this.retryTimer = setTimeout(() => void this.keep(why, reason), this.retryMs);
    }
  }

  /** Every kind is tried even when one fails (its queue or its table), and the failure is then the caller's. */
  private async pass(): Promise<Record<string, number>> {
    const armed: Record<string, number> = {};
    const errors: unknown[] = [];
    for (const rearm of this.rearms) {
      try {
        Object.assign(armed, await rearm());
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `arming ${errors.length} kind(s) of timer again failed`);
    return armed;
  }
}
