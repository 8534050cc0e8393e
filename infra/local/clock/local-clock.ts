import type { Clock } from '@shared/clock';

/** A pending call on a clock; cancelling it after it fired does nothing. */
export interface TimerHandle {
  cancel(): void;
}

export type ClockMode = 'real' | 'scaled' | 'manual';

/**
 * The clock of the local runtime: what handlers read, and what Wait states, task timeouts
 * and deadlines wait on. Timers of any length fire on this clock, never early.
 */
export interface LocalClock extends Clock {
  readonly mode: ClockMode;
  /** Calls `fire` once this clock reaches `dueMs` (soon after, if it already has). */
  schedule(dueMs: number, fire: () => void): TimerHandle;
  /** Resolves when this clock reaches `dueMs`; rejects with the signal's reason on abort. */
  sleepUntil(dueMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Manual clock only: where the advance in progress stops. Periodic jobs use it to run once
   * per jump instead of once per missed period (30 days of a 1-minute schedule).
   */
  advanceTargetMs?(): number | undefined;
  /** Cancels every pending timer (at shutdown). */
  dispose(): void;
}

/** Node's setTimeout fires at once for delays past this (about 24.8 days), so longer waits are chained. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Shared implementation of {@link LocalClock.sleepUntil} over `schedule`. */
export function sleepUntilOn(clock: LocalClock, dueMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.schedule(dueMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
