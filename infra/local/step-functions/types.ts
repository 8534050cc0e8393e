/**
 * Invokes a Lambda function by name or ARN with a JSON payload and resolves with its JSON
 * result. A function error rejects with an error whose `name` is the function's errorType.
 */
export type LambdaInvoker = (functionNameOrArn: string, payload: unknown) => Promise<unknown>;
