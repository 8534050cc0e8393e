import type { LocalClock, TimerHandle } from '../clock/local-clock';
import { stoppedError } from './clock-wait';
import type { TaskActivity } from './execution-activity';
import { TaskFailure } from './task-failure';

/** The limits of one task attempt, in seconds; absent means none. */
export interface TaskLimits {
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

/**
 * The timeout and heartbeat timers of one task attempt, on the stack's clock, and the stop of
 * its execution: {@link race} makes any work lose to whichever comes first. A timer that fires
 * wakes the task synchronously before failing it.
 */
export class TaskDeadlines {
  private readonly expired: Promise<never>;
  private fail: (error: Error) => void = () => undefined;
  private readonly timeoutTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private readonly onStop = (): void => this.expire(stoppedError(this.signal));

  constructor(
    private readonly clock: LocalClock,
    private readonly task: TaskActivity,
    private readonly signal: AbortSignal,
    private readonly limits: TaskLimits,
    private readonly heartbeatErrorName: string,
  ) {
    this.expired = new Promise<never>((_resolve, reject) => {
      this.fail = reject;
    });
    // Nobody may be racing at the moment a timer fires; the rejection is seen by the next race.
    this.expired.catch(() => undefined);
    const { timeoutSeconds } = limits;
    if (timeoutSeconds !== undefined) {
      this.timeoutTimer = clock.schedule(clock.nowMs() + timeoutSeconds * 1000, () =>
        this.expire(new TaskFailure('States.Timeout', `the task did not finish within ${timeoutSeconds} seconds`, 'timeout')),
      );
    }
    this.restartHeartbeat();
    if (signal.aborted) this.onStop();
    else signal.addEventListener('abort', this.onStop, { once: true });
  }

  /** Resolves or rejects as `work` does, unless a deadline passes or the execution stops first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  /** Starts the heartbeat interval over (SendTaskHeartbeat). */
  restartHeartbeat(): void {
    const { heartbeatSeconds } = this.limits;
    if (heartbeatSeconds === undefined) return;
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = this.clock.schedule(this.clock.nowMs() + heartbeatSeconds * 1000, () =>
      this.expire(new TaskFailure(this.heartbeatErrorName, `no heartbeat within ${heartbeatSeconds} seconds`, 'heartbeat')),
    );
  }

  /** Cancels the timers; call when the attempt is over. */
  dispose(): void {
    this.timeoutTimer?.cancel();
    this.heartbeatTimer?.cancel();
    this.signal.removeEventListener('abort', this.onStop);
  }

  private expire(error: Error): void {
    this.task.wake();
    this.fail(error);
  }
}
