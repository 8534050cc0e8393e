/**
 * Invokes a Lambda function, named by ARN or name as a state machine wrote it, with a JSON
 * payload, and resolves with its JSON result. A function error rejects with an error whose
 * `name` is the function's error type (what ASL `Catch` and `Retry` match on).
 */
export type LambdaInvoker = (functionArn: string, payload: unknown) => Promise<unknown>;

/** The status of an execution, as DescribeExecution and ListExecutions answer it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Every status, for request validation. */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
