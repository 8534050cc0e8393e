import { sleepUntilOn, type LocalClock, type TimerHandle } from './local-clock';

/** A move of the manual clock to a moment it has already passed. */
export class ClockBackwardsError extends Error {
  override readonly name = 'ClockBackwardsError';
}

interface PendingTimer {
  readonly dueMs: number;
  readonly order: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/**
 * Time that moves only when told (`--clock manual`), the way Temporal's test server skips
 * time: {@link ManualClock.advance} fires every timer that comes due, earliest first, and lets
 * the work each one starts settle before the next fires, so effects happen in time order.
 */
export class ManualClock implements LocalClock {
  readonly mode = 'manual' as const;
  private current: number;
  private pending: PendingTimer[] = [];
  private nextOrder = 0;
  private advancing: Promise<unknown> = Promise.resolve();
  private target: number | undefined;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  nowMs(): number {
    return this.current;
  }

  now(): Date {
    return new Date(this.current);
  }

  schedule(dueMs: number, fire: () => void): TimerHandle {
    const timer: PendingTimer = { dueMs, order: this.nextOrder++, fire, cancelled: false };
    if (dueMs <= this.current) {
      // Already due: fire on the next turn, as a zero-delay timer would.
      setImmediate(() => {
        if (!timer.cancelled) fire();
      });
    } else {
      this.pending.push(timer);
      this.pending.sort((a, b) => a.dueMs - b.dueMs || a.order - b.order);
    }
    return {
      cancel: () => {
        timer.cancelled = true;
        this.pending = this.pending.filter((t) => t !== timer);
      },
    };
  }

  sleepUntil(dueMs: number, signal?: AbortSignal): Promise<void> {
    return sleepUntilOn(this, dueMs, signal);
  }

  /** Where the advance in progress will stop, if one is in progress. */
  advanceTargetMs(): number | undefined {
    return this.target;
  }

  /** Due times of the timers still waiting, earliest first (for diagnostics and tests). */
  pendingDueTimes(): number[] {
    return this.pending.map((t) => t.dueMs);
  }

  /**
   * Moves time forward by `seconds`, firing due timers in order. After each firing, and once
   * more at the end, it awaits `settle` (the local runtime passes "all started work is done").
   * Concurrent calls run one after the other. Resolves with the new time.
   */
  advance(seconds: number, settle: () => Promise<void> = async () => {}): Promise<Date> {
    if (!Number.isFinite(seconds) || seconds < 0) {
      return Promise.reject(new RangeError(`seconds must be a finite number >= 0, got ${seconds}`));
    }
    return this.queueRun(() => this.current + seconds * 1000, settle);
  }

  /**
   * Moves time forward to `targetMs`, like {@link advance}: to a chosen moment (a Friday
   * evening, a holiday). Time never goes back: rejects with a {@link ClockBackwardsError} when
   * the clock is already past it.
   */
  advanceTo(targetMs: number, settle: () => Promise<void> = async () => {}): Promise<Date> {
    if (!Number.isFinite(targetMs)) return Promise.reject(new RangeError(`the target time must be finite, got ${targetMs}`));
    return this.queueRun(() => {
      if (targetMs < this.current) throw new ClockBackwardsError(`the clock only moves forward: it is at ${this.now().toISOString()}, after ${new Date(targetMs).toISOString()}`);
      return targetMs;
    }, settle);
  }

  /** Runs one move at a time, in call order; `targetOf` reads the clock when the move's turn comes. */
  private queueRun(targetOf: () => number, settle: () => Promise<void>): Promise<Date> {
    const run = async (): Promise<Date> => {
      const target = targetOf();
      this.target = target;
      try {
        return await this.fireUntil(target, settle);
      } finally {
        this.target = undefined;
      }
    };
    const result = this.advancing.then(run, run);
    this.advancing = result.catch(() => undefined);
    return result;
  }

  private async fireUntil(target: number, settle: () => Promise<void>): Promise<Date> {
    await settle();
    for (;;) {
      const next = this.pending[0];
      if (!next || next.dueMs > target) break;
      this.pending.shift();
      this.current = Math.max(this.current, next.dueMs);
      if (!next.cancelled) next.fire();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
    return this.now();
  }

  dispose(): void {
    for (const timer of this.pending) timer.cancelled = true;
    this.pending = [];
  }
}
