import { callbackMachine, createHarness, FN, type Harness } from './harness';

describe('local Step Functions: task tokens and timeouts', () => {
  let h: Harness;
  let machine: string;

  beforeEach(() => {
    h = createHarness();
    h.functions.set('prepare', () => ({ seconds: 900 }));
    machine = h.register(callbackMachine);
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('hands a generated token to the Lambda and completes the task with SendTaskSuccess output', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    const token = h.tokenSentTo('notify');
    expect(token).toMatch(/^AQ[A-Za-z0-9_-]{100,}$/);
    expect(h.status(execution)).toBe('RUNNING');

    h.sfn.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ answer: 42 }) });
    await h.advance(0);

    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":42}' });
    expect(h.historyTypes(execution)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited',
      'SucceedStateEntered', 'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(h.sfn.getExecutionHistory({ executionArn: execution }).events.filter((e) => e.type.endsWith('StateEntered'))).toHaveLength(3);
  });

  it('times out on TimeoutSecondsPath only when the manual clock passes it, and Catch routes States.Timeout', async () => {
    const execution = h.start(machine);
    await h.advance(899);
    expect(h.status(execution)).toBe('RUNNING');

    await h.advance(1);

    expect(h.status(execution)).toBe('SUCCEEDED');
    const types = h.historyTypes(execution);
    expect(types).toContain('TaskTimedOut');
    const entered = h.sfn.getExecutionHistory({ executionArn: execution }).events.filter((e) => e.type === 'SucceedStateEntered');
    expect((entered[0] as any).stateEnteredEventDetails.name).toBe('TimedOut');
  });

  it('answers TaskTimedOut to a callback after the timeout and to a repeated callback', async () => {
    const late = h.start(machine, {}, 'late');
    await h.advance(0);
    const lateToken = h.tokenSentTo('notify');
    await h.advance(900);
    expect(() => h.sfn.sendTaskSuccess({ taskToken: lateToken, output: '{}' })).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));

    h.start(machine, {}, 'twice');
    await h.advance(0);
    const token = h.tokenSentTo('notify');
    h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' });
    expect(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
    expect(() => h.sfn.sendTaskFailure({ taskToken: token, error: 'X' })).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
  });

  it('answers InvalidToken to a token it never issued', () => {
    expect(() => h.sfn.sendTaskSuccess({ taskToken: 'AQ-not-a-token', output: '{}' })).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
    expect(() => h.sfn.sendTaskHeartbeat({ taskToken: '' })).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
  });

  it('fails the task with SendTaskFailure error and cause, routed by Catch on the error name', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    h.sfn.sendTaskFailure({ taskToken: h.tokenSentTo('notify'), error: 'Rejected', cause: 'merchant said no' });
    await h.advance(0);
    const output = JSON.parse(h.sfn.describeExecution({ executionArn: execution }).output!);
    expect(output.rejection).toEqual({ Error: 'Rejected', Cause: 'merchant said no' });
  });

  it('refuses output that is not JSON', async () => {
    h.start(machine);
    await h.advance(0);
    expect(() => h.sfn.sendTaskSuccess({ taskToken: h.tokenSentTo('notify'), output: 'not json' })).toThrow(
      expect.objectContaining({ code: 'InvalidOutput' }),
    );
  });

  it('is idle while parked on a token and busy while a Lambda runs', async () => {
    let release: () => void = () => undefined;
    h.functions.set('prepare', () => new Promise((resolve) => (release = () => resolve({ seconds: 60 }))));
    h.start(machine);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.activity.busyCount).toBeGreaterThan(0);
    release();
    await h.activity.settled(5_000);
    expect(h.activity.busyCount).toBe(0);
    expect(h.calls.get('notify')).toHaveLength(1);
  });

  it('fails a task whose heartbeat stops, and a heartbeat keeps it alive', async () => {
    const heartbeatMachine = h.register({
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${FN}worker`, Payload: { 'token.$': '$$.Task.Token' } },
          HeartbeatSeconds: 60,
          End: true,
        },
      },
    });
    const execution = h.start(heartbeatMachine);
    await h.advance(50);
    h.sfn.sendTaskHeartbeat({ taskToken: h.tokenSentTo('worker') });
    await h.advance(50);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(10);
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });
});
