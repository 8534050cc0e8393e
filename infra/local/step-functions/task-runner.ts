import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ActivityTracker } from '../activity';
import type { LocalClock, TimerHandle } from '../clock/local-clock';
import type { AslRetrier, AslState } from './asl';
import { BusyMarker } from './busy-marker';
import { TASK_TOKEN_PLACEHOLDER, type HandledState } from './definition-rewrite';
import { STATES_HEARTBEAT_TIMEOUT, STATES_TIMEOUT, TaskFailure } from './errors';
import type { ExecutionHistory } from './history';
import { readPath } from './json-path';
import type { TaskTokens, TokenOutcome } from './task-tokens';
import type { LambdaInvoker } from './types';

/** AWS's default task timeout when a Task sets none (99999999 s, about three years). */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

export interface TaskRunnerDeps {
  readonly clock: LocalClock;
  readonly activity: ActivityTracker;
  readonly invokeLambda: LambdaInvoker;
  readonly tokens: TaskTokens;
  readonly history: ExecutionHistory;
  readonly executionArn: string;
  readonly region: string;
  /** The context object (`$$`) of the execution. */
  readonly context: unknown;
  /** Aborted when the execution stops, times out or the service closes. */
  readonly signal: AbortSignal;
  /** Called as each task starts (the execution's start-up is busy until the first one). */
  readonly onTaskStart: () => void;
}

interface WrappedInput {
  readonly __parameters?: unknown;
  readonly __input: unknown;
}

/**
 * Does the work of an execution's Task and Wait states, on the stack's clock: invokes
 * Lambdas, issues task tokens and waits for their callbacks, enforces TimeoutSeconds(Path)
 * and HeartbeatSeconds(Path), sleeps Wait states and Retry intervals, and records the task
 * events of the history.
 */
export class TaskRunner {
  /** Per state: attempts per retrier, and the pause owed before the next attempt. */
  private readonly retries = new Map<string, { attempts: number[]; pauseMs?: number }>();

  constructor(private readonly deps: TaskRunnerDeps) {}

  /** A fresh entry into a state starts its retry counts over, as each entry does in AWS. */
  stateEntered(name: string): void {
    this.retries.delete(name);
  }

  handlerFor(state: HandledState): (input: unknown) => Promise<unknown> {
    return async (input: unknown) => {
      const busy = new BusyMarker(this.deps.activity);
      this.deps.onTaskStart();
      try {
        // Let the library's StateEntered event reach the history before this task's events.
        await nextTurn();
        const { __parameters: parameters, __input: stateInput } = input as WrappedInput;
        await this.pauseBeforeRetry(state.name, busy);
        const enteredAtMs = this.deps.clock.nowMs();
        if (state.task.kind === 'wait') {
          await this.sleepUntil(waitDueMs(state.original, stateInput, this.deps.context, enteredAtMs), busy);
          return stateInput;
        }
        const result = await this.runTask(state, parameters ?? stateInput, stateInput, enteredAtMs, busy);
        this.retries.delete(state.name);
        return result;
      } catch (error) {
        if (error instanceof TaskFailure) this.noteFailure(state, error.name);
        throw error;
      } finally {
        busy.park();
      }
    };
  }

