import { callbackMachine, createHarness, FN, type Harness } from './harness';

const DAY = 86_400;

describe('local Step Functions: executions, waits and retries', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
    h.functions.set('prepare', () => ({ seconds: 30 * DAY }));
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('fires a 30-day Wait state on the clock, not at once', async () => {
    const machine = h.register({
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 30 * DAY, Next: 'Done' }, Done: { Type: 'Pass', Result: 'woke', End: true } },
    });
    const execution = h.start(machine);
    await h.advance(30 * DAY - 1);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'SUCCEEDED', output: '"woke"' });
    expect(h.historyTypes(execution)).toEqual(
      expect.arrayContaining(['WaitStateEntered', 'WaitStateExited', 'PassStateEntered']),
    );
  });

  it('waits until a TimestampPath read from the input', async () => {
    const machine = h.register({ StartAt: 'Until', States: { Until: { Type: 'Wait', TimestampPath: '$.at', End: true } } });
    const execution = h.start(machine, { at: '2026-01-03T00:00:00Z' });
    await h.advance(2 * DAY - 1);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);
    expect(h.status(execution)).toBe('SUCCEEDED');
  });

  it('enforces a 30-day task timeout on the clock', async () => {
    const execution = h.start(h.register(callbackMachine));
    await h.advance(30 * DAY - 1);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);
    expect(h.historyTypes(execution)).toContain('TaskTimedOut');
  });

  it('returns the same execution for the same name and input, and refuses another input', async () => {
    const machine = h.register(callbackMachine);
    const first = h.sfn.startExecution({ stateMachineArn: machine, name: 'ticket-1', input: '{"a":1}' });
    const again = h.sfn.startExecution({ stateMachineArn: machine, name: 'ticket-1', input: '{"a":1}' });
    expect(again).toEqual(first);
    expect(() => h.sfn.startExecution({ stateMachineArn: machine, name: 'ticket-1', input: '{"a":2}' })).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
    expect(() => h.sfn.startExecution({ stateMachineArn: machine, name: 'bad name', input: '{}' })).toThrow(
      expect.objectContaining({ code: 'InvalidName' }),
    );
    expect(() => h.sfn.startExecution({ stateMachineArn: machine, input: '{oops' })).toThrow(
      expect.objectContaining({ code: 'InvalidExecutionInput' }),
    );
    expect(() => h.sfn.startExecution({ stateMachineArn: `${machine}-missing` })).toThrow(
      expect.objectContaining({ code: 'StateMachineDoesNotExist' }),
    );
  });

  it('stops an execution, after which its token is settled', async () => {
    const execution = h.start(h.register(callbackMachine));
    await h.advance(0);
    const token = h.tokenSentTo('notify');
    h.sfn.stopExecution({ executionArn: execution, error: 'Operator', cause: 'test' });
    await h.advance(0);
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'ABORTED', error: 'Operator' });
    expect(h.historyTypes(execution).at(-1)).toBe('ExecutionAborted');
    expect(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
    expect(() => h.sfn.describeExecution({ executionArn: `${execution}-nope` })).toThrow(
      expect.objectContaining({ code: 'ExecutionDoesNotExist' }),
    );
  });

  it('routes a Lambda error by its name, after retries paced on the clock', async () => {
    let attempts = 0;
    h.functions.set('flaky', () => {
      attempts += 1;
      throw Object.assign(new Error('ticket vanished'), { name: 'TicketNotFoundError' });
    });
    const machine = h.register({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: `${FN}flaky`,
          Retry: [{ ErrorEquals: ['TicketNotFoundError'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 3 }],
          Catch: [{ ErrorEquals: ['TicketNotFoundError'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const execution = h.start(machine);
    await h.advance(0);
    expect(attempts).toBe(1);
    await h.advance(9);
    expect(attempts).toBe(1);
    await h.advance(1);
    expect(attempts).toBe(2);
    await h.advance(29);
    expect(attempts).toBe(2);
    await h.advance(1);
    expect(attempts).toBe(3);

    const output = JSON.parse(h.sfn.describeExecution({ executionArn: execution }).output!);
    expect(output.error.Error).toBe('TicketNotFoundError');
    expect(JSON.parse(output.error.Cause)).toMatchObject({ errorType: 'TicketNotFoundError', errorMessage: 'ticket vanished' });
  });

  it('times out the whole execution on the clock', async () => {
    const machine = h.register({ ...callbackMachine, TimeoutSeconds: 3600 });
    const execution = h.start(machine);
    await h.advance(3599);
    expect(h.status(execution)).toBe('RUNNING');
    await h.advance(1);
    expect(h.status(execution)).toBe('TIMED_OUT');
    expect(h.historyTypes(execution).at(-1)).toBe('ExecutionTimedOut');
  });

  it('lists executions newest first and pages the history', async () => {
    const machine = h.register(callbackMachine);
    const first = h.start(machine, {}, 'first');
    await h.advance(1);
    const second = h.start(machine, {}, 'second');
    await h.advance(0);
    expect(h.sfn.listExecutions({ stateMachineArn: machine }).executions.map((e) => e.executionArn)).toEqual([second, first]);
    const page = h.sfn.getExecutionHistory({ executionArn: first, maxResults: 3 });
    expect(page.events.map((e) => e.id)).toEqual([1, 2, 3]);
    const rest = h.sfn.getExecutionHistory({ executionArn: first, maxResults: 3, nextToken: page.nextToken });
    expect(rest.events[0]!.id).toBe(4);
  });

  it('refuses definitions it cannot run faithfully', () => {
    expect(() =>
      h.register({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }),
    ).toThrow(/not supported locally/);
    expect(() =>
      h.register({
        StartAt: 'A',
        States: { A: { Type: 'Task', Resource: `${FN}x`, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'B' }], End: true }, B: { Type: 'Succeed' } },
      }),
    ).toThrow(/States.TaskFailed/);
    expect(() => h.register({ StartAt: 'Missing', States: {} })).toThrow();
  });
});
