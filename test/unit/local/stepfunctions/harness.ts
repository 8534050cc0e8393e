import { ActivityTracker } from '../../../../infra/local/activity';
import { ManualClock } from '../../../../infra/local/clock/manual-clock';
import { createLocalStepFunctions, type HistoryEvent, type LocalStepFunctions } from '../../../../infra/local/stepfunctions';

export const START = Date.parse('2026-01-01T00:00:00.000Z');
export const DAY = 86_400;
/** Prefix of the fake functions' ARNs: `${FN}name`. */
export const FN = 'arn:aws:lambda:us-east-1:000000000000:function:';

/** A fake Lambda function: gets the payload, returns the result or throws. */
export type FakeFunction = (payload: any) => unknown;

/** The service on a manual clock, with fake functions, and helpers to drive and read it. */
export interface Harness {
  readonly sfn: LocalStepFunctions;
  readonly clock: ManualClock;
  readonly activity: ActivityTracker;
  /** Payloads each function was invoked with, by function name. */
  readonly calls: Map<string, unknown[]>;
  /** What each function does (default: returns its payload). */
  readonly functions: Map<string, FakeFunction>;
  /** Moves the manual clock, waiting for the service to settle after each timer, as the runtime does. */
  advance(seconds: number): Promise<void>;
  register(definition: object): string;
  start(stateMachineArn: string, input?: unknown, name?: string): string;
  status(executionArn: string): string;
  output(executionArn: string): any;
  events(executionArn: string): HistoryEvent[];
  types(executionArn: string): string[];
  /** Billed transitions: one per *StateEntered event. */
  transitions(executionArn: string): number;
  /** Names of the states entered, in order. */
  statesEntered(executionArn: string): string[];
  /** The task token the named function last received (in `token`). */
  tokenSentTo(functionName: string): string;
  /** Seconds since START on the manual clock. */
  elapsed(): number;
}

export function createHarness(): Harness {
  const clock = new ManualClock(START);
  const activity = new ActivityTracker();
  const calls = new Map<string, unknown[]>();
  const functions = new Map<string, FakeFunction>();
  const sfn = createLocalStepFunctions({
    clock,
    activity,
    invokeLambda: async (target, payload) => {
      const name = target.split(':').at(-1)!;
      calls.set(name, [...(calls.get(name) ?? []), payload]);
      const fn = functions.get(name);
      return fn ? fn(payload) : payload;
    },
  });
  let machines = 0;
  const events = (executionArn: string) => sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
  return {
    sfn,
    clock,
    activity,
    calls,
    functions,
    advance: async (seconds) => {
      await clock.advance(seconds, () => activity.settled(5_000));
    },
    register: (definition) => sfn.registerStateMachine({ name: `machine-${++machines}`, definition: JSON.stringify(definition) }).stateMachineArn,
    start: (stateMachineArn, input = {}, name) => sfn.startExecution({ stateMachineArn, input: JSON.stringify(input), name }).executionArn,
    status: (executionArn) => sfn.describeExecution({ executionArn }).status,
    output: (executionArn) => JSON.parse(sfn.describeExecution({ executionArn }).output ?? 'null'),
    events,
    types: (executionArn) => events(executionArn).map((event) => event.type),
    transitions: (executionArn) => events(executionArn).filter((event) => event.type.endsWith('StateEntered')).length,
    statesEntered: (executionArn) =>
      events(executionArn)
        .filter((event) => event.type.endsWith('StateEntered'))
        .map((event) => (event.stateEnteredEventDetails as { name: string }).name),
    tokenSentTo(functionName) {
      const token = (calls.get(functionName)?.at(-1) as { token?: string } | undefined)?.token;
      if (!token) throw new Error(`${functionName} received no token`);
      return token;
    },
    elapsed: () => (clock.nowMs() - START) / 1000,
  };
}

/** The code of the StepFunctionsApiError a call throws. */
export function apiErrorOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as { code?: string }).code ?? `not an API error: ${(error as Error).message}`;
  }
  return undefined;
}

/** A named error class, as the project's handlers throw them. */
export class TicketNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TicketNotFoundError';
  }
}

/**
 * Prepare (lambda:invoke) → AwaitCallback (waitForTaskToken, timeout from `$.seconds` of the
 * state input) → Done; a timeout goes to TimedOut, a `Rejected` failure to WasRejected.
 */
export const callbackMachine = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `${FN}prepare`, 'Payload.$': '$' },
      ResultSelector: { 'seconds.$': '$.Payload.seconds' },
      Next: 'AwaitCallback',
    },
    AwaitCallback: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token', 'execution.$': '$$.Execution.Id' } },
      TimeoutSecondsPath: '$.seconds',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'TimedOut' },
        { ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'WasRejected' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    TimedOut: { Type: 'Succeed' },
    WasRejected: { Type: 'Succeed' },
  },
};
