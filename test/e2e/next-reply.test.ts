import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DateTime } from 'luxon';
import { complaintCreated, StackClient } from '../support/http-client';
import { startCallbackReceiver } from '../support/callback-receiver';
import { startLocalStackProcess, type RunningLocalStack } from '../support/local-stack-process';
import { startNotificationReceiver } from '../support/notification-receiver';
import { workflowPath } from '../support/workflow-path';

const SHOP_SECRET = 'shop-webhook-secret-0001';
const SHOP_CALLBACK_SECRET = 'shop-callback-secret-0001';
const ACME_SECRET = 'acme-webhook-secret-0001';
const ON_CALL_SECRET = 'on-call-signing-secret-01';
const ZONE = 'Asia/Shanghai';
const WORKDAY = ['09:00-12:00', '13:30-18:00'];
const MINUTE = 60;
const shanghai = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO()!;

/**
 * The next-reply deadline on `npm start` with a manual clock: after a customer's message the
 * workflow waits in AwaitNextReply until the next reply's warning and deadline, while the
 * stage's own step waits again once it is met or missed; any public reply meets it, and the
 * `reply` action does so without moving the stage.
 */
describe('the next-reply deadline on the local stack', () => {
  let stack: RunningLocalStack;
  let api: StackClient;
  let sfn: SFNClient;
  let stateMachineArn: string;
  let onCall: Awaited<ReturnType<typeof startNotificationReceiver>>;
  let marketplace: Awaited<ReturnType<typeof startCallbackReceiver>>;

  beforeAll(async () => {
    onCall = await startNotificationReceiver();
    marketplace = await startCallbackReceiver();
    const shop = { webhookSecrets: [SHOP_SECRET], callbackUrl: marketplace.url, callbackSecret: SHOP_CALLBACK_SECRET };
    // Handling and resolution also in business time, so the next reply is the deadline due first.
    const acme = {
      webhookSecrets: [ACME_SECRET],
      calendar: { timeZone: ZONE, week: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY } },
      sla: { default: { clock: { initialHandling: 'business', resolution: 'business' } } },
    };
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-next-reply-')), 'config.json');
    writeFileSync(configFile, JSON.stringify({ marketplaces: { shop, acme }, onCall: { webhookUrl: onCall.url, signingSecret: ON_CALL_SECRET } }));
    stack = await startLocalStackProcess(['--port', '0', '--in-memory', '--clock', 'manual', '--config', configFile]);
    api = new StackClient(stack.url);
    stateMachineArn = stack.announced('state machine complaint');
    sfn = new SFNClient({ endpoint: stack.announced('step functions endpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }, 180_000);

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
    await onCall?.close();
    await marketplace?.close();
  });

  const executionArn = (ticketId: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${ticketId}-1`;
  async function history(ticketId: string): Promise<HistoryEvent[]> {
    return (await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(ticketId), maxResults: 1000 }))).events ?? [];
  }
  const statesEntered = async (ticketId: string) => workflowPath(await history(ticketId));

  async function open(reference: string, market = 'shop', secret = SHOP_SECRET): Promise<string> {
    const accepted = await api.sendWebhook(market, secret, JSON.stringify(complaintCreated(reference)));
    expect(accepted.status).toBe(202);
    await api.advance(0);
    return accepted.body.ticketId as string;
  }
  async function customerWrites(reference: string, text: string, market = 'shop', secret = SHOP_SECRET) {
    const event = { id: `evt-${reference}-${Date.now()}-${text.length}`, type: 'complaint.customer_replied', occurredAt: new Date().toISOString(), data: { reference, message: text } };
    expect((await api.sendWebhook(market, secret, JSON.stringify(event))).status).toBe(202);
    await api.advance(0);
  }
  async function customerEvent(reference: string, type: string, data: Record<string, unknown> = {}) {
    const event = { id: `evt-${reference}-${type}`, type, occurredAt: new Date().toISOString(), data: { reference, ...data } };
    expect((await api.sendWebhook('shop', SHOP_SECRET, JSON.stringify(event))).status).toBe(202);
    await api.advance(0);
  }
  async function act(ticketId: string, type: string, message: string, market = 'shop') {
    const answer = await api.post(`/tickets/${ticketId}/actions`, { type, message }, await api.token('agent', market));
    await api.advance(0);
    return answer;
  }
  const ticket = async (ticketId: string, market = 'shop') => (await api.get(`/tickets/${ticketId}`, await api.token('agent', market))).body.ticket;
  const auditOf = async (ticketId: string, market = 'shop') =>
    (await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor', market))).body as { events: { action: string; reason?: string }[]; chain: { valid: boolean } };
  const queue = async (query: string) =>
    (await api.get(`/tickets?marketplace=shop&${query}`, await api.token('manager', 'shop'))).body.items as { id: string; nextDeadline: { name: string; dueAt: string } | null }[];
  const toldAbout = (ticketId: string) => onCall.received.filter((n) => n.body.ticketId === ticketId);

  it('waits on the next reply after a customer message at resolution; a reply meets it in time without moving the stage, in 9 transitions', async () => {
    const ticketId = await open('nr-on-time');
    await act(ticketId, 'respond', 'We are on it.');
    await act(ticketId, 'handle', 'A courier will collect the parcel.');
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_resolution', awaiting: { step: 'resolve' } });
    expect((await api.get(`/tickets/${ticketId}`, await api.token('agent', 'shop'))).body.allowedActions).toEqual(['resolve', 'await_customer', 'reply', 'escalate', 'assign', 'note']);

    await api.advance(10 * MINUTE);
    await customerWrites('nr-on-time', 'When does the courier come?');
    const owed = await ticket(ticketId);
    expect(owed).toMatchObject({ stage: 'awaiting_resolution', awaiting: { step: 'nextReply' } });
    expect(owed.deadlines.nextReply).toEqual({ dueAt: expect.any(String), clock: 'calendar', startedAt: expect.any(String) });
    expect(Date.parse(owed.deadlines.nextReply.dueAt) - Date.parse(owed.deadlines.nextReply.startedAt)).toBe(15 * MINUTE * 1000);
    // The work queue orders by it and shows it as the next deadline.
    expect((await queue('limit=100')).find((item) => item.id === ticketId)!.nextDeadline).toEqual({ name: 'nextReply', dueAt: owed.deadlines.nextReply.dueAt });

    await api.advance(5 * MINUTE);
    const replied = await act(ticketId, 'reply', 'Tomorrow morning, between 9 and 12.');
    expect(replied.status).toBe(200);
    expect(replied.body.ticket).toMatchObject({
      stage: 'awaiting_resolution',
      nextReplies: [{ startedAt: owed.deadlines.nextReply.startedAt, dueAt: owed.deadlines.nextReply.dueAt, repliedAfterSeconds: 300, onTime: true, lateBySeconds: 0 }],
    });
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'resolve' } });
    expect((await queue('limit=100')).find((item) => item.id === ticketId)!.nextDeadline!.name).toBe('resolution');

    await act(ticketId, 'resolve', 'The replacement was delivered.');
    await customerWrites('nr-on-time', 'Thanks!'); // after the resolution: no next reply is owed
    expect((await ticket(ticketId)).deadlines.nextReply.metAt).toBeDefined();
    expect((await ticket(ticketId)).nextReplies).toHaveLength(1);

    await customerEvent('nr-on-time', 'complaint.customer_confirmed');
    await customerEvent('nr-on-time', 'survey.answered', { csat: 5 });
    expect((await ticket(ticketId)).stage).toBe('closed');

    // The happy path's 7, and 2 for the next reply: the message ends the resolution wait, the reply the next-reply wait.
    expect(await statesEntered(ticketId)).toEqual([
      'WhichStage',
      ...['AwaitStep respond', 'AwaitStep handle', 'AwaitStep resolve'],
      ...['AwaitStep nextReply', 'AwaitStep resolve'],
      ...['AwaitStep customerConfirmation', 'AwaitStep survey'],
      'Done',
    ]);
    expect((await statesEntered(ticketId)).length).toBe(9);

    const audit = await auditOf(ticketId);
    expect(audit.chain.valid).toBe(true);
    expect(audit.events.filter((event) => event.action.startsWith('ticket.') || event.action.startsWith('customer.')).map((event) => event.action)).toEqual([
      'ticket.created',
      'ticket.responded',
      'ticket.handled',
      'customer.replied',
      'ticket.replied',
      'ticket.resolved',
      'customer.replied',
      'customer.confirmed',
    ]);
    expect(audit.events.find((event) => event.action === 'ticket.replied')!.reason).toBe("next reply met 300 s after the customer's message, on time");

    // The reply is a public message of the conversation, called back to the marketplace as ticket.message.
    const messages = (await api.get(`/tickets/${ticketId}/messages`, await api.token('merchant', 'shop'))).body.messages as { id: string; kind: string; text: string }[];
    const reply = messages.find((message) => message.text === 'Tomorrow morning, between 9 and 12.')!;
    expect(reply).toMatchObject({ kind: 'reply', visibility: 'public' });
    await api.advance(60);
    const calledBack = marketplace.received.map((callback) => JSON.parse(callback.rawBody)).filter((body) => body.type === 'ticket.message' && body.ticketId === ticketId);
    expect(calledBack.find((body) => body.message.id === reply.id)).toMatchObject({ reference: 'nr-on-time', stage: 'awaiting_resolution', message: { text: reply.text } });
  });

  it('warns on-call at 12 minutes and records the breach at 15 without escalating; a late reply is recorded as late; the next message owes the next one', async () => {
    const ticketId = await open('nr-late');
    await act(ticketId, 'respond', 'We are on it.');
    await customerWrites('nr-late', 'Hello? Anyone there?');
    const owed = (await ticket(ticketId)).deadlines.nextReply;
    const sla = () => toldAbout(ticketId).map((n) => [n.body.type, n.body.metric, n.headers['x-aftercare-delivery']]);

    await api.advance(12 * MINUTE - 1);
    expect(sla()).toEqual([]);
    await api.advance(1);
    expect(sla()).toEqual([['sla.warning', 'nextReply', `${ticketId}:nextReply1:warning`]]);
    expect((await queue('atRisk=true&limit=100')).map((item) => item.id)).toContain(ticketId);
    expect((await queue('breached=true&limit=100')).map((item) => item.id)).not.toContain(ticketId);

    await api.advance(3 * MINUTE);
    const breached = await ticket(ticketId);
    expect(breached).toMatchObject({
      stage: 'awaiting_handling',
      escalationTier: 0,
      breaches: [{ metric: 'nextReply', dueAt: owed.dueAt, lateBySeconds: 0 }],
      awaiting: { step: 'handle' },
    });
    expect(sla()).toEqual([
      ['sla.warning', 'nextReply', `${ticketId}:nextReply1:warning`],
      ['sla.breached', 'nextReply', `${ticketId}:nextReply1:breach`],
    ]);
    expect(toldAbout(ticketId)[1]!.body).toMatchObject({ dueAt: owed.dueAt, lateBySeconds: 0, escalationTier: 0, stage: 'awaiting_handling' });
    expect((await queue('breached=true&limit=100')).map((item) => item.id)).toContain(ticketId);

    await api.advance(5 * MINUTE);
    const late = await act(ticketId, 'reply', 'Sorry for the wait: the courier is booked.');
    expect(late.body.ticket.nextReplies).toEqual([
      expect.objectContaining({ dueAt: owed.dueAt, repliedAfterSeconds: 20 * MINUTE, onTime: false, lateBySeconds: 5 * MINUTE, warnedAt: expect.any(String), breachedAt: expect.any(String) }),
    ]);
    expect((await auditOf(ticketId)).events.find((event) => event.action === 'ticket.replied')!.reason).toBe(
      "after its deadline: nextReply; next reply met 1200 s after the customer's message, 300 s late",
    );

    // Another message owes another reply, with notifications of its own.
    await customerWrites('nr-late', 'Which courier?');
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'nextReply' } });
    await api.advance(12 * MINUTE);
    expect(sla().at(-1)).toEqual(['sla.warning', 'nextReply', `${ticketId}:nextReply2:warning`]);

    expect(await statesEntered(ticketId)).toEqual([
      ...['WhichStage', 'AwaitStep respond', 'AwaitStep handle'],
      ...['AwaitStep nextReply', 'RecordDeadline warning', 'WhichStage'],
      ...['AwaitStep nextReply', 'RecordDeadline deadline', 'WhichStage'],
      'AwaitStep handle',
      ...['AwaitStep nextReply', 'RecordDeadline warning', 'WhichStage'],
      'AwaitStep nextReply',
    ]);
    expect((await statesEntered(ticketId)).length).toBe(14);
  });

  it('counts in working hours on a business calendar: a Friday 17:55 message is due Monday 09:10, warned at 09:07', async () => {
    // Run last: it moves the clock to a Friday in the future.
    const setClock = async (at: string) => expect((await api.post('/_local/clock/set', { at })).status).toBe(200);
    await setClock('2027-01-22T10:00:00+08:00');
    const ticketId = await open('nr-friday', 'acme', ACME_SECRET);
    await act(ticketId, 'respond', 'We are on it.', 'acme');
    await setClock('2027-01-22T17:55:00+08:00');
    await customerWrites('nr-friday', 'Will it come before the weekend?', 'acme', ACME_SECRET);
    expect((await ticket(ticketId, 'acme')).deadlines.nextReply).toEqual({ dueAt: shanghai('2027-01-25T09:10'), clock: 'business', startedAt: shanghai('2027-01-22T17:55') });

    await setClock('2027-01-25T09:06:59+08:00');
    expect(toldAbout(ticketId)).toEqual([]);
    await api.advance(1);
    expect(toldAbout(ticketId).map((n) => [n.body.type, n.body.metric, n.body.at])).toEqual([['sla.warning', 'nextReply', shanghai('2027-01-25T09:07')]]);

    await setClock('2027-01-25T09:08:00+08:00');
    const replied = await act(ticketId, 'reply', 'It arrives this afternoon.', 'acme');
    expect(replied.body.ticket.nextReplies).toEqual([
      {
        startedAt: shanghai('2027-01-22T17:55'),
        dueAt: shanghai('2027-01-25T09:10'),
        clock: 'business',
        metAt: shanghai('2027-01-25T09:08'),
        repliedAfterSeconds: (63 * 60 + 13) * 60,
        repliedAfterBusinessSeconds: 13 * 60,
        onTime: true,
        lateBySeconds: 0,
        warnedAt: shanghai('2027-01-25T09:07'),
      },
    ]);
  });
});
