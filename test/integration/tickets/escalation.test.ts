import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintCreated } from '../../support/http-client';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';
import { startNotificationReceiver } from '../../support/notification-receiver';

const ESC_SECRET = 'esc-webhook-secret-00001';
const CONSOLE = 'https://console.example.com/aftercare';

/**
 * Assignment and escalation on the whole local stack: `assign` takes `me` or a subject of the
 * marketplace's staff; `escalate`, and a breach that raises the tier, put the ticket in the
 * next tier's pool and tell that tier's on-call channel, with the ticket's context and a link.
 */
describe('assignment and escalation that reach people', () => {
  let env: InProcessStack;
  let agents: Awaited<ReturnType<typeof startNotificationReceiver>>;
  let supervisors: Awaited<ReturnType<typeof startNotificationReceiver>>;
  let pager: Awaited<ReturnType<typeof startNotificationReceiver>>;
  let manualEscalation: string;

  beforeAll(async () => {
    agents = await startNotificationReceiver();
    supervisors = await startNotificationReceiver();
    pager = await startNotificationReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-escalation-')), 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        consoleUrl: CONSOLE,
        marketplaces: {
          esc: {
            webhookSecrets: [ESC_SECRET],
            staff: ['alice', 'bob', 'sam'],
            sla: { default: { firstResponseSeconds: 300, initialHandlingSeconds: 600 } },
            onCall: {
              channels: [
                { name: 'agents', type: 'webhook', url: agents.url, minTier: 0, maxTier: 0 },
                { name: 'supervisors', type: 'webhook', url: supervisors.url, minTier: 1, maxTier: 2 },
                { name: 'pager', type: 'pagerduty', url: pager.url, routingKey: 'R0UT1NGKEY0000000000000000000001', minTier: 1, maxTier: 2, kinds: ['escalated'] },
              ],
            },
          },
        },
      }),
    );
    env = await startInProcessStack({ configFile });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    await agents?.close();
    await supervisors?.close();
    await pager?.close();
  });

  const tokenFor = async (role: string, subject: string) =>
    (await env.api.post<{ token: string }>('/_local/tokens', { role, marketplace: 'esc', subject })).body.token;
  const open = async (reference: string) => {
    const answer = await env.api.sendWebhook('esc', ESC_SECRET, JSON.stringify(complaintCreated(reference, new Date((await env.api.nowSeconds()) * 1000).toISOString())));
    expect(answer.status).toBe(202);
    await env.api.advance(0);
    return answer.body.ticketId as string;
  };
  const act = async (ticketId: string, body: Record<string, unknown>, subject = 'alice', role = 'agent') => {
    const answer = await env.api.post(`/tickets/${ticketId}/actions`, body, await tokenFor(role, subject));
    await env.api.advance(0);
    return answer;
  };
  const queue = async (query: string, subject = 'alice') =>
    ((await env.api.get(`/tickets?${query}`, await tokenFor('agent', subject))).body.items as { id: string }[]).map((item) => item.id);
  const escalationsTo = (receiver: typeof agents, ticketId: string) =>
    receiver.received.filter((notification) => notification.body.ticketId === ticketId && notification.body.kind === 'escalated').map((notification) => notification.body);

  it('assigns to `me` or to a member of the staff, and refuses anyone else', async () => {
    const ticketId = await open('esc-assign');
    expect((await act(ticketId, { type: 'assign', assignee: 'me' })).body.ticket.assignee).toBe('alice');
    expect(await queue('assignee=me')).toEqual([ticketId]);
    expect(await queue('assignee=me', 'bob')).toEqual([]);
    expect((await act(ticketId, { type: 'assign', assignee: 'bob' })).body.ticket.assignee).toBe('bob');
    const refused = await act(ticketId, { type: 'assign', assignee: 'mallory' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('mallory is not on the staff of marketplace esc');
    expect((await env.api.get(`/tickets/${ticketId}`, await tokenFor('agent', 'alice'))).body.ticket.assignee).toBe('bob');
  });

  it('escalate: into the next tier\'s pool, and that tier\'s on-call channel is told with the ticket\'s context and link', async () => {
    const ticketId = await open('esc-manual');
    manualEscalation = ticketId;
    await act(ticketId, { type: 'assign', assignee: 'me' });
    const escalated = await act(ticketId, { type: 'escalate', message: 'needs a supervisor' });
    expect(escalated.body.ticket).toMatchObject({ escalationTier: 1 });
    expect(escalated.body.ticket.assignee).toBeUndefined();
    expect(await queue('unassigned=true&tierAtLeast=1')).toEqual([ticketId]);
    expect(await queue('assignee=me')).not.toContain(ticketId);

    expect(escalationsTo(agents, ticketId)).toEqual([]);
    expect(escalationsTo(supervisors, ticketId)).toEqual([
      {
        type: 'ticket.escalated',
        id: `${ticketId}:tier1:escalated`,
        kind: 'escalated',
        ticketId,
        marketplace: 'esc',
        metric: 'firstResponse',
        dueAt: expect.any(String),
        at: expect.any(String),
        lateBySeconds: 0,
        escalationTier: 1,
        reason: 'needs a supervisor',
        subject: 'Parcel arrived damaged',
        priority: 'normal',
        category: expect.any(String),
        assignee: null,
        stage: 'awaiting_first_response',
        link: `${CONSOLE}/tickets/${ticketId}`,
      },
    ]);
  });

  it('a breach that raises the tier moves the ticket to the pool and tells the new tier, with how late', async () => {
    const ticketId = await open('esc-breach');
    await act(ticketId, { type: 'assign', assignee: 'me' }, 'bob');
    await act(ticketId, { type: 'respond', message: 'Looking into it.' }, 'bob');
    await env.api.advance(600); // initial handling (10 min) missed: one tier up
    const ticket = (await env.api.get(`/tickets/${ticketId}`, await tokenFor('agent', 'bob'))).body.ticket;
    expect(ticket).toMatchObject({ escalationTier: 1, stage: 'awaiting_handling' });
    expect(ticket.assignee).toBeUndefined();
    expect(ticket.breaches).toEqual([expect.objectContaining({ metric: 'initialHandling', escalatedTo: 1 })]);
    expect(await queue('unassigned=true&tierAtLeast=1&breached=true', 'bob')).toContain(ticketId);
    expect(await queue('reference=esc-breach&unassigned=true&tierAtLeast=1&breached=true', 'bob')).toEqual([ticketId]);
    expect(escalationsTo(supervisors, ticketId)).toEqual([
      expect.objectContaining({
        id: `${ticketId}:tier1:escalated`,
        metric: 'initialHandling',
        reason: 'initialHandling breached',
        escalationTier: 1,
        assignee: null,
        stage: 'awaiting_handling',
        lateBySeconds: 0,
        link: `${CONSOLE}/tickets/${ticketId}`,
      }),
    ]);
    expect(escalationsTo(agents, ticketId)).toEqual([]);
  });

  it('acknowledges a notification: recorded, audited, listed, and passed to PagerDuty as acknowledge', async () => {
    const id = `${manualEscalation}:tier1:escalated`;
    const paged = () => pager.received.filter((request) => request.body.dedup_key === id);
    expect(paged().map((request) => [request.body.event_action, request.body.dedup_key])).toEqual([['trigger', id]]);
    expect((await env.api.post(`/notifications/${id}/ack`, {}, await tokenFor('agent', 'alice'))).status).toBe(403);
    expect((await env.api.post(`/notifications/${manualEscalation}:nothing:breach/ack`, {}, await tokenFor('manager', 'mia'))).status).toBe(403);

    const acked = await env.api.post(`/notifications/${id}/ack`, {}, await tokenFor('manager', 'mia'));
    expect(acked.status).toBe(200);
    expect(acked.body.notification).toMatchObject({
      id,
      acknowledged: { at: expect.any(String), by: { type: 'manager', id: 'mia' } },
      acknowledgementDeliveries: [{ channel: 'pager', state: 'sent', at: expect.any(String) }],
    });
    expect(paged().map((request) => [request.body.event_action, request.body.dedup_key, request.body.routing_key])).toEqual([
      ['trigger', id, 'R0UT1NGKEY0000000000000000000001'],
      ['acknowledge', id, 'R0UT1NGKEY0000000000000000000001'],
    ]);
    // Again: the first acknowledgement stands, PagerDuty is not told twice.
    const again = await env.api.post(`/notifications/${id}/ack`, {}, await tokenFor('admin', 'root'));
    expect(again.body.notification.acknowledged.by).toEqual({ type: 'manager', id: 'mia' });
    expect(paged()).toHaveLength(2);

    const listed = (await env.api.get('/notifications?marketplace=esc', await tokenFor('manager', 'mia'))).body.notifications as { id: string; acknowledged: unknown }[];
    expect(listed.find((notification) => notification.id === id)?.acknowledged).toEqual(acked.body.notification.acknowledged);
    const events = (await env.api.get(`/audit/tickets/${manualEscalation}`, await tokenFor('auditor', 'audrey'))).body.events as { action: string; actor: unknown; reason?: string }[];
    expect(events.filter((event) => event.action === 'notification.acknowledged')).toEqual([
      expect.objectContaining({ actor: { type: 'manager', id: 'mia' }, reason: `notification ${id}` }),
    ]);
  });
});
