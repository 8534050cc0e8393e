import type { RunOptions } from 'aws-local-stepfunctions';
import type { ActivityTracker } from '../activity';
import type { LocalClock, TimerHandle } from '../clock/local-clock';
import { engineContext, type ExecutionContext } from './context-object';
import { EventLogRecorder } from './event-log-recorder';
import { ExecutionActivity } from './execution-activity';
import type { HandlerDeps } from './handler-deps';
import { ExecutionHistory } from './history';
import type { RegisteredStateMachine } from './registered-state-machine';
import { createTaskHandler } from './task-handler';
import { ExecutionStoppedError, STATES_TIMEOUT } from './task-failure';
import type { TaskTokens } from './task-tokens';
import type { ExecutionStatus, LambdaInvoker } from './types';
import { createWaitHandler } from './wait-handler';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** What every execution of the service shares. */
export interface ExecutionDeps {
  readonly clock: LocalClock;
  readonly activity: ActivityTracker;
  readonly invokeLambda: LambdaInvoker;
  readonly tokens: TaskTokens;
  readonly region: string;
}

/** How an execution ended, as DescribeExecution reports it. */
interface Ending {
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * One execution: runs the rewritten definition on `aws-local-stepfunctions` with our Task and
 * Wait handlers, keeps its status and its AWS-shaped history, and ends on success, failure,
 * StopExecution, or the state machine's TimeoutSeconds on the stack's clock.
 */
export class LocalExecution {
  readonly startDateMs: number;
  readonly history: ExecutionHistory;
  /** Resolves once the execution has ended and its history is complete. */
  readonly finished: Promise<void>;
  private ending: (Ending & { readonly stopDateMs: number }) | undefined;
  private readonly abortController = new AbortController();
  private readonly activity: ExecutionActivity;
  private timeoutTimer: TimerHandle | undefined;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly machine: RegisteredStateMachine,
    /** The input as given to StartExecution (JSON text). */
    readonly input: string,
    private readonly deps: ExecutionDeps,
  ) {
    this.startDateMs = deps.clock.nowMs();
    this.history = new ExecutionHistory(() => deps.clock.nowMs());
    this.activity = new ExecutionActivity(deps.activity);
    this.history.add('ExecutionStarted', {
      executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: machine.roleArn },
    });
    this.finished = this.run().catch((error: unknown) => {
      // A bug of ours, not of the workflow: end the execution visibly rather than leave it running.
      this.end({ status: 'FAILED', error: 'States.Runtime', cause: `local Step Functions service error: ${(error as Error).message}` });
      this.activity.finish();
    });
  }

  get status(): ExecutionStatus {
    return this.ending?.status ?? 'RUNNING';
  }

  get stopDateMs(): number | undefined {
    return this.ending?.stopDateMs;
  }

  get output(): string | undefined {
    return this.ending?.output;
  }

  get error(): string | undefined {
    return this.ending?.error;
  }

  get cause(): string | undefined {
    return this.ending?.cause;
  }

  /**
   * Ends a running execution as ABORTED (StopExecution, service shutdown) or TIMED_OUT: its
   * tokens are closed at once (a callback now answers TaskTimedOut), its tasks stop waiting
   * and their clock timers are cancelled.
   */
  stop(status: 'ABORTED' | 'TIMED_OUT', error?: string, cause?: string): void {
    if (this.ending) return;
    // Busy (synchronously, also when called from a clock timer) until the run has unwound.
    this.activity.ending();
    this.end({ status, ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) });
    this.abortController.abort(new ExecutionStoppedError(`the execution was ${status === 'ABORTED' ? 'stopped' : 'timed out'}`));
  }

  private async run(): Promise<void> {
    const context = this.contextObject();
    const deps: HandlerDeps = {
      clock: this.deps.clock,
      invokeLambda: this.deps.invokeLambda,
      tokens: this.deps.tokens,
      history: this.history,
      activity: this.activity,
      executionArn: this.arn,
      region: this.deps.region,
      context,
      signal: this.abortController.signal,
    };
    const { rewritten } = this.machine;
    const handlers: LocalHandlers = {};
    for (const state of rewritten.handled.values()) {
      const handler = state.kind === 'wait' ? createWaitHandler(state, deps) : createTaskHandler(state, deps);
      handlers[state.name] = handler as LocalHandlers[string];
    }
    // Parallel and Map retries stay with the library, without its real-time pause.
    const retryIntervalOverrides = Object.fromEntries(rewritten.libraryRetriedStates.map((name) => [name, 0]));
    const timeoutSeconds = rewritten.timeoutSeconds;
    if (timeoutSeconds !== undefined) {
      this.timeoutTimer = this.deps.clock.schedule(this.startDateMs + timeoutSeconds * 1000, () =>
        this.stop('TIMED_OUT', STATES_TIMEOUT, `the execution ran longer than the state machine's TimeoutSeconds (${timeoutSeconds})`),
      );
    }

    const recorder = new EventLogRecorder(this.history, rewritten);
    const run = this.machine.engine.run(JSON.parse(this.input) as never, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
      context: engineContext(context) as RunOptions['context'],
      noThrowOnAbort: true,
    });
    this.abortController.signal.addEventListener('abort', () => run.abort(), { once: true });
    const recording = recorder.record(run.eventLogs);
    let outcome: { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: unknown };
    try {
      outcome = { ok: true, output: await run.result };
    } catch (error) {
      outcome = { ok: false, error };
    }
    try {
      // The log ends with the run (success, failure or abort): the history then has every state event.
      await recording;
      if (outcome.ok) this.end({ status: 'SUCCEEDED', output: JSON.stringify(outcome.output ?? null) });
      else this.end({ status: 'FAILED', ...this.failureOf(outcome.error, recorder) });
    } finally {
      this.timeoutTimer?.cancel();
      this.deps.tokens.closeExecution(this.arn);
      this.activity.finish();
    }
  }

  /** Records the ending (the first one wins) and closes the history with its event. */
  private end(ending: Ending): void {
    if (this.ending) return;
    this.ending = { ...ending, stopDateMs: this.deps.clock.nowMs() };
    this.deps.tokens.closeExecution(this.arn);
    const errorDetails = { ...(ending.error === undefined ? {} : { error: ending.error }), ...(ending.cause === undefined ? {} : { cause: ending.cause }) };
    switch (ending.status) {
      case 'SUCCEEDED':
        this.history.close('ExecutionSucceeded', { executionSucceededEventDetails: { output: ending.output, outputDetails: { truncated: false } } });
        break;
      case 'FAILED':
        this.history.close('ExecutionFailed', { executionFailedEventDetails: errorDetails });
        break;
      case 'ABORTED':
        this.history.close('ExecutionAborted', { executionAbortedEventDetails: errorDetails });
        break;
      case 'TIMED_OUT':
        this.history.close('ExecutionTimedOut', { executionTimedOutEventDetails: errorDetails });
        break;
    }
  }

  /**
   * Error and cause of a failed run. The library wraps the state's error in an ExecutionError;
   * a Fail state without Error (or Cause) reports none, where the library invents a name and a text.
   */
  private failureOf(error: unknown, recorder: EventLogRecorder): { error?: string; cause?: string } {
    const wrapped = (error as { cause?: unknown } | undefined)?.cause;
    const failure = wrapped instanceof Error ? wrapped : error instanceof Error ? error : new Error(String(error));
    const failStateName = failure.constructor.name === 'FailStateError' ? recorder.lastFailState : undefined;
    const failState = failStateName === undefined ? undefined : this.machine.rewritten.failStates.get(failStateName);
    if (!failState) return { error: failure.name, cause: failure.message };
    return {
      ...(failState.Error !== undefined || failState.ErrorPath !== undefined ? { error: failure.name } : {}),
      ...(failState.Cause !== undefined || failState.CausePath !== undefined ? { cause: failure.message } : {}),
    };
  }

  private contextObject(): ExecutionContext {
    return {
      Execution: {
        Id: this.arn,
        Input: JSON.parse(this.input) as unknown,
        Name: this.name,
        RoleArn: this.machine.roleArn,
        StartTime: new Date(this.startDateMs).toISOString(),
        RedriveCount: 0,
      },
      StateMachine: { Id: this.machine.arn, Name: this.machine.name },
    };
  }
}
