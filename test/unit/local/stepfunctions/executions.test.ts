import { apiErrorOf, callbackMachine, createHarness, START, type Harness } from './harness';

describe('local Step Functions: executions', () => {
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

  it('names executions by state machine and name, and dates them on the clock in epoch seconds', async () => {
    await h.advance(90);
    const started = h.sfn.startExecution({ stateMachineArn: machine, name: 'ticket-1', input: '{"ticketId":"t-1"}' });

    expect(started).toEqual({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:machine-1:ticket-1', startDate: START / 1000 + 90 });
    expect(h.sfn.describeExecution({ executionArn: started.executionArn })).toMatchObject({
      stateMachineArn: machine,
      name: 'ticket-1',
      status: 'RUNNING',
      input: '{"ticketId":"t-1"}',
    });
    expect(h.sfn.describeExecution({ executionArn: started.executionArn }).stopDate).toBeUndefined();
  });

  it('gives a uuid name when none is given', () => {
    const { executionArn } = h.sfn.startExecution({ stateMachineArn: machine });
    expect(executionArn).toMatch(/:execution:machine-1:[0-9a-f-]{36}$/);
  });

  it('answers a repeated start with the same name and input with the same execution while it runs', async () => {
    const first = h.sfn.startExecution({ stateMachineArn: machine, name: 'same', input: '{"a":1}' });
    await h.advance(10);

    const again = h.sfn.startExecution({ stateMachineArn: machine, name: 'same', input: '{"a":1}' });

    expect(again).toEqual(first);
    expect(h.sfn.listExecutions({ stateMachineArn: machine }).executions).toHaveLength(1);
    expect(h.calls.get('prepare')).toHaveLength(1);
  });

  it('refuses the same name with another input, or once the execution has ended, with ExecutionAlreadyExists', async () => {
    h.sfn.startExecution({ stateMachineArn: machine, name: 'taken', input: '{"a":1}' });
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: machine, name: 'taken', input: '{"a":2}' }))).toBe('ExecutionAlreadyExists');

    await h.advance(900);
    expect(h.status(h.sfn.startExecution({ stateMachineArn: machine, name: 'other' }).executionArn)).toBe('RUNNING');
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: machine, name: 'taken', input: '{"a":1}' }))).toBe('ExecutionAlreadyExists');
  });

  it('refuses bad requests with the errors AWS answers', () => {
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: machine, input: '{oops' }))).toBe('InvalidExecutionInput');
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: machine, name: 'has space' }))).toBe('InvalidName');
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: `${machine}-gone` }))).toBe('StateMachineDoesNotExist');
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: 'not-an-arn' }))).toBe('InvalidArn');
    expect(apiErrorOf(() => h.sfn.startExecution({}))).toBe('ValidationException');
    expect(apiErrorOf(() => h.sfn.describeExecution({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:machine-1:nope' }))).toBe(
      'ExecutionDoesNotExist',
    );
  });

  it('stops an execution: ABORTED with error and cause, its token late, its clock timers gone', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    const token = h.tokenSentTo('notify');
    expect(h.clock.pendingDueTimes()).toHaveLength(1);
    await h.advance(30);

    const { stopDate } = h.sfn.stopExecution({ executionArn: execution, error: 'Operator', cause: 'closed by hand' });

    expect(stopDate).toBe(START / 1000 + 30);
    expect(h.sfn.describeExecution({ executionArn: execution })).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'closed by hand', stopDate });
    expect(apiErrorOf(() => h.sfn.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
    await h.advance(0);
    expect(h.clock.pendingDueTimes()).toEqual([]);
    expect(h.types(execution).at(-1)).toBe('ExecutionAborted');
    await h.advance(3600);
    expect(h.status(execution)).toBe('ABORTED');
    expect(h.types(execution).at(-1)).toBe('ExecutionAborted');
  });

  it('leaves an ended execution as it is when stopped', async () => {
    const execution = h.start(machine);
    await h.advance(900);
    const { stopDate } = h.sfn.stopExecution({ executionArn: execution });
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(stopDate).toBe(START / 1000 + 900);
  });

  it('lists executions newest first, by status, a page at a time', async () => {
    const first = h.start(machine, {}, 'first');
    await h.advance(900);
    const second = h.start(machine, {}, 'second');
    const third = h.start(machine, {}, 'third');

    const all = h.sfn.listExecutions({ stateMachineArn: machine });
    expect(all.executions.map((item) => item.executionArn)).toEqual([third, second, first]);
    expect(h.sfn.listExecutions({ stateMachineArn: machine, statusFilter: 'SUCCEEDED' }).executions).toEqual([
      expect.objectContaining({ executionArn: first, status: 'SUCCEEDED', stopDate: START / 1000 + 900 }),
    ]);

    const page1 = h.sfn.listExecutions({ stateMachineArn: machine, maxResults: 2 });
    expect(page1.executions.map((item) => item.name)).toEqual(['third', 'second']);
    const page2 = h.sfn.listExecutions({ stateMachineArn: machine, maxResults: 2, nextToken: page1.nextToken });
    expect(page2.executions.map((item) => item.name)).toEqual(['first']);
    expect(page2.nextToken).toBeUndefined();
    expect(apiErrorOf(() => h.sfn.listExecutions({ stateMachineArn: machine, statusFilter: 'DONE' }))).toBe('ValidationException');
  });

  it('describes and lists state machines as registered', () => {
    const definition = JSON.stringify(callbackMachine);
    const { stateMachineArn } = h.sfn.registerStateMachine({ name: 'complaint', definition });
    expect(h.sfn.describeStateMachine({ stateMachineArn })).toMatchObject({ name: 'complaint', definition, status: 'ACTIVE', type: 'STANDARD' });
    expect(h.sfn.listStateMachines().stateMachines.map((item) => item.name)).toEqual(['machine-1', 'complaint']);
  });

  it('aborts running executions on close and leaves no clock timer behind', async () => {
    const execution = h.start(machine);
    await h.advance(0);
    await h.sfn.close();
    expect(h.status(execution)).toBe('ABORTED');
    expect(h.clock.pendingDueTimes()).toEqual([]);
    expect(h.activity.busyCount).toBe(0);
    expect(apiErrorOf(() => h.sfn.startExecution({ stateMachineArn: machine }))).toBe('ServiceUnavailable');
  });
});
