import { apiErrorOf, createHarness, FN, TicketNotFoundError, type Harness } from './harness';

describe('local Step Functions: Lambda tasks', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('answers lambda:invoke with the result shaped as AWS does, the function result in Payload', async () => {
    h.functions.set('plan', (payload: { ticketId: string }) => ({ ticketId: payload.ticketId, step: 'respond' }));
    const machine = h.register({
      StartAt: 'Plan',
      States: {
        Plan: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `${FN}plan`, Payload: { 'ticketId.$': '$.ticketId' } },
          ResultPath: '$.plan',
          End: true,
        },
      },
    });
    const execution = h.start(machine, { ticketId: 't-1' });
    await h.advance(0);

    expect(h.calls.get('plan')).toEqual([{ ticketId: 't-1' }]);
    expect(h.output(execution)).toEqual({
      ticketId: 't-1',
      plan: expect.objectContaining({
        ExecutedVersion: '$LATEST',
        Payload: { ticketId: 't-1', step: 'respond' },
        StatusCode: 200,
        SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200 }),
        SdkResponseMetadata: { RequestId: expect.any(String) },
      }),
    });
  });

  it('fails the task with the name of the error the function threw, so Catch routes on it', async () => {
    h.functions.set('load', () => {
      throw new TicketNotFoundError('ticket t-9 does not exist');
    });
    const machine = h.register({
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `${FN}load`, 'Payload.$': '$' },
          Catch: [
            { ErrorEquals: ['SomethingElseError'], Next: 'Wrong' },
            { ErrorEquals: ['TicketNotFoundError'], ResultPath: '$.error', Next: 'Missing' },
          ],
          End: true,
        },
        Wrong: { Type: 'Pass', End: true },
        Missing: { Type: 'Pass', End: true },
      },
    });
    const execution = h.start(machine, { ticketId: 't-9' });
    await h.advance(0);

    expect(h.statesEntered(execution)).toEqual(['Load', 'Missing']);
    const { error } = h.output(execution);
    expect(error.Error).toBe('TicketNotFoundError');
    expect(JSON.parse(error.Cause)).toEqual({ errorType: 'TicketNotFoundError', errorMessage: 'ticket t-9 does not exist' });
    expect(h.events(execution).find((event) => event.type === 'TaskFailed')!.taskFailedEventDetails).toMatchObject({
      error: 'TicketNotFoundError',
      resource: 'invoke',
    });
  });

  it('runs a Lambda function ARN resource with the effective input as event and its result as output', async () => {
    h.functions.set('double', (payload: { n: number }) => ({ n: payload.n * 2 }));
    const machine = h.register({ StartAt: 'Double', States: { Double: { Type: 'Task', Resource: `${FN}double`, InputPath: '$.value', End: true } } });
    const execution = h.start(machine, { value: { n: 21 } });
    await h.advance(0);

    expect(h.output(execution)).toEqual({ n: 42 });
    expect(h.types(execution)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('retries with IntervalSeconds × BackoffRate^n pauses on the clock, then succeeds', async () => {
    const attemptsAt: number[] = [];
    h.functions.set('flaky', () => {
      attemptsAt.push(h.elapsed());
      if (attemptsAt.length < 3) throw Object.assign(new Error('try again'), { name: 'Lambda.TooManyRequestsException' });
      return { ok: true };
    });
    const machine = h.register({
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `${FN}flaky` },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }],
          OutputPath: '$.Payload',
          End: true,
        },
      },
    });
    const execution = h.start(machine);

    await h.advance(1);
    expect(attemptsAt).toEqual([0]);
    await h.advance(1);
    expect(attemptsAt).toEqual([0, 2]);
    await h.advance(5);
    expect(attemptsAt).toEqual([0, 2]);
    await h.advance(1);

    expect(attemptsAt).toEqual([0, 2, 8]);
    expect(h.output(execution)).toEqual({ ok: true });
    expect(h.types(execution).filter((type) => type === 'TaskFailed')).toHaveLength(2);
    expect(h.transitions(execution)).toBe(1);
  });

  it('caps retry pauses at MaxDelaySeconds and routes to Catch once MaxAttempts are used up', async () => {
    const attemptsAt: number[] = [];
    h.functions.set('down', () => {
      attemptsAt.push(h.elapsed());
      throw Object.assign(new Error('down'), { name: 'ServiceDownError' });
    });
    const machine = h.register({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `${FN}down` },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 60, MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'GaveUp' }],
          End: true,
        },
        GaveUp: { Type: 'Pass', End: true },
      },
    });
    const execution = h.start(machine);
    await h.advance(200);

    expect(attemptsAt).toEqual([0, 10, 70, 130]);
    expect(h.statesEntered(execution)).toEqual(['Call', 'GaveUp']);
  });

  it('refuses a Task resource it cannot run, naming the state', () => {
    const definition = JSON.stringify({
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } },
    });
    expect(() => h.sfn.registerStateMachine({ name: 'sqs', definition })).toThrow(/state "Send".*arn:aws:states:::sqs:sendMessage.*not supported/);
  });

  it('refuses an invalid definition with the validator reasons', () => {
    const definition = JSON.stringify({ StartAt: 'Nowhere', States: { Here: { Type: 'Pass', End: true } } });
    expect(apiErrorOf(() => h.sfn.registerStateMachine({ name: 'broken', definition }))).toBe('InvalidDefinition');
    expect(() => h.sfn.registerStateMachine({ name: 'broken', definition })).toThrow(/Nowhere/);
    expect(() => h.sfn.registerStateMachine({ name: 'not-json', definition: '{' })).toThrow(/not JSON/);
  });
});
