/**
 * An error of the Step Functions API, answered with its AWS name (`__type`) so SDK clients
 * raise the same exception classes as against AWS (`ExecutionAlreadyExists`, `TaskTimedOut`…).
 */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A task's failure inside an execution. Its `name` is the ASL error name that `Retry` and
 * `Catch` match on (`States.Timeout`, a Lambda's `errorType`, a SendTaskFailure `error`).
 */
export class TaskFailure extends Error {
  constructor(errorName: string, readonly causeText: string) {
    super(causeText);
    this.name = errorName;
  }
}

export const STATES_TIMEOUT = 'States.Timeout';
export const STATES_HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';
