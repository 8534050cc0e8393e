import type { LocalClock } from '../clock/local-clock';
import type { TaskActivity } from './execution-activity';
import { ExecutionStoppedError } from './task-failure';

/** The error a task's wait ends with when its execution stops. */
export function stoppedError(signal: AbortSignal): ExecutionStoppedError {
  return signal.reason instanceof ExecutionStoppedError ? signal.reason : new ExecutionStoppedError('the execution stopped');
}

/** Throws if the execution has stopped. */
export function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw stoppedError(signal);
}

/**
 * Parks a task until the clock reaches `dueMs` (no wait at all if it already has), waking it
 * synchronously in the timer. Rejects with {@link ExecutionStoppedError} if the execution stops.
 */
export function sleepOnClock(clock: LocalClock, dueMs: number, task: TaskActivity, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(stoppedError(signal));
  if (dueMs <= clock.nowMs()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onStop = (): void => {
      timer.cancel();
      task.wake();
      reject(stoppedError(signal));
    };
    const timer = clock.schedule(dueMs, () => {
      signal.removeEventListener('abort', onStop);
      task.wake();
      resolve();
    });
    signal.addEventListener('abort', onStop, { once: true });
    task.park();
  });
}
