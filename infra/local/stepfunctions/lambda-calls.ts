import { randomUUID } from 'node:crypto';
import { lambdaFailure, STATES_RUNTIME, TaskFailure } from './task-failure';
import type { LambdaInvoker } from './types';

/** FunctionName and Payload of a `lambda:invoke` task's evaluated Parameters. */
export interface LambdaRequest {
  readonly functionName: string;
  readonly payload: unknown;
}

/** Reads a `lambda:invoke` request; without a FunctionName the task fails with States.Runtime. */
export function lambdaRequest(parameters: unknown): LambdaRequest {
  const { FunctionName: functionName, Payload: payload } = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
  if (typeof functionName !== 'string' || functionName.length === 0) {
    throw new TaskFailure(STATES_RUNTIME, 'the Parameters of a lambda:invoke task must give FunctionName as a string', 'runtime');
  }
  // Without a Payload the function gets an empty event.
  return { functionName, payload: payload ?? {} };
}

/**
 * Invokes a function and resolves with its result as JSON (what went over the wire in AWS).
 * A function error rejects with a {@link TaskFailure} named after the error's type.
 */
export async function invokeFunction(invokeLambda: LambdaInvoker, functionName: string, payload: unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = await invokeLambda(functionName, payload);
  } catch (error) {
    throw lambdaFailure(error);
  }
  return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
}

/** The result of a `lambda:invoke` task, shaped as AWS answers it (the function's result in Payload). */
export function lambdaInvokeResult(payload: unknown, date: Date): Record<string, unknown> {
  const requestId = randomUUID();
  const headers = {
    'Content-Type': 'application/json',
    Date: date.toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
