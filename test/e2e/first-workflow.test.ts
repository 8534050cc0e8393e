import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { signPayload } from '@shared/webhooks/signature';
import { complaintCreated, StackClient } from '../support/http-client';
import { startLocalStackProcess, type RunningLocalStack } from '../support/local-stack-process';
import { startNotificationReceiver } from '../support/notification-receiver';
import { workflowPath } from '../support/workflow-path';

const ON_CALL_SECRET = 'on-call-signing-secret-01';
const PRECISE_SECRET = 'precise-webhook-secret-01';
const MINUTE = 60;
const HOUR = 3600;

/**
 * The complaint path driven as a user would: `npm start` with a manual clock, a signed
 * webhook over HTTP → inbox (DynamoDB Local) → events queue (local SQS) → consumer →
 * StartExecution → Lambda task → `.waitForTaskToken` task → agent action over HTTP →
 * SendTaskSuccess; and without the action, each deadline passes on the manual clock, the
 * breach is recorded, the ticket escalates and on-call is told.
 */
describe('complaint workflow on the local stack', () => {
  let stack: RunningLocalStack;
  let api: StackClient;
  let sfn: SFNClient;
  let secret: string;
  let stateMachineArn: string;
  let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

  beforeAll(async () => {
    receiver = await startNotificationReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-e2e-')), 'config.json');
    const precise = { webhookSecrets: [PRECISE_SECRET], sla: { default: { firstResponseSeconds: 900, warningAtFraction: 0.3337 } } };
    writeFileSync(configFile, JSON.stringify({ marketplaces: { precise }, onCall: { webhookUrl: receiver.url, signingSecret: ON_CALL_SECRET } }));
    stack = await startLocalStackProcess(['--port', '0', '--in-memory', '--clock', 'manual', '--config', configFile]);
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
    await receiver?.close();
  });

  const executionArn = (ticketId: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${ticketId}-1`; // the first generation
  const status = async (ticketId: string) => (await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }))).status;
  async function history(ticketId: string): Promise<HistoryEvent[]> {
    return (await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(ticketId), maxResults: 1000 }))).events ?? [];
  }
  const transitions = async (ticketId: string) => (await history(ticketId)).filter((event) => event.type?.endsWith('StateEntered')).length;
  /** The states the execution went through, in order, each wait named by its step and each recording by its phase. */
  const statesEntered = async (ticketId: string) => workflowPath(await history(ticketId));
  const actions = async (ticketId: string) =>
    ((await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'))).body.events as { action: string }[]).map((event) => event.action);

  async function openComplaint(reference: string): Promise<string> {
    const accepted = await api.sendWebhook('demo', secret, JSON.stringify(complaintCreated(reference)));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ eventId: `evt-${reference}`, duplicate: false });
    await api.advance(0); // let the queue, the consumer and the first workflow steps settle
    return accepted.body.ticketId as string;
  }

  async function act(ticketId: string, type: string, token: string) {
    const answer = await api.post(`/tickets/${ticketId}/actions`, { type, message: `${type} done` }, token);
    await api.advance(0);
    return answer;
  }

  const customerEvent = (reference: string, type: string, data: Record<string, unknown> = {}) =>
    api.sendWebhook('demo', secret, JSON.stringify({ id: `evt-${reference}-${type}-${Date.now()}`, type, occurredAt: new Date().toISOString(), data: { reference, ...data } }));

  it('follows respond, handle, resolve, confirmation and survey to the close, in 7 transitions', async () => {
    const ticketId = await openComplaint('happy-1');
    const agent = await api.token('agent');

    const waiting = await api.get(`/tickets/${ticketId}`, agent);
    expect(waiting.status).toBe(200);
    expect(waiting.body.ticket).toMatchObject({ id: ticketId, marketplace: 'demo', stage: 'awaiting_first_response', awaiting: { step: 'respond' } });
    expect(JSON.stringify(waiting.body)).not.toContain('taskToken');
    expect(await status(ticketId)).toBe('RUNNING');

    expect((await act(ticketId, 'handle', agent)).status).toBe(409);
    expect((await act(ticketId, 'respond', agent)).body.ticket).toMatchObject({ stage: 'awaiting_handling' });
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket.awaiting).toMatchObject({ step: 'handle' });
    expect((await act(ticketId, 'handle', agent)).body.ticket).toMatchObject({ stage: 'awaiting_resolution' });
    expect((await act(ticketId, 'resolve', agent)).body.ticket).toMatchObject({ stage: 'resolved', breaches: [] });

    await customerEvent('happy-1', 'complaint.customer_confirmed');
    await api.advance(0);
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket).toMatchObject({ stage: 'awaiting_survey', awaiting: { step: 'survey' } });
    await customerEvent('happy-1', 'survey.answered', { csat: 5, nps: 9 });
    await api.advance(0);
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket).toMatchObject({ stage: 'closed', facts: { survey: { csat: 5, nps: 9 } } });

    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(7);
    // Started with its plan; after that each completion carries the plan for the next wait, so the execution goes from wait
    // to wait, and the survey's answer, after which nothing is awaited, ends it.
    expect(await statesEntered(ticketId)).toEqual([
      'WhichStage',
      ...['AwaitStep respond', 'AwaitStep handle', 'AwaitStep resolve', 'AwaitStep customerConfirmation', 'AwaitStep survey'],
      'Done',
    ]);
    expect((await history(ticketId)).map((event) => event.type)).toContain('TaskSubmitted');
    const audit = await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    expect(audit.body.events.map((event: { action: string }) => event.action).filter((action: string) => action !== 'workflow.awaiting_agent')).toEqual([
      'ticket.created',
      'ticket.responded',
      'ticket.handled',
      'ticket.resolved',
      'customer.confirmed',
      'survey.answered',
    ]);
  });

  it('takes silence as confirmation after 72 h and closes when the survey window ends', async () => {
    const ticketId = await openComplaint('quiet-customer');
    const agent = await api.token('agent');
    for (const action of ['respond', 'handle', 'resolve']) await act(ticketId, action, agent);

    await api.advance(72 * HOUR - 1);
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket.stage).toBe('resolved');
    await api.advance(1);
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket).toMatchObject({ stage: 'awaiting_survey', surveySentAt: expect.any(String) });
    await api.advance(7 * 24 * HOUR);
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket.stage).toBe('closed');
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await actions(ticketId)).toEqual(expect.arrayContaining(['ticket.confirmed', 'ticket.closed']));
    expect(await transitions(ticketId)).toBe(11);
    expect((await statesEntered(ticketId)).slice(4)).toEqual([
      ...['AwaitStep customerConfirmation', 'RecordDeadline autoConfirm', 'WhichStage'],
      ...['AwaitStep survey', 'RecordDeadline close', 'WhichStage'],
      'Done',
    ]);
  });

  it('returns a reopened ticket to handling with the resolution deadline it had', async () => {
    const ticketId = await openComplaint('reopened-1');
    const agent = await api.token('agent');
    for (const action of ['respond', 'handle', 'resolve']) await act(ticketId, action, agent);
    const resolved = (await api.get(`/tickets/${ticketId}`, agent)).body.ticket;

    await customerEvent('reopened-1', 'complaint.reopened', { reason: 'Still broken.' });
    await api.advance(0);
    const reopened = (await api.get(`/tickets/${ticketId}`, agent)).body.ticket;
    expect(reopened).toMatchObject({ stage: 'awaiting_resolution', awaiting: { step: 'resolve' } });
    expect(reopened.deadlines.resolution.dueAt).toBe(resolved.deadlines.resolution.dueAt);
    expect(reopened.deadlines.resolution.metAt).toBeUndefined();
    expect((await act(ticketId, 'resolve', agent)).body.ticket.stage).toBe('resolved');
    expect(await transitions(ticketId)).toBe(7);
  });

  it('warns on-call at 12 minutes, then records the missed first response at 15 and tells on-call, without escalating', async () => {
    const ticketId = await openComplaint('silent-1');
    const agent = await api.token('agent');
    const toldAbout = () => receiver.received.filter((n) => n.body.ticketId === ticketId);

    await api.advance(12 * MINUTE - 1);
    expect(toldAbout()).toHaveLength(0);
    await api.advance(1);
    expect(toldAbout().map((n) => n.body)).toEqual([
      expect.objectContaining({ type: 'sla.warning', metric: 'firstResponse', escalationTier: 0 }),
    ]);

    await api.advance(3 * MINUTE - 1);
    const justBefore = await api.get(`/tickets/${ticketId}`, agent);
    expect(justBefore.body.ticket).toMatchObject({ breaches: [], escalationTier: 0 });

    await api.advance(1);
    const after = await api.get(`/tickets/${ticketId}`, agent);
    expect(after.body.ticket).toMatchObject({
      escalationTier: 0,
      breaches: [{ metric: 'firstResponse', dueAt: justBefore.body.ticket.deadlines.firstResponse.dueAt, lateBySeconds: 0 }],
      awaiting: { step: 'respond' },
    });
    const breach = toldAbout()[1]!;
    expect(breach.body).toMatchObject({ type: 'sla.breached', metric: 'firstResponse', escalationTier: 0, marketplace: 'demo' });
    expect(breach.headers['x-aftercare-delivery']).toBe(`${ticketId}:firstResponse:breach`);
    expect(breach.headers['x-aftercare-signature']).toBe(
      signPayload(ON_CALL_SECRET, String(breach.headers['x-aftercare-timestamp']), JSON.stringify(breach.body)),
    );
    expect(await status(ticketId)).toBe('RUNNING');
    expect((await history(ticketId)).map((event) => event.type)).toContain('TaskTimedOut');

    // A late action still counts, and is recorded as late.
    expect((await act(ticketId, 'respond', agent)).status).toBe(200);
    const recorded = await actions(ticketId);
    expect(recorded.filter((action) => !['workflow.awaiting_agent', 'notification.sent'].includes(action))).toEqual([
      'ticket.created',
      'sla.warning',
      'sla.breached',
      'ticket.responded',
    ]);
    expect(recorded.filter((action) => action === 'notification.sent')).toHaveLength(2);
    const audit = await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    expect(audit.body.events.find((event: { action: string }) => event.action === 'ticket.responded').reason).toBe('after its deadline: firstResponse');
    expect(await transitions(ticketId)).toBe(9);
    // Each recording step answers with the plan for the ticket as it left it.
    expect(await statesEntered(ticketId)).toEqual([
      ...['WhichStage', 'AwaitStep respond', 'RecordDeadline warning'],
      ...['WhichStage', 'AwaitStep respond', 'RecordDeadline deadline'],
      ...['WhichStage', 'AwaitStep respond', 'AwaitStep handle'],
    ]);

    // Managers see the notifications and how their delivery went; agents may not list them.
    const listed = await api.get('/notifications?marketplace=demo&limit=100', await api.token('manager'));
    expect(listed.status).toBe(200);
    expect(listed.body.notifications.filter((n: { ticketId: string }) => n.ticketId === ticketId)).toEqual([
      expect.objectContaining({ id: `${ticketId}:firstResponse:breach`, state: 'sent', deliveries: [expect.objectContaining({ channel: 'on-call', type: 'webhook', state: 'sent', attempts: 1 })] }),
      expect.objectContaining({ id: `${ticketId}:firstResponse:warning`, state: 'sent' }),
    ]);
    expect((await api.get('/notifications?marketplace=demo', agent)).status).toBe(403);
    expect((await api.get('/notifications?marketplace=demo&limit=0', await api.token('manager'))).status).toBe(400);
  });

  it('records a warning at its exact moment, though Step Functions times out in whole seconds', async () => {
    // 33.37 % of 15 minutes: the warning is due 300.33 s after receipt.
    const accepted = await api.sendWebhook('precise', PRECISE_SECRET, JSON.stringify(complaintCreated('precise-1')));
    await api.advance(0);
    const ticketId = accepted.body.ticketId as string;
    const warningAction = async () =>
      ((await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor', 'precise'))).body.events as { action: string; at: string }[]).find(
        (event) => event.action === 'sla.warning',
      );
    const opened = Date.parse((await api.get(`/tickets/${ticketId}`, await api.token('agent', 'precise'))).body.ticket.createdAt);

    await api.advance(300);
    expect(await warningAction()).toBeUndefined();
    await api.advance(1);
    expect(Date.parse((await warningAction())!.at) - opened).toBe(300_330);
  });

  it('escalates one tier when initial handling misses 24 h and to the manager tier when resolution misses 48 h, telling on-call once each', async () => {
    const ticketId = await openComplaint('silent-2');
    await api.advance(48 * HOUR);

    const ticket = (await api.get(`/tickets/${ticketId}`, await api.token('manager'))).body.ticket;
    expect(ticket.breaches.map((breach: { metric: string }) => breach.metric)).toEqual(['firstResponse', 'initialHandling', 'resolution']);
    expect(ticket.escalationTier).toBe(2);
    const told = receiver.received.filter((n) => n.body.ticketId === ticketId);
    const sla = told.filter((n) => String(n.body.type).startsWith('sla.'));
    expect(sla.map((n) => [n.body.type, n.body.metric, n.body.escalationTier])).toEqual([
      ['sla.warning', 'firstResponse', 0],
      ['sla.breached', 'firstResponse', 0],
      ['sla.warning', 'initialHandling', 0],
      ['sla.breached', 'initialHandling', 1],
      ['sla.warning', 'resolution', 1],
      ['sla.breached', 'resolution', 2],
    ]);
    // Each breach that raised the tier also tells the new tier that the ticket is in its pool.
    const escalations = told.filter((n) => n.body.type === 'ticket.escalated');
    expect(escalations.map((n) => [n.body.type, n.body.metric, n.body.escalationTier])).toEqual([
      ['ticket.escalated', 'initialHandling', 1],
      ['ticket.escalated', 'resolution', 2],
    ]);
    expect(await status(ticketId)).toBe('RUNNING'); // still waiting for the response, re-planning monthly
    expect(await transitions(ticketId)).toBe(20);
  });

  it('stops the resolution clock while waiting on the customer, and moves the deadline by the pause', async () => {
    const ticketId = await openComplaint('paused-1');
    const agent = await api.token('agent');
    await act(ticketId, 'respond', agent);
    const dueBefore = (await api.get(`/tickets/${ticketId}`, agent)).body.ticket.deadlines.resolution.dueAt;

    await api.advance(HOUR);
    const paused = await act(ticketId, 'await_customer', agent);
    expect(paused.body.ticket).toMatchObject({ stage: 'awaiting_customer', pausedFrom: 'awaiting_handling' });
    expect((await api.get(`/tickets/${ticketId}`, agent)).body.ticket.awaiting).toMatchObject({ step: 'customerReply' });
    expect((await act(ticketId, 'handle', agent)).status).toBe(409);

    await api.advance(10 * HOUR);
    const reply = { id: 'evt-paused-1-reply', type: 'complaint.customer_replied', occurredAt: new Date().toISOString(), data: { reference: 'paused-1', message: 'Here is the photo.' } };
    expect((await api.sendWebhook('demo', secret, JSON.stringify(reply))).status).toBe(202);
    await api.advance(0);

    const resumed = (await api.get(`/tickets/${ticketId}`, agent)).body.ticket;
    // Back at handling; the customer's message starts a next reply, due first, so the workflow waits on that.
    expect(resumed).toMatchObject({ stage: 'awaiting_handling', awaiting: { step: 'nextReply' }, pausedIntervals: [{ from: expect.any(String), to: expect.any(String) }] });
    expect(Date.parse(resumed.deadlines.nextReply.dueAt) - Date.parse(resumed.deadlines.nextReply.startedAt)).toBe(15 * MINUTE * 1000);
    expect(Date.parse(resumed.deadlines.resolution.dueAt) - Date.parse(dueBefore)).toBe(10 * HOUR * 1000);
    expect(await actions(ticketId)).toEqual(expect.arrayContaining(['ticket.paused', 'customer.replied']));
    expect(await transitions(ticketId)).toBe(5);
  });

  it('escalates, assigns and notes without moving the workflow, each audited', async () => {
    const ticketId = await openComplaint('housekeeping-1');
    const manager = await api.token('manager');
    const post = (body: Record<string, unknown>) => api.post(`/tickets/${ticketId}/actions`, body, manager);

    expect((await post({ type: 'escalate', message: 'VIP customer' })).body.ticket).toMatchObject({ escalationTier: 1 });
    expect((await post({ type: 'assign', assignee: 'li.wei' })).body.ticket).toMatchObject({ assignee: 'li.wei' });
    expect((await post({ type: 'note', message: 'Called the courier.' })).body.ticket).toMatchObject({ stage: 'awaiting_first_response' });
    await api.advance(0);

    expect((await api.get(`/tickets/${ticketId}`, manager)).body.ticket.awaiting).toMatchObject({ step: 'respond' });
    const events = (await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'))).body.events as {
      action: string;
      reason?: string;
      actor: { type: string };
      message?: { kind: string; length: number };
    }[];
    // The note's text is a message of its own; its audit event holds the digest.
    // The escalation's on-call delivery is audited too (notification.*): left out here.
    const housekeeping = events.filter((event) => event.action.startsWith('ticket.'));
    expect(housekeeping.slice(-3).map((event) => [event.action, event.reason, event.actor.type, event.message?.kind, event.message?.length])).toEqual([
      ['ticket.escalated', 'VIP customer', 'manager', undefined, undefined],
      ['ticket.assigned', undefined, 'manager', undefined, undefined],
      ['ticket.noted', undefined, 'manager', 'note', 'Called the courier.'.length],
    ]);
    for (let tier = 2; tier <= 4; tier += 1) await post({ type: 'escalate', message: `tier ${tier}` });
    expect((await post({ type: 'escalate', message: 'beyond' })).status).toBe(409);
    expect(await transitions(ticketId)).toBe(2); // housekeeping never wakes the workflow
  });

  it('answers a repeated action with the same Idempotency-Key once more, changing nothing', async () => {
    const ticketId = await openComplaint('idempotent-1');
    const agent = await api.token('agent');
    const send = (key: string, message = 'On it.') =>
      api.request('POST', `/tickets/${ticketId}/actions`, {
        body: JSON.stringify({ type: 'respond', message }),
        headers: { authorization: `Bearer ${agent}`, 'idempotency-key': key },
      });

    const first = await send('key-1');
    const again = await send('key-1');
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    expect((await send('key-1', 'Another message')).status).toBe(409);
    expect((await send('key-2')).status).toBe(409); // a new request: respond is no longer allowed
    await api.advance(0);
    expect((await actions(ticketId)).filter((action) => action === 'ticket.responded')).toHaveLength(1);
    expect(await transitions(ticketId)).toBe(3);
  });

  it('raises a repeat complaint by the same customer and dispatches it to a supervisor', async () => {
    const first = { ...complaintCreated('repeat-1'), data: { ...complaintCreated('repeat-1').data, customerRef: 'cust-repeat' } };
    const second = { ...complaintCreated('repeat-2'), data: { ...complaintCreated('repeat-2').data, customerRef: 'cust-repeat' } };
    await api.sendWebhook('demo', secret, JSON.stringify(first));
    await api.advance(3600);
    const accepted = await api.sendWebhook('demo', secret, JSON.stringify(second));
    await api.advance(0);

    const ticket = (await api.get(`/tickets/${accepted.body.ticketId}`, await api.token('agent'))).body.ticket;
    expect(ticket).toMatchObject({ repeat: true, priority: 'high', escalationTier: 1, category: 'product_quality' });
    // In the supervisors' pool: unassigned at tier 1 until a supervisor takes it.
    expect(ticket.assignee).toBeUndefined();
  });

  it('answers a redelivered webhook with the same ticket and changes nothing', async () => {
    const body = JSON.stringify(complaintCreated('redelivered-1'));
    const first = await api.sendWebhook('demo', secret, body);
    const again = await api.sendWebhook('demo', secret, body);
    await api.advance(0);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ eventId: first.body.eventId, ticketId: first.body.ticketId, duplicate: true });
    expect((await actions(first.body.ticketId)).filter((action) => action === 'ticket.created')).toHaveLength(1);
  });

  it('refuses bad requests with clear 4xx answers', async () => {
    const body = JSON.stringify(complaintCreated('bad-1'));
    expect((await api.request('GET', '/no/such/route')).status).toBe(404);
    expect((await api.sendWebhook('demo', 'not-the-demo-secret', body)).status).toBe(401);
    expect((await api.sendWebhook('nowhere', secret, body)).status).toBe(404);
    expect((await api.sendWebhook('constructor', secret, body)).status).toBe(404);

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
