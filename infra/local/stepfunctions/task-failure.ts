/** Error names of the States language that the local service raises itself. */
export const STATES_TIMEOUT = 'States.Timeout';
export const STATES_HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';
export const STATES_RUNTIME = 'States.Runtime';
export const STATES_ALL = 'States.ALL';
export const STATES_TASK_FAILED = 'States.TaskFailed';

/**
 * How a task failed, which decides what `ErrorEquals` matches it: a timeout is not matched by
 * `States.TaskFailed`, a missed heartbeat is also a `States.Timeout`, and a runtime error
 * (a bad path, a bad TimeoutSecondsPath value) is matched by nothing, not even `States.ALL`.
 */
export type FailureKind = 'error' | 'timeout' | 'heartbeat' | 'runtime';

/**
 * A failed Task or Wait state. `name` is the ASL error name (`States.Timeout`, a Lambda's
 * error type, the `error` of SendTaskFailure) and `message` is the cause text: the library
 * builds a Catch's `{"Error", "Cause"}` output from exactly these two.
 */
export class TaskFailure extends Error {
  constructor(
    errorName: string,
    cause: string,
    readonly kind: FailureKind = 'error',
  ) {
    super(cause);
    this.name = errorName;
  }

  /** Read by the library: our handler already did the retries (on the clock), so it never retries. */
  get isRetryable(): boolean {
    return false;
  }

  /** Read by the library: runtime errors cannot be caught, as in AWS. */
  get isCatchable(): boolean {
    return this.kind !== 'runtime';
  }
}

/**
 * Ends the work of a task whose execution was stopped, timed out or closed. Neither caught
 * nor retried, so the library runs no further state of a stopped execution.
 */
export class ExecutionStoppedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ExecutionStopped';
  }

  get isRetryable(): boolean {
    return false;
  }

  get isCatchable(): boolean {
    return false;
  }
}

/** The error a Lambda function's failure becomes: its type as the name, AWS's JSON cause. */
export function lambdaFailure(error: unknown): TaskFailure {
  const errorType = error instanceof Error && error.name ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage }));
}
