import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Reports whether a part of the runtime has work waiting that has not started yet (e.g. queued messages). */
export type PendingWorkProbe = () => Promise<boolean>;

/** A unit of work counted as busy that can stand aside while it waits on the stack's clock. */
export interface ParkableWork {
  /** Stands aside; false when it already stood aside (then it is not woken for this wait either). */
  park(): boolean;
  wake(): void;
}

/**
 * The units of work the current code runs inside, innermost last: a handler called by a
 * Step Functions task runs inside that task and inside its own Lambda invocation.
 */
const enclosingWork = new AsyncLocalStorage<readonly ParkableWork[]>();

/** Runs `work` as part of `unit`, so that a clock wait inside it parks `unit` too. */
export function runWithin<T>(unit: ParkableWork, work: () => Promise<T>): Promise<T> {
  return enclosingWork.run([...(enclosingWork.getStore() ?? []), unit], work);
}

/**
 * Waits, on a timer `schedule` arms, with every enclosing unit of work parked: a manual
 * clock's advance sees the runtime quiet and fires the timer. The units wake synchronously
 * when it fires, before anything else can check whether the runtime settled.
 */
export function parkedUntil(schedule: (fire: () => void) => void): Promise<void> {
  const parked = (enclosingWork.getStore() ?? []).filter((unit) => unit.park());
  return new Promise((resolve) => {
    schedule(() => {
      for (const unit of parked) unit.wake();
      resolve();
    });
  });
}

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

  /** Runs `work` counted as busy until it settles (parked while it waits on the clock, see {@link parkedUntil}). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    let parked = false;
    const unit: ParkableWork = {
      park: () => {
        if (parked) return false;
        parked = true;
        this.busy -= 1;
        return true;
      },
      wake: () => {
        if (!parked) return;
        parked = false;
        this.busy += 1;
      },
    };
    this.busy += 1;
    try {
      return await runWithin(unit, work);
    } finally {
      unit.wake();
      this.busy -= 1;
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
