/**
 * The `TimeoutSecondsPath` for a wait that must end at `untilMs`. Step Functions counts
 * timeouts in whole seconds (at least 1) from when the task starts; rounding up would end
 * every wait up to a second late, so this rounds down: the wait ends at or just before the
 * moment, and RecordDeadline waits out the rest ({@link untilIso} tells it exactly when).
 */
export function timeoutSecondsUntil(untilMs: number, nowMs: number): number {
  return Math.max(1, Math.floor((untilMs - nowMs) / 1000));
}

/** The exact moment a wait is about, as the plan hands it to RecordDeadline. */
export const untilIso = (untilMs: number): string => new Date(untilMs).toISOString();
