/**
 * An error of the Step Functions API. `code` is AWS's error name (`ExecutionAlreadyExists`,
 * `TaskTimedOut`, `InvalidToken`…); the HTTP server answers it as `__type`, so SDK clients
 * raise the same exception classes as they do against AWS.
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
