/**
 * The one source of time for handlers, deadlines, Wait states and task timeouts.
 *
 * In AWS it is the system clock. The local runtime installs its own clock (real, scaled or
 * manual) with {@link useClock}, so the very same handler code runs on skipped time in tests.
 */
export interface Clock {
  /** Milliseconds since the epoch, on this clock. */
  nowMs(): number;
  /** The current time, on this clock. */
  now(): Date;
  /**
   * Resolves once this clock reaches `dueMs` (at once if it has). Optional: without it,
   * {@link waitUntil} waits in real time. The local runtime supplies one that waits on its
   * own clock, so a manual clock's advance moves such a wait along too.
   */
  waitUntil?(dueMs: number): Promise<void>;
}

/** The system clock: what every handler uses in AWS. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  now: () => new Date(),
};

let installed: Clock = systemClock;

/**
 * The clock handlers read. It delegates to whichever clock is installed at the moment of
 * the call, so modules may capture it at load time, before the local runtime installs its own.
 */
export const clock: Clock = {
  nowMs: () => installed.nowMs(),
  now: () => new Date(installed.nowMs()),
  waitUntil: (dueMs) => waitUntil(installed, dueMs),
};

/** Resolves once `source` reaches `dueMs`: on its own wait if it has one, else in real time. */
export function waitUntil(source: Clock, dueMs: number): Promise<void> {
  if (source.waitUntil) return source.waitUntil(dueMs);
  const delay = dueMs - source.nowMs();
  return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
}

/** Installs the clock every later read of {@link clock} sees. Returns the previous one. */
export function useClock(next: Clock): Clock {
  const previous = installed;
  installed = next;
  return previous;
}

/** ISO-8601 text of the current time on the given clock. */
export function isoNow(source: Clock = clock): string {
  return source.now().toISOString();
}
