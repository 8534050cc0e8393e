/** What a Task state's `Resource` asks for, among the kinds the local service runs. */
export type TaskResource =
  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: Parameters carry FunctionName and Payload. */
  | { readonly kind: 'lambda-invoke'; readonly waitForTaskToken: boolean }
  /** A Lambda function ARN as the Resource: the effective input is the event, the result is the output. */
  | { readonly kind: 'lambda-function'; readonly functionArn: string };

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9$_-]{1,128})?$/;

/** Reads a Task's Resource; throws a message naming the state for anything not supported locally. */
export function parseTaskResource(stateName: string, resource: unknown): TaskResource {
  if (resource === LAMBDA_INVOKE) return { kind: 'lambda-invoke', waitForTaskToken: false };
  if (resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN) return { kind: 'lambda-invoke', waitForTaskToken: true };
  if (typeof resource === 'string' && LAMBDA_FUNCTION_ARN.test(resource)) return { kind: 'lambda-function', functionArn: resource };
  throw new Error(
    `state "${stateName}": Resource ${JSON.stringify(resource)} is not supported by the local Step Functions service ` +
      `(supported: ${LAMBDA_INVOKE}, ${LAMBDA_INVOKE_WAIT_FOR_TOKEN}, and Lambda function ARNs)`,
  );
}
