import type { StateMachine } from 'aws-local-stepfunctions';
import type { ActivityTracker } from '../activity';
import type { LocalClock, TimerHandle } from '../clock/local-clock';
import { TASK_TOKEN_PLACEHOLDER, type RewrittenDefinition } from './definition-rewrite';
import { ExecutionHistory } from './history';
import { TaskRunner } from './task-runner';
import type { TaskTokens } from './task-tokens';
import type { LambdaInvoker } from './types';

type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];
type EventLog = EventLogs extends AsyncGenerator<infer Event> ? Event : never;
type LocalHandlers = NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>['taskResourceLocalHandlers'];

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface RegisteredStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly roleArn: string;
  /** The definition as given (placeholders substituted), for DescribeStateMachine. */
  readonly definitionText: string;
  readonly rewritten: RewrittenDefinition;
  readonly engine: StateMachine;
  readonly timeoutSeconds?: number;
  readonly createdAtMs: number;
}

export interface ExecutionDeps {
  readonly clock: LocalClock;
  readonly activity: ActivityTracker;
  readonly invokeLambda: LambdaInvoker;
  readonly tokens: TaskTokens;
  readonly region: string;
}

/**
 * One execution: runs the rewritten definition on `aws-local-stepfunctions` with our task
 * handlers, keeps its status and its AWS-shaped history, and ends on success, failure, stop
 * or the state machine's TimeoutSeconds (on the clock).
 */
export class LocalExecution {
  status: ExecutionStatus = 'RUNNING';
  stopDateMs?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly startDateMs: number;
  readonly history: ExecutionHistory;
  /** Resolves once the execution has ended and its history is complete. */
  readonly finished: Promise<void>;
  private readonly abortController = new AbortController();
  private timeoutTimer?: TimerHandle;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly machine: RegisteredStateMachine,
    readonly input: string,
    private readonly deps: ExecutionDeps,
  ) {
    this.startDateMs = deps.clock.nowMs();
    this.history = new ExecutionHistory(() => deps.clock.nowMs());
    this.finished = this.run();
  }

  /** Ends a running execution as ABORTED (StopExecution) or TIMED_OUT. */
  stop(status: 'ABORTED' | 'TIMED_OUT', error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.end(status, { error, cause });
    this.history.add(status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut', {
      [status === 'ABORTED' ? 'executionAbortedEventDetails' : 'executionTimedOutEventDetails']: { error, cause },
    });
    this.abortController.abort(new Error(`execution ${status.toLowerCase()}`));
  }

  private async run(): Promise<void> {
    // Busy from the start until the first task takes over (or the execution ends without one).
    const endStartup = this.deps.activity.begin();
    const context = {
      Execution: { Id: this.arn, Name: this.name, RoleArn: this.machine.roleArn, StartTime: new Date(this.startDateMs).toISOString() },
      StateMachine: { Id: this.machine.arn, Name: this.machine.name },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    const runner = new TaskRunner({
      ...this.deps,
      history: this.history,
      executionArn: this.arn,
      context,
      signal: this.abortController.signal,
      onTaskStart: endStartup,
    });
    const handlers = Object.fromEntries(
      [...this.machine.rewritten.handled.values()].map((state) => [state.name, runner.handlerFor(state)]),
    ) as LocalHandlers;
    // Retry pauses are taken by our handlers on the clock; the library's own (real-time) pause is zero.
    const retryIntervalOverrides = Object.fromEntries(
      [...this.machine.rewritten.handled.values()].filter((state) => state.original.Retry).map((state) => [state.name, 0]),
    );
    if (this.machine.timeoutSeconds !== undefined) {
      this.timeoutTimer = this.deps.clock.schedule(this.startDateMs + this.machine.timeoutSeconds * 1000, () =>
        this.stop('TIMED_OUT', 'States.Timeout', `execution ran longer than ${this.machine.timeoutSeconds} s`),
      );
    }

    const execution = this.machine.engine.run(JSON.parse(this.input), {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
      context,
      noThrowOnAbort: true,
    });
    this.abortController.signal.addEventListener('abort', () => execution.abort(), { once: true });
    const recording = this.record(execution.eventLogs, runner);
    try {
      const output = await execution.result;
      if (this.status === 'RUNNING') this.end('SUCCEEDED', { output: JSON.stringify(output ?? null) });
    } catch (error) {
      if (this.status === 'RUNNING') {
        const failed = (error as { cause?: Error }).cause ?? (error as Error);
        this.end('FAILED', { error: failed.name, cause: failed.message });
      }
    } finally {
      endStartup();
      this.timeoutTimer?.cancel();
      this.deps.tokens.settleExecution(this.arn);
      await recording;
    }
  }

  private end(status: ExecutionStatus, fields: { output?: string; error?: string; cause?: string }): void {
    this.status = status;
    this.stopDateMs = this.deps.clock.nowMs();
    Object.assign(this, fields);
  }

  /** Turns the library's event log into AWS history events, using each state's original type. */
  private async record(events: AsyncGenerator<EventLog> | EventLogs, runner: TaskRunner): Promise<void> {
    const typeOf = (name: string) => this.machine.rewritten.stateTypes.get(name) ?? 'Task';
    for await (const event of events) {
      switch (event.type) {
        case 'ExecutionStarted':
          this.history.add('ExecutionStarted', {
            executionStartedEventDetails: { input: JSON.stringify(event.input), inputDetails: { truncated: false }, roleArn: this.machine.roleArn },
          });
          break;
        case 'StateEntered':
          runner.stateEntered(event.state.name);
          this.history.add(`${typeOf(event.state.name)}StateEntered`, {
            stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input), inputDetails: { truncated: false } },
          });
          break;
        case 'StateExited':
          this.history.add(`${typeOf(event.state.name)}StateExited`, {
            stateExitedEventDetails: { name: event.state.name, output: JSON.stringify(event.state.output ?? null), outputDetails: { truncated: false } },
          });
          break;
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed':
          this.history.add(event.type, {
            [`${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`]: { name: event.parentState.name, index: event.index },
          });
          break;
        case 'ExecutionSucceeded':
          this.history.add('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null) } });
          break;
        case 'ExecutionFailed':
          if (this.status === 'RUNNING' || this.status === 'FAILED') {
            this.history.add('ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause: String(event.Cause) } });
          }
          break;
        default:
          // Retries, catches, branch starts and aborts have no separate event in AWS's history
          // (a stop or timeout is recorded by `stop`).
          break;
      }
    }
  }
}
