import { ActivityTracker } from '../../../../infra/local/activity';
import { ManualClock } from '../../../../infra/local/clock/manual-clock';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../../../infra/local/step-functions';

export const START = Date.parse('2026-01-01T00:00:00.000Z');
export const FN = 'arn:aws:lambda:us-east-1:000000000000:function:';

export interface Harness {
  readonly sfn: LocalStepFunctions;
  readonly clock: ManualClock;
  readonly activity: ActivityTracker;
  /** Payloads each function was invoked with, by function name. */
  readonly calls: Map<string, unknown[]>;
  /** Sets what a function does (default: echo its payload). */
  readonly functions: Map<string, (payload: any) => unknown>;
  advance(seconds: number): Promise<void>;
  register(definition: object): string;
  start(stateMachineArn: string, input?: object, name?: string): string;
  status(executionArn: string): string;
  historyTypes(executionArn: string): string[];
  /** The task token the named function last received. */
  tokenSentTo(functionName: string): string;
}

/** The local Step Functions service on a manual clock, with in-memory functions. */
export function createHarness(): Harness {
  const clock = new ManualClock(START);
  const activity = new ActivityTracker();
  const calls = new Map<string, unknown[]>();
  const functions = new Map<string, (payload: any) => unknown>();
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
    historyTypes: (executionArn) => sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events.map((event) => event.type),
    tokenSentTo(functionName) {
      const payloads = calls.get(functionName) ?? [];
      const token = (payloads.at(-1) as { token?: string } | undefined)?.token;
      if (!token) throw new Error(`${functionName} received no token`);
      return token;
    },
  };
}

/** Prepare → wait for a callback until the deadline in the input → Done, or TimedOut on States.Timeout. */
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
      Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token' } },
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
