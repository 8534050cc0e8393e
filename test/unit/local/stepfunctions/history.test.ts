import { createHarness, FN, START, type Harness } from './harness';

/** Pass → Choice → Wait → Task → Succeed: five states entered, five billed transitions. */
const smallMachine = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { ticketId: 't-1' }, ResultPath: '$.ticket', Next: 'Route' },
    Route: { Type: 'Choice', Choices: [{ Variable: '$.urgent', BooleanEquals: true, Next: 'Notify' }], Default: 'Later' },
    Later: { Type: 'Wait', Seconds: 60, Next: 'Notify' },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `${FN}notify`, 'Payload.$': '$.ticket' },
      ResultSelector: { 'sent.$': '$.Payload.ticketId' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('local Step Functions: execution history', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('records every state with its type as written, in order, stamped on the clock', async () => {
    const execution = h.start(h.register(smallMachine), { urgent: false });
    await h.advance(60);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.types(execution)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(h.transitions(execution)).toBe(5);
    expect(h.statesEntered(execution)).toEqual(['Prepare', 'Route', 'Later', 'Notify', 'Done']);
    const events = h.events(execution);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.previousEventId)).toEqual(events.map((_, index) => index));
    expect(events[0]!.timestamp).toBe(START / 1000);
    expect(events.at(-1)!.timestamp).toBe(START / 1000 + 60);
    expect(events.find((event) => event.type === 'WaitStateEntered')!.stateEnteredEventDetails).toEqual({
      name: 'Later',
      input: JSON.stringify({ urgent: false, ticket: { ticketId: 't-1' } }),
      inputDetails: { truncated: false },
    });
    expect(events.at(-1)!.executionSucceededEventDetails).toMatchObject({ output: JSON.stringify({ sent: 't-1' }) });
  });

  it('counts the transitions of each path', async () => {
    const machine = h.register(smallMachine);
    const urgent = h.start(machine, { urgent: true }, 'urgent');
    await h.advance(0);
    expect(h.transitions(urgent)).toBe(4);
    expect(h.sfn.getExecutionHistory({ executionArn: urgent }).events.some((event) => event.type.startsWith('Wait'))).toBe(false);
  });

  it('has no StateExited for a state whose error was caught, and no second StateEntered for a retry', async () => {
    let calls = 0;
    h.functions.set('check', () => {
      calls += 1;
      throw Object.assign(new Error(`attempt ${calls}`), { name: 'NotReadyError' });
    });
    const execution = h.start(
      h.register({
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: `${FN}check` },
            Retry: [{ ErrorEquals: ['NotReadyError'], IntervalSeconds: 1, MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['NotReadyError'], Next: 'Fallback' }],
            End: true,
          },
          Fallback: { Type: 'Pass', End: true },
        },
      }),
    );
    await h.advance(1);

    expect(h.types(execution)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('ends with ExecutionFailed carrying the error and cause of a Fail state', async () => {
    const execution = h.start(
      h.register({ StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'TicketClosedError', Cause: 'already closed' } } }),
    );
    await h.advance(0);
    expect(h.types(execution)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    expect(h.events(execution).at(-1)!.executionFailedEventDetails).toEqual({ error: 'TicketClosedError', cause: 'already closed' });
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'FAILED', error: 'TicketClosedError', cause: 'already closed' });
  });

  it('records Parallel branches and Map iterations in one flat history', async () => {
    const execution = h.start(
      h.register({
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
              { StartAt: 'Right', States: { Right: { Type: 'Wait', Seconds: 5, End: true } } },
            ],
            Next: 'Each',
          },
          Each: { Type: 'Map', ItemsPath: '$', Iterator: { StartAt: 'Item', States: { Item: { Type: 'Task', Resource: `${FN}item`, End: true } } }, End: true },
        },
      }),
      { n: 1 },
    );
    await h.advance(5);

    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.output(execution)).toEqual([{ n: 1 }, { n: 1 }]);
    const types = h.types(execution);
    expect(types.filter((type) => type.endsWith('StateEntered')).sort()).toEqual(
      ['MapStateEntered', 'ParallelStateEntered', 'PassStateEntered', 'TaskStateEntered', 'TaskStateEntered', 'WaitStateEntered'].sort(),
    );
    expect(types).toEqual(expect.arrayContaining(['ParallelStateStarted', 'ParallelStateSucceeded', 'MapStateStarted', 'MapIterationStarted', 'MapIterationSucceeded']));
  });

  it('pages the history, oldest first or newest first, with or without data', async () => {
    const execution = h.start(h.register(smallMachine), { urgent: true });
    await h.advance(0);
    const all = h.sfn.getExecutionHistory({ executionArn: execution }).events;

    const first = h.sfn.getExecutionHistory({ executionArn: execution, maxResults: 5 });
    const rest = h.sfn.getExecutionHistory({ executionArn: execution, maxResults: 100, nextToken: first.nextToken });
    expect([...first.events, ...rest.events]).toEqual(all);
    expect(rest.nextToken).toBeUndefined();

    const reversed = h.sfn.getExecutionHistory({ executionArn: execution, reverseOrder: true });
    expect(reversed.events.map((event) => event.id)).toEqual(all.map((event) => event.id).reverse());

    const bare = h.sfn.getExecutionHistory({ executionArn: execution, includeExecutionData: false }).events;
    expect(bare[0]!.executionStartedEventDetails).not.toHaveProperty('input');
  });
});
