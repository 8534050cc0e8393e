import { setImmediate as nextTurn } from 'node:timers/promises';

/** Reports whether a part of the runtime has work waiting that has not started yet (e.g. queued messages). */
export type PendingWorkProbe = () => Promise<boolean>;

/**
 * Knows when the local runtime is quiet: no request, Lambda invocation or workflow step in
 * flight, and no probe reporting queued work. `POST /_local/clock/advance` waits on it after
 * each timer it fires, so its answer comes once the work the timers started has settled.
 */
export class ActivityTracker {
  private busy = 0;
  private readonly probes: PendingWorkProbe[] = [];

  /** Marks the start of a unit of work; call the returned function (once) when it ends. */
  begin(): () => void {
    this.busy += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.busy -= 1;
    };
  }

  /** Runs `work` counted as busy until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }

  addProbe(probe: PendingWorkProbe): void {
    this.probes.push(probe);
  }

  get busyCount(): number {
    return this.busy;
  }

  /**
   * Resolves once nothing is busy and no probe reports pending work, on two checks in a row
   * (work may hand over to other work across an event-loop turn). Polls every few
   * milliseconds of real time; rejects after `timeoutMs` so a stuck runtime is reported.
   */
  async settled(timeoutMs = 60_000): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      if (Date.now() > giveUpAt) {
        throw new Error(`local runtime did not settle within ${timeoutMs} ms (${this.busy} units of work in flight)`);
      }
      await nextTurn();
      if (this.busy === 0 && !(await this.anyPending()) && this.busy === 0) {
        quietChecks += 1;
      } else {
        quietChecks = 0;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  }

  private async anyPending(): Promise<boolean> {
    const answers = await Promise.all(this.probes.map((probe) => probe()));
    return answers.some(Boolean);
  }
}
