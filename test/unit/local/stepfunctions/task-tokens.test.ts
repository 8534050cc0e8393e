import { apiErrorOf, callbackMachine, createHarness, FN, type Harness } from './harness';

describe('local Step Functions: waitForTaskToken tasks', () => {
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

  it('generates a token and delivers it in the Lambda payload, where the definition put $$.Task.Token', async () => {
    const execution = h.start(machine);
    await h.advance(0);

    const token = h.tokenSentTo('notify');
    expect(token).toMatch(/^AQ[A-Za-z0-9_-]{200,}$/);
    expect(h.calls.get('notify')).toEqual([{ token, execution }]);
    const scheduled = h.events(execution).filter((event) => event.type === 'TaskScheduled')[1]!;
    expect(JSON.parse((scheduled.taskScheduledEventDetails as { parameters: string }).parameters)).toEqual({
      FunctionName: `${FN}notify`,
      Payload: { token, execution },
    });
    expect(h.status(execution)).toBe('RUNNING');
  });

  it('gives each execution its own token, also inside an intrinsic function', async () => {
    const formatted = h.register({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${FN}notify`, Payload: { 'link.$': "States.Format('https://app/act?t={}', $$.Task.Token)" } },
          End: true,
        },
      },
    });
    h.start(formatted, {}, 'one');
    h.start(formatted, {}, 'two');
    await h.advance(0);

    const links = (h.calls.get('notify') as { link: string }[]).map((payload) => payload.link);
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^https:\/\/app\/act\?t=AQ/);
    expect(links[0]).not.toBe(links[1]);
  });

  it('completes the task with the SendTaskSuccess output', async () => {
    const execution = h.start(machine);
    await h.advance(0);

    expect(h.sfn.sendTaskSuccess({ taskToken: h.tokenSentTo('notify'), output: JSON.stringify({ answer: 42 }) })).toEqual({});
    await h.advance(0);

    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":42}' });
    expect(h.statesEntered(execution)).toEqual(['Prepare', 'AwaitCallback', 'Done']);
  });

  it('fails the task with the SendTaskFailure error and cause, and Catch routes on the error name', async () => {
    const execution = h.start(machine);
    await h.advance(0);

    h.sfn.sendTaskFailure({ taskToken: h.tokenSentTo('notify'), error: 'Rejected', cause: 'merchant said no' });
    await h.advance(0);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution).at(-1)).toBe('WasRejected');
    expect(h.output(execution).rejection).toEqual({ Error: 'Rejected', Cause: 'merchant said no' });
    expect(h.types(execution)).toContain('TaskFailed');
  });

  it('fails the execution with an uncaught SendTaskFailure error', async () => {
    const execution = h.start(machine);
    await h.advance(0);

    h.sfn.sendTaskFailure({ taskToken: h.tokenSentTo('notify'), error: 'Unexpected', cause: 'boom' });
    await h.advance(0);

    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'FAILED', error: 'Unexpected', cause: 'boom' });
    expect(h.types(execution).at(-1)).toBe('ExecutionFailed');
  });

  it('answers TaskTimedOut to a repeated callback', async () => {
    h.start(machine);
    await h.advance(0);
    const token = h.tokenSentTo('notify');

    h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' });

    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
    expect(apiErrorOf(() => h.sfn.sendTaskFailure({ taskToken: token, error: 'X' }))).toBe('TaskTimedOut');
    expect(apiErrorOf(() => h.sfn.sendTaskHeartbeat({ taskToken: token }))).toBe('TaskTimedOut');
  });

  it('answers TaskTimedOut to a callback after the task timed out', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    const token = h.tokenSentTo('notify');

    await h.advance(900);

    expect(h.statesEntered(execution).at(-1)).toBe('TimedOut');
    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
  });

  it('answers InvalidToken to a token it never issued or a malformed one', () => {
    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: 'AQnot-a-token', output: '{}' }))).toBe('InvalidToken');
    expect(apiErrorOf(() => h.sfn.sendTaskFailure({ taskToken: 'garbage' }))).toBe('InvalidToken');
    expect(apiErrorOf(() => h.sfn.sendTaskHeartbeat({ taskToken: 'x'.repeat(2049) }))).toBe('InvalidToken');
  });

  it('refuses an output that is not JSON with InvalidOutput, and the task keeps waiting', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    const token = h.tokenSentTo('notify');

    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{not json' }))).toBe('InvalidOutput');
    await h.advance(0);

    expect(h.status(execution)).toBe('RUNNING');
    h.sfn.sendTaskSuccess({ taskToken: token, output: '"fine"' });
    await h.advance(0);
    expect(h.output(execution)).toBe('fine');
  });

  it('takes a callback that arrives while the Lambda that got the token still runs', async () => {
    h.functions.set('notify', (payload: { token: string }) => {
      h.sfn.sendTaskSuccess({ taskToken: payload.token, output: '{"early":true}' });
      return { sent: true };
    });
    const execution = h.start(machine);
    await h.advance(0);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.output(execution)).toEqual({ early: true });
    expect(h.types(execution)).toEqual(expect.arrayContaining(['TaskSubmitted', 'TaskSucceeded']));
  });

  it('fails the task with the error of the Lambda that was to receive the token, and closes the token', async () => {
    h.functions.set('notify', () => {
      throw Object.assign(new Error('no such ticket'), { name: 'Rejected' });
    });
    const execution = h.start(machine);
    await h.advance(0);

    expect(h.statesEntered(execution).at(-1)).toBe('WasRejected');
    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: h.tokenSentTo('notify'), output: '{}' }))).toBe('TaskTimedOut');
  });
});

describe('local Step Functions: heartbeats', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  const heartbeatMachine = (catchers: { ErrorEquals: string[]; Next: string }[]) => ({
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: `${FN}worker`, Payload: { 'token.$': '$$.Task.Token' } },
        HeartbeatSeconds: 60,
        TimeoutSeconds: 3600,
        Catch: catchers,
        End: true,
      },
      ...Object.fromEntries(catchers.map(({ Next }) => [Next, { Type: 'Pass', End: true }])),
    },
  });

  it('times out when no heartbeat comes within HeartbeatSeconds, and each heartbeat starts the interval over', async () => {
    const execution = h.start(h.register(heartbeatMachine([{ ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }])));
    await h.advance(0);
    const token = h.tokenSentTo('worker');

    await h.advance(50);
    h.sfn.sendTaskHeartbeat({ taskToken: token });
    await h.advance(50);
    h.sfn.sendTaskHeartbeat({ taskToken: token });
    await h.advance(59);
    expect(h.status(execution)).toBe('RUNNING');

    await h.advance(1);

    expect(h.elapsed()).toBe(160);
    expect(h.statesEntered(execution).at(-1)).toBe('TimedOut');
    expect(h.output(execution)).toEqual({ Error: 'States.Timeout', Cause: 'no heartbeat within 60 seconds' });
    expect(h.types(execution)).toContain('TaskTimedOut');
    expect(apiErrorOf(() => h.sfn.sendTaskHeartbeat({ taskToken: token }))).toBe('TaskTimedOut');
  });

  it('routes a missed heartbeat to a States.HeartbeatTimeout catcher, and the task timeout to States.Timeout', async () => {
    const machine = h.register(
      heartbeatMachine([
        { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Missed' },
        { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' },
      ]),
    );
    const missed = h.start(machine, {}, 'missed');
    await h.advance(60);
    expect(h.statesEntered(missed).at(-1)).toBe('Missed');

    const slow = h.start(machine, {}, 'slow');
    await h.advance(0);
    const token = h.tokenSentTo('worker');
    // Heartbeats every 50 s keep it alive until TimeoutSeconds (3600 s) ends it.
    for (let beat = 0; beat < 71; beat += 1) {
      await h.advance(50);
      h.sfn.sendTaskHeartbeat({ taskToken: token });
    }
    expect(h.status(slow)).toBe('RUNNING');
    await h.advance(50);
    expect(h.statesEntered(slow).at(-1)).toBe('TimedOut');
  });
});
