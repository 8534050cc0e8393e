import { setImmediate as nextTurn } from 'node:timers/promises';
import { callbackMachine, createHarness, DAY, FN, START, type Harness } from './harness';

describe('local Step Functions: timeouts and waits run on the injected clock', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('reads TimeoutSecondsPath from the state input and times out only when the clock passes it', async () => {
    h.functions.set('prepare', () => ({ seconds: 900 }));
    const execution = h.start(h.register(callbackMachine));

    await h.advance(899);
    expect(h.status(execution)).toBe('RUNNING');
    expect(h.statesEntered(execution)).toEqual(['Prepare', 'AwaitCallback']);

    await h.advance(1);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution)).toEqual(['Prepare', 'AwaitCallback', 'TimedOut']);
    expect(h.output(execution).timeout.Error).toBe('States.Timeout');
    const timedOut = h.events(execution).find((event) => event.type === 'TaskTimedOut')!;
    expect(timedOut.timestamp).toBe((START + 900_000) / 1000);
    expect(timedOut.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout', resource: 'invoke.waitForTaskToken' });
  });

  it('evaluates TimeoutSecondsPath against the state input, not against the Parameters it sends', async () => {
    const machine = h.register({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          InputPath: '$.ticket',
          Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSecondsPath: '$.secondsLeft',
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Breached' }],
          End: true,
        },
        Breached: { Type: 'Pass', End: true },
      },
    });
    const execution = h.start(machine, { ticket: { secondsLeft: 120 } });

    await h.advance(119);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);
    expect(h.statesEntered(execution).at(-1)).toBe('Breached');
  });

  it('fires a 30-day Wait after 30 days of the clock, never at once', async () => {
    const machine = h.register({
      StartAt: 'Cooling',
      States: {
        Cooling: { Type: 'Wait', Seconds: 30 * DAY, Next: 'After' },
        After: { Type: 'Task', Resource: `${FN}after`, End: true },
      },
    });
    const execution = h.start(machine, { ticket: 't-1' });
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    await h.advance(0);
    expect(h.status(execution)).toBe('RUNNING');

    await h.advance(30 * DAY - 1);
    expect(h.status(execution)).toBe('RUNNING');
    expect(h.calls.get('after')).toBeUndefined();

    await h.advance(1);
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.output(execution)).toEqual({ ticket: 't-1' });
    const exited = h.events(execution).find((event) => event.type === 'WaitStateExited')!;
    expect(exited.timestamp).toBe((START + 30 * DAY * 1000) / 1000);
  });

  it('waits until a TimestampPath or for a SecondsPath read from the input, and passes the input on', async () => {
    const machine = h.register({
      StartAt: 'UntilDue',
      States: {
        UntilDue: { Type: 'Wait', TimestampPath: '$.dueAt', Next: 'Pause' },
        Pause: { Type: 'Wait', SecondsPath: '$.pause', OutputPath: '$.dueAt', End: true },
      },
    });
    const dueAt = new Date(START + 3600_000).toISOString();
    const execution = h.start(machine, { dueAt, pause: 60 });

    await h.advance(3600 + 59);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.output(execution)).toBe(dueAt);
  });

  it('passes a Wait whose timestamp is already past without waiting', async () => {
    const machine = h.register({ StartAt: 'Past', States: { Past: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true } } });
    const execution = h.start(machine);
    await h.advance(0);
    expect(h.status(execution)).toBe('SUCCEEDED');
  });

  it('times out a 30-day callback task after 30 days of the clock, not at once', async () => {
    const machine = h.register({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 30 * DAY,
          End: true,
        },
      },
    });
    const execution = h.start(machine);

    await h.advance(30 * DAY - 1);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);

    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('does not let States.TaskFailed catch a timeout, as AWS does not', async () => {
    const machine = h.register({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 60,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Failed' }],
          End: true,
        },
        Failed: { Type: 'Pass', End: true },
      },
    });
    const timedOut = h.start(machine, {}, 'timed-out');
    await h.advance(60);
    expect(h.sfn.describeExecution({ executionArn: timedOut })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(h.statesEntered(timedOut)).toEqual(['Await']);
    expect(h.types(timedOut).slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);

    const rejected = h.start(machine, {}, 'rejected');
    await h.advance(0);
    h.sfn.sendTaskFailure({ taskToken: h.tokenSentTo('notify'), error: 'Rejected' });
    await h.advance(0);
    expect(h.statesEntered(rejected)).toEqual(['Await', 'Failed']);
  });

  it('lets a later States.ALL catcher take a timeout that an earlier States.TaskFailed catcher skips', async () => {
    const machine = h.register({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${FN}notify`, Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 60,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'Failed' },
            { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Anything' },
          ],
          End: true,
        },
        Failed: { Type: 'Pass', End: true },
        Anything: { Type: 'Pass', End: true },
      },
    });
    const execution = h.start(machine, { ticket: 't-2' });
    await h.advance(60);
    expect(h.statesEntered(execution)).toEqual(['Await', 'Anything']);
    expect(h.output(execution)).toMatchObject({ ticket: 't-2', error: { Error: 'States.Timeout' } });
  });

  it('times the execution out on the state machine TimeoutSeconds, on the clock', async () => {
    const machine = h.register({
      TimeoutSeconds: 3600,
      StartAt: 'Long',
      States: { Long: { Type: 'Wait', Seconds: 2 * DAY, End: true } },
    });
    const execution = h.start(machine);

    await h.advance(3599);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);

    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'TIMED_OUT', stopDate: (START + 3600_000) / 1000 });
    expect(h.types(execution).at(-1)).toBe('ExecutionTimedOut');
    expect(h.clock.pendingDueTimes()).toEqual([]);
  });

  it('fails the execution with States.Runtime when TimeoutSecondsPath gives no positive integer', async () => {
    h.functions.set('prepare', () => ({ seconds: 'soon' }));
    const execution = h.start(h.register(callbackMachine));
    await h.advance(0);
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('sees the start time of the execution on the clock in $$.Execution.StartTime', async () => {
    await h.advance(3600);
    const machine = h.register({
      StartAt: 'Stamp',
      States: { Stamp: { Type: 'Pass', Parameters: { 'startedAt.$': '$$.Execution.StartTime', 'input.$': '$$.Execution.Input' }, End: true } },
    });
    const execution = h.start(machine, { a: 1 });
    await h.advance(0);
    expect(h.output(execution)).toEqual({ startedAt: new Date(START + 3600_000).toISOString(), input: { a: 1 } });
  });
});