  private async runTask(state: HandledState, parameters: unknown, stateInput: unknown, enteredAtMs: number, busy: BusyMarker): Promise<unknown> {
    const original = state.original;
    const timeoutSeconds = positiveSeconds(original, 'TimeoutSeconds', stateInput, this.deps.context) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
    const heartbeatSeconds = positiveSeconds(original, 'HeartbeatSeconds', stateInput, this.deps.context);
    const deadlineMs = enteredAtMs + timeoutSeconds * 1000;

    if (state.task.kind === 'lambda-function') {
      const details = { resourceType: 'lambda', resource: state.task.functionArn };
      this.deps.history.add('LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: state.task.functionArn, input: JSON.stringify(parameters), timeoutInSeconds: timeoutSeconds },
      });
      this.deps.history.add('LambdaFunctionStarted');
      try {
        const output = await this.withDeadline(this.invoke(state.task.functionArn, parameters), deadlineMs, original, busy, false);
        this.deps.history.add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output) } });
        return output;
      } catch (error) {
        this.recordFailure('LambdaFunction', details, error);
        throw error;
      }
    }

    if (state.task.kind !== 'lambda-invoke') throw new Error(`state ${state.name} is not a task`);
    const waitForTaskToken = state.task.waitForTaskToken;
    const details = { resourceType: 'lambda', resource: waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke' };
    const request = parameters as { FunctionName?: unknown; Payload?: unknown };
    this.deps.history.add('TaskScheduled', {
      taskScheduledEventDetails: {
        ...details,
        region: this.deps.region,
        parameters: JSON.stringify(parameters),
        timeoutInSeconds: timeoutSeconds,
        ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
      },
    });
    this.deps.history.add('TaskStarted', { taskStartedEventDetails: details });
    if (typeof request.FunctionName !== 'string') {
      const failure = new TaskFailure('States.Runtime', 'Parameters.FunctionName must be a string');
      this.recordFailure('Task', details, failure);
      throw failure;
    }
    try {
      if (!waitForTaskToken) {
        const payload = await this.withDeadline(this.invoke(request.FunctionName, request.Payload), deadlineMs, original, busy, false);
        const output = { ExecutedVersion: '$LATEST', Payload: payload, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: {}, StatusCode: 200 };
        this.deps.history.add('TaskSucceeded', { taskSucceededEventDetails: { ...details, output: JSON.stringify(output) } });
        return output;
      }
      const output = await this.waitForCallback(request.FunctionName, request.Payload, details, deadlineMs, heartbeatSeconds, original, busy);
      this.deps.history.add('TaskSucceeded', { taskSucceededEventDetails: { ...details, output: JSON.stringify(output) } });
      return output;
    } catch (error) {
      this.recordFailure('Task', details, error);
      throw error;
    }
  }

  /** Issues a token, hands it to the Lambda, then waits (parked) for its callback or a timeout. */
  private async waitForCallback(
    functionName: string,
    payload: unknown,
    details: Record<string, string>,
    deadlineMs: number,
    heartbeatSeconds: number | undefined,
    original: AslState,
    busy: BusyMarker,
  ): Promise<unknown> {
    let deliver: (outcome: TokenOutcome) => void = () => undefined;
    let heartbeat: () => void = () => undefined;
    const outcome = new Promise<TokenOutcome>((resolve) => {
      deliver = (value) => {
        busy.resume();
        resolve(value);
      };
    });
    const token = this.deps.tokens.issue(this.deps.executionArn, (value) => deliver(value), () => heartbeat());
    try {
      const lambdaResult = await this.withDeadline(this.invoke(functionName, withToken(payload, token)), deadlineMs, original, busy, false);
      this.deps.history.add('TaskSubmitted', { taskSubmittedEventDetails: { ...details, output: JSON.stringify(lambdaResult ?? null) } });

      let heartbeatTimer: TimerHandle | undefined;
      let failHeartbeat: (error: TaskFailure) => void = () => undefined;
      const heartbeatMissed = new Promise<never>((_resolve, reject) => {
        failHeartbeat = reject;
      });
      heartbeatMissed.catch(() => undefined);
      const armHeartbeat = () => {
        if (heartbeatSeconds === undefined) return;
        heartbeatTimer?.cancel();
        heartbeatTimer = this.deps.clock.schedule(this.deps.clock.nowMs() + heartbeatSeconds * 1000, () => {
          busy.resume();
          failHeartbeat(new TaskFailure(heartbeatErrorName(original), `no heartbeat within ${heartbeatSeconds} s`));
        });
      };
      heartbeat = armHeartbeat;
      armHeartbeat();
      try {
        const result = await this.withDeadline(Promise.race([outcome, heartbeatMissed]), deadlineMs, original, busy, true);
        if (result.kind === 'failure') throw new TaskFailure(result.error, result.cause);
        return result.output;
      } finally {
        heartbeatTimer?.cancel();
      }
    } finally {
      this.deps.tokens.settle(token);
    }
  }

  /** Races `work` against the task deadline on the clock (and the execution's abort). */
  private withDeadline<T>(work: Promise<T>, deadlineMs: number, original: AslState, busy: BusyMarker, parked: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.deps.signal.reason);
      if (this.deps.signal.aborted) return onAbort();
      this.deps.signal.addEventListener('abort', onAbort, { once: true });
      const timer = this.deps.clock.schedule(deadlineMs, () => {
        busy.resume();
        reject(new TaskFailure(STATES_TIMEOUT, `task did not finish within its timeout (${describeTimeout(original)})`));
      });
      if (parked) busy.park();
      work.then(resolve, reject).finally(() => {
        timer.cancel();
        this.deps.signal.removeEventListener('abort', onAbort);
      });
    });
  }

  private async invoke(functionName: string, payload: unknown): Promise<unknown> {
    try {
      return await this.deps.invokeLambda(functionName, payload ?? {});
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const errorType = failure.name || 'Error';
      throw new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: failure.message, trace: [] }));
    }
  }

  private async sleepUntil(dueMs: number, busy: BusyMarker): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancel();
        reject(this.deps.signal.reason);
      };
      const timer = this.deps.clock.schedule(dueMs, () => {
        this.deps.signal.removeEventListener('abort', onAbort);
        busy.resume();
        resolve();
      });
      if (this.deps.signal.aborted) return onAbort();
      this.deps.signal.addEventListener('abort', onAbort, { once: true });
      busy.park();
    });
  }

  private async pauseBeforeRetry(name: string, busy: BusyMarker): Promise<void> {
    const retry = this.retries.get(name);
    if (!retry?.pauseMs) return;
    const pauseMs = retry.pauseMs;
    retry.pauseMs = undefined;
    await this.sleepUntil(this.deps.clock.nowMs() + pauseMs, busy);
  }

  /** Works out the pause AWS would make before the retry the library is about to do. */
  private noteFailure(state: HandledState, errorName: string): void {
    const retriers = state.original.Retry ?? [];
    const retry = this.retries.get(state.name) ?? { attempts: retriers.map(() => 0) };
    this.retries.set(state.name, retry);
    const index = retriers.findIndex((retrier) => retrier.ErrorEquals.includes(errorName) || retrier.ErrorEquals.includes('States.ALL'));
    const retrier: AslRetrier | undefined = retriers[index];
    if (!retrier || retry.attempts[index]! >= (retrier.MaxAttempts ?? 3)) return;
    const seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retry.attempts[index]!;
    retry.attempts[index]! += 1;
    retry.pauseMs = Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000;
  }

  private recordFailure(prefix: 'Task' | 'LambdaFunction', details: Record<string, string>, error: unknown): void {
    if (!(error instanceof TaskFailure)) return;
    const timedOut = error.name === STATES_TIMEOUT || error.name === STATES_HEARTBEAT_TIMEOUT;
    const type = `${prefix}${timedOut ? 'TimedOut' : 'Failed'}`;
    const key = `${prefix === 'Task' ? 'task' : 'lambdaFunction'}${timedOut ? 'TimedOut' : 'Failed'}EventDetails`;
    this.deps.history.add(type, { [key]: { ...(prefix === 'Task' ? details : {}), error: error.name, cause: error.causeText } });
  }
}

