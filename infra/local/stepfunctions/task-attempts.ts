import { withTaskToken, type TaskContext } from './context-object';
import type { TaskActivity } from './execution-activity';
import type { HandlerDeps } from './handler-deps';
import { invokeFunction, lambdaInvokeResult, lambdaRequest } from './lambda-calls';
import type { HandledTask } from './rewrite-definition';
import { TaskDeadlines, type TaskLimits } from './task-deadlines';
import { TaskFailure } from './task-failure';
import { LambdaFunctionEvents, TaskEvents } from './task-history-events';
import { taskLimits } from './task-input';
import type { TaskOutcome } from './task-tokens';

/** One attempt at a Task: its evaluated Parameters, its effective input, its context. */
export interface AttemptInput {
  readonly state: HandledTask;
  readonly parameters: unknown;
  readonly stateInput: unknown;
  readonly context: TaskContext;
  readonly task: TaskActivity;
}

/** Runs one attempt of a Task, whatever its Resource; resolves with the task's result. */
export function runAttempt(attempt: AttemptInput, deps: HandlerDeps): Promise<unknown> {
  const { resource } = attempt.state;
  if (resource.kind === 'lambda-function') return runLambdaFunction(attempt, resource.functionArn, deps);
  return resource.waitForTaskToken ? runCallbackTask(attempt, deps) : runLambdaInvoke(attempt, deps);
}

/** `arn:aws:states:::lambda:invoke`: the function's result, shaped as AWS answers it. */
async function runLambdaInvoke(attempt: AttemptInput, deps: HandlerDeps): Promise<unknown> {
  const limits = taskLimits(attempt.state.original, attempt.stateInput, attempt.context);
  const request = lambdaRequest(attempt.parameters);
  const events = new TaskEvents(deps.history, 'invoke');
  events.scheduled(attempt.parameters, deps.region, limits);
  events.started();
  const deadlines = new TaskDeadlines(deps.clock, attempt.task, deps.signal, withoutHeartbeat(limits), attempt.state.heartbeatErrorName);
  try {
    const payload = await deadlines.race(invokeFunction(deps.invokeLambda, request.functionName, request.payload));
    const result = lambdaInvokeResult(payload, deps.clock.now());
    events.succeeded(result);
    return result;
  } catch (error) {
    if (error instanceof TaskFailure) events.failed(error);
    throw error;
  } finally {
    deadlines.dispose();
  }
}

/**
 * `arn:aws:states:::lambda:invoke.waitForTaskToken`: issues a token, puts it where the
 * definition referenced `$$.Task.Token`, invokes the function (its result is ignored, its error
 * fails the task), then parks until SendTaskSuccess / SendTaskFailure, a timeout, or a stop.
 */
async function runCallbackTask(attempt: AttemptInput, deps: HandlerDeps): Promise<unknown> {
  const limits = taskLimits(attempt.state.original, attempt.stateInput, attempt.context);
  const events = new TaskEvents(deps.history, 'invoke.waitForTaskToken');
  const deadlines = new TaskDeadlines(deps.clock, attempt.task, deps.signal, limits, attempt.state.heartbeatErrorName);
  let outcome: TaskOutcome | undefined;
  let receive: (outcome: TaskOutcome) => void = () => undefined;
  const callback = new Promise<TaskOutcome>((resolve) => {
    receive = resolve;
  });
  const token = deps.tokens.issue(deps.executionArn, {
    deliver: (delivered) => {
      // Busy again before the task's promise resolves (the runtime's clock advance waits on this).
      attempt.task.wake();
      outcome = delivered;
      receive(delivered);
    },
    heartbeat: () => deadlines.restartHeartbeat(),
  });
  try {
    const parameters = withTaskToken(attempt.parameters, token);
    const request = lambdaRequest(parameters);
    events.scheduled(parameters, deps.region, limits);
    events.started();
    try {
      const payload = await deadlines.race(invokeFunction(deps.invokeLambda, request.functionName, request.payload));
      events.submitted(lambdaInvokeResult(payload, deps.clock.now()));
    } catch (error) {
      // A function that already called back and then failed: the callback stands.
      if (!(outcome && error instanceof TaskFailure && error.kind === 'error')) throw error;
    }
    if (!outcome) attempt.task.park();
    const delivered = await deadlines.race(callback);
    if (delivered.kind === 'failure') throw new TaskFailure(delivered.error, delivered.cause);
    events.succeeded(delivered.output);
    return delivered.output;
  } catch (error) {
    if (error instanceof TaskFailure) events.failed(error);
    throw error;
  } finally {
    deadlines.dispose();
    deps.tokens.close(token);
  }
}

/** A Lambda function ARN as the Resource: the effective input (or Parameters) is the event, its result the output. */
async function runLambdaFunction(attempt: AttemptInput, functionArn: string, deps: HandlerDeps): Promise<unknown> {
  const limits = taskLimits(attempt.state.original, attempt.stateInput, attempt.context);
  const events = new LambdaFunctionEvents(deps.history, functionArn);
  events.scheduled(attempt.parameters, limits);
  events.started();
  const deadlines = new TaskDeadlines(deps.clock, attempt.task, deps.signal, withoutHeartbeat(limits), attempt.state.heartbeatErrorName);
  try {
    const output = await deadlines.race(invokeFunction(deps.invokeLambda, functionArn, attempt.parameters));
    events.succeeded(output);
    return output;
  } catch (error) {
    if (error instanceof TaskFailure) events.failed(error);
    throw error;
  } finally {
    deadlines.dispose();
  }
}

/** A request-response call cannot send heartbeats, so HeartbeatSeconds only limits callback tasks. */
function withoutHeartbeat(limits: TaskLimits): TaskLimits {
  return limits.timeoutSeconds === undefined ? {} : { timeoutSeconds: limits.timeoutSeconds };
}
