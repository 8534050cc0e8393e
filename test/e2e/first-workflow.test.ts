import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { complaintCreated, StackClient } from '../support/http-client';
import { startLocalStackProcess, type RunningLocalStack } from '../support/local-stack-process';

/**
 * The path the foundation proves, driven as a user would: `npm start` with a manual clock,
 * a signed webhook over HTTP → inbox (DynamoDB Local) → events queue (local SQS) → consumer
 * → StartExecution → Lambda task → `.waitForTaskToken` task → agent action over HTTP →
 * SendTaskSuccess → execution succeeds; and without the action, the deadline passes on the
 * manual clock and the timeout path records the breach.
 */
describe('first workflow on the local stack', () => {
  let stack: RunningLocalStack;
  let api: StackClient;
  let sfn: SFNClient;
  let secret: string;
  let stateMachineArn: string;

  beforeAll(async () => {
    stack = await startLocalStackProcess(['--port', '0', '--in-memory', '--clock', 'manual']);
    api = new StackClient(stack.url);
    secret = stack.announced('marketplace "demo" webhook secret');
    stateMachineArn = stack.announced('state machine complaint');
    sfn = new SFNClient({
      endpoint: stack.announced('step functions endpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }, 180_000);

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
  });

  const executionArn = (ticketId: string) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${ticketId}`;

  async function history(ticketId: string): Promise<HistoryEvent[]> {
    const answer = await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(ticketId), maxResults: 1000 }));
    return answer.events ?? [];
  }

  async function openComplaint(reference: string): Promise<string> {
    const accepted = await api.sendWebhook('demo', secret, JSON.stringify(complaintCreated(reference)));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ eventId: `evt-${reference}`, duplicate: false });
    await api.advance(0); // let the queue, the consumer and the first workflow steps settle
    return accepted.body.ticketId as string;
  }

  it('completes the waiting step when the agent responds', async () => {
    const ticketId = await openComplaint('happy-1');
    const agent = await api.token('agent');

    const waiting = await api.get(`/tickets/${ticketId}`, agent);
    expect(waiting.status).toBe(200);
    expect(waiting.body.ticket).toMatchObject({
      id: ticketId,
      marketplace: 'demo',
      stage: 'awaiting_first_response',
      awaiting: { step: 'firstResponse' },
    });
    expect(JSON.stringify(waiting.body)).not.toContain('taskToken');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }))).status).toBe('RUNNING');

    const responded = await api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'Sorry! A replacement is on its way.' }, agent);
    expect(responded.status).toBe(200);
    expect(responded.body.ticket).toMatchObject({ stage: 'handling', awaiting: null });
    await api.advance(0);

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }));
    expect(execution.status).toBe('SUCCEEDED');
    const events = await history(ticketId);
    expect(events.map((event) => event.type)).toContain('TaskSubmitted');
    expect(events.filter((event) => event.type === 'SucceedStateEntered').map((e) => e.stateEnteredEventDetails?.name)).toEqual(['Responded']);

    const audit = await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual([
      'ticket.created',
      'workflow.awaiting_agent',
      'ticket.responded',
    ]);
  });

  it('takes the timeout path when the first-response deadline passes on the manual clock', async () => {
    const ticketId = await openComplaint('silent-1');
    const agent = await api.token('agent');

    await api.advance(15 * 60 - 1);
    const justBefore = await api.get(`/tickets/${ticketId}`, agent);
    expect(justBefore.body.ticket).toMatchObject({ breaches: [], escalationTier: 0 });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }))).status).toBe('RUNNING');

    await api.advance(1);
    const after = await api.get(`/tickets/${ticketId}`, agent);
    expect(after.body.ticket).toMatchObject({
      escalationTier: 1,
      awaiting: null,
      breaches: [{ metric: 'firstResponse', dueAt: justBefore.body.ticket.deadlines.firstResponse.dueAt, lateBySeconds: 0 }],
    });
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }));
    expect(execution.status).toBe('SUCCEEDED');
    const types = (await history(ticketId)).map((event) => event.type);
    expect(types).toContain('TaskTimedOut');
    expect(types.filter((type) => type?.endsWith('StateEntered'))).toEqual([
      'TaskStateEntered', // PrepareFirstResponse
      'TaskStateEntered', // AwaitFirstResponse
      'TaskStateEntered', // RecordFirstResponseBreach
      'SucceedStateEntered', // Breached
    ]);

    // A late callback finds the step settled: the action still counts and is recorded as late.
    const late = await api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'Late, sorry.' }, agent);
    expect(late.status).toBe(200);
    const audit = await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual([
      'ticket.created',
      'workflow.awaiting_agent',
      'sla.breached',
      'ticket.responded',
    ]);
    expect(audit.body.events[3].reason).toMatch(/after its deadline/);
  });

  it('answers a redelivered webhook with the same ticket and changes nothing', async () => {
    const body = JSON.stringify(complaintCreated('redelivered-1'));
    const first = await api.sendWebhook('demo', secret, body);
    const again = await api.sendWebhook('demo', secret, body);
    await api.advance(0);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ eventId: first.body.eventId, ticketId: first.body.ticketId, duplicate: true });
    const audit = await api.get(`/audit/tickets/${first.body.ticketId}`, await api.token('auditor'));
    expect(audit.body.events.filter((event: { action: string }) => event.action === 'ticket.created')).toHaveLength(1);
  });

  it('refuses bad requests with clear 4xx answers', async () => {
    const body = JSON.stringify(complaintCreated('bad-1'));
    expect((await api.request('GET', '/no/such/route')).status).toBe(404);
    expect((await api.sendWebhook('demo', 'not-the-demo-secret', body)).status).toBe(401);
    expect((await api.sendWebhook('nowhere', secret, body)).status).toBe(404);

    const malformed = await api.sendWebhook('demo', secret, '{"id": "evt-x",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/malformed JSON/);

    const missingField = complaintCreated('bad-2') as { data: Record<string, unknown> };
    delete missingField.data.orderId;
    const invalid = await api.sendWebhook('demo', secret, JSON.stringify(missingField));
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('data.orderId');

    expect((await api.get('/tickets/tkt_none')).status).toBe(401);
    const notJson = await api.request('POST', '/_local/clock/advance', { body: 'soon' });
    expect(notJson.status).toBe(400);
  });
});