function withToken(payload: unknown, token: string): unknown {
  return JSON.parse(JSON.stringify(payload ?? {}).replaceAll(TASK_TOKEN_PLACEHOLDER, token)) as unknown;
}

/** TimeoutSeconds / HeartbeatSeconds, or their Path read from the state input: a positive integer. */
function positiveSeconds(state: AslState, field: 'TimeoutSeconds' | 'HeartbeatSeconds', input: unknown, context: unknown): number | undefined {
  const fixed = state[field];
  const path = state[`${field}Path`];
  if (fixed === undefined && path === undefined) return undefined;
  const value = fixed ?? readPath(path as string, input, context);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TaskFailure('States.Runtime', `${field}${fixed === undefined ? `Path ${path}` : ''} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function waitDueMs(state: AslState, input: unknown, context: unknown, enteredAtMs: number): number {
  const seconds = state.Seconds ?? (state.SecondsPath ? readPath(state.SecondsPath, input, context) : undefined);
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || seconds < 0) throw new TaskFailure('States.Runtime', `Wait seconds must be a number >= 0, got ${JSON.stringify(seconds)}`);
    return enteredAtMs + seconds * 1000;
  }
  const timestamp = state.Timestamp ?? (state.TimestampPath ? readPath(state.TimestampPath, input, context) : undefined);
  const dueMs = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(dueMs)) throw new TaskFailure('States.Runtime', `Wait timestamp must be an RFC 3339 time, got ${JSON.stringify(timestamp)}`);
  return dueMs;
}

/** A missed heartbeat is both States.HeartbeatTimeout and States.Timeout in AWS; use the name this state handles. */
function heartbeatErrorName(state: AslState): string {
  const rules = [...(state.Retry ?? []), ...(state.Catch ?? [])];
  return rules.some((rule) => rule.ErrorEquals.includes(STATES_HEARTBEAT_TIMEOUT)) ? STATES_HEARTBEAT_TIMEOUT : STATES_TIMEOUT;
}

function describeTimeout(state: AslState): string {
  return state.TimeoutSecondsPath ? `TimeoutSecondsPath ${state.TimeoutSecondsPath}` : `TimeoutSeconds ${state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS}`;
}
