import { createServer, type Server } from 'node:http';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { queues } from '@infra/resources';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import type { Notification } from '@shared/notifications/notification';
import { NotificationStore } from '@shared/notifications/notification-store';
import { tellOnCall } from '@shared/notifications/tell-on-call';
import { complaintDeadlines } from '@shared/sla/policy';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { signPayload } from '@shared/webhooks/signature';
import { createDeliverNotification } from '../../../functions/deliver-notification/deliver-notification';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { startSqsLocal, type SqsLocal } from '../../../infra/local/aws/sqs-local';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';
import { metricRecorder } from '../../support/metric-recorder';

const SECRET = 'on-call-secret-0000001';
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';

interface Received {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

/**
 * The notifier against DynamoDB Local, local SQS and a local receiver standing in for the
 * on-call channels (a signed webhook, a Slack-compatible and a PagerDuty-compatible endpoint),
 * which can be told to fail.
 */
describe('deliver-notification', () => {
  let dynamo: DynamoFixture;
  let sqsLocal: SqsLocal;
  let sqs: SQSClient;
  let tickets: TicketRepository;
  let store: NotificationStore;
  let server: Server;
  let base: string;
  const received: Received[] = [];
  /** Per path, the statuses to answer next (then 200). */
  const failures = new Map<string, number[]>();
  // After any real date the tests run on: DynamoDB Local expires notification items by TTL, counted from `at`.
  const clock = new ManualClock(Date.parse('2099-03-01T08:15:00.000Z'));
  let metrics = metricRecorder();

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    sqsLocal = await startSqsLocal({ notifications: queues.notifications }, { notifications: 'test-notifications' });
    sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    store = new NotificationStore(dynamo.client, dynamo.tableNames.notifications);
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        response.writeHead(failures.get(path)?.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 90_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    sqs?.destroy();
    await sqsLocal?.stop();
    await dynamo?.stop();
  });

  const registry = (): MarketplaceRegistry => ({
    marketplaces: {
      demo: {
        webhookSecrets: ['demo-webhook-secret-0001'],
        onCall: {
          channels: [
            { name: 'ops', type: 'webhook', url: `${base}/ops`, signingSecret: SECRET, minTier: 0, maxTier: 4, kinds: ['warning', 'breach'] },
            { name: 'supervisors', type: 'slack', url: `${base}/slack`, minTier: 1, maxTier: 4, kinds: ['warning', 'breach'] },
            { name: 'managers', type: 'pagerduty', url: `${base}/pagerduty`, routingKey: ROUTING_KEY, minTier: 2, maxTier: 4, kinds: ['breach'] },
          ],
        },
      },
      quiet: { webhookSecrets: ['quiet-webhook-secret-001'] },
    },
    onCall: {},
  });

  const deliver = () =>
    createDeliverNotification({
      tickets,
      store,
      clock,
      sqs,
      queueUrl: sqsLocal.queues.notifications!.url,
      deadLetterQueueUrl: sqsLocal.queues.notifications!.deadLetterUrl,
      fetch: (input, init) => fetch(input, init),
      registry: async () => registry(),
      metrics,
    });

  async function openTicket(id: string, marketplace = 'demo'): Promise<void> {
    await tickets.create(
      {
        id,
        kind: 'complaint',
        marketplace,
        externalRef: id,
        orderId: 'O-1',
        customerRef: 'c-1',
        priority: 'normal',
        stage: 'awaiting_first_response',
        escalationTier: 1,
        deadlines: complaintDeadlines('2026-03-01T08:00:00.000Z'),
        breaches: [],
        facts: {},
      },
      { actor: { type: 'system', id: 'test' }, via: 'workflow', action: 'ticket.created' },
    );
  }

  const notification = (ticketId: string, overrides: Partial<Notification> = {}): Notification => ({
    id: `${ticketId}:firstResponse:breach`,
    kind: 'breach',
    ticketId,
    marketplace: 'demo',
    metric: 'firstResponse',
    dueAt: '2026-03-01T08:15:00.000Z',
    at: clock.now().toISOString(),
    lateBySeconds: 0,
    escalationTier: 1,
    ...overrides,
  });
  const record = (body: unknown) => ({ messageId: 'm-1', body: JSON.stringify(body) }) as SQSRecord;
  const receivedFor = (ticketId: string) => received.filter((request) => JSON.stringify(request.body).includes(ticketId));
  const actions = async (ticketId: string) => (await tickets.history(ticketId)).map((event) => [event.action, event.reason]);
  const queueDepth = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};

  it('delivers to each channel covering the tier and kind, in that channel\'s format, and audits each', async () => {
    await openTicket('t-channels');
    await deliver()(record(notification('t-channels')));

    // Tier 1: the webhook and Slack; PagerDuty starts at tier 2.
    const [webhook, slack, ...others] = receivedFor('t-channels').sort((a, b) => a.path.localeCompare(b.path));
    expect(others).toHaveLength(0);
    expect(webhook!.path).toBe('/ops');
    expect(webhook!.body).toMatchObject({ type: 'sla.breached', metric: 'firstResponse', escalationTier: 1 });
    expect(webhook!.headers['x-aftercare-delivery']).toBe('t-channels:firstResponse:breach');
    expect(webhook!.headers['x-aftercare-signature']).toBe(
      signPayload(SECRET, String(webhook!.headers['x-aftercare-timestamp']), JSON.stringify(webhook!.body)),
    );
    expect(slack!.path).toBe('/slack');
    expect(slack!.body.text).toMatch(/^:rotating_light: SLA breached: first response on ticket t-channels \(demo\)/);
    expect(slack!.body.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'section' })]));

    expect((await tickets.get('t-channels')).notificationsSent).toEqual([
      't-channels:firstResponse:breach@ops',
      't-channels:firstResponse:breach@supervisors',
    ]);
    expect(await actions('t-channels')).toEqual([
      ['ticket.created', undefined],
      ['notification.sent', 'on-call told via ops: firstResponse breach'],
      ['notification.sent', 'on-call told via supervisors: firstResponse breach'],
    ]);

    // Queued again (a repeated workflow step): no channel is told twice.
    await deliver()(record(notification('t-channels')));
    expect(receivedFor('t-channels')).toHaveLength(2);
  });

  it('pages PagerDuty for a breach at the manager tiers, with the notification id as dedup key', async () => {
    await openTicket('t-pager');
    await deliver()(record(notification('t-pager', { id: 't-pager:resolution:breach', metric: 'resolution', escalationTier: 3, lateBySeconds: 5 })));

    const page = receivedFor('t-pager').find((request) => request.path === '/pagerduty');
    expect(page?.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 't-pager:resolution:breach',
      payload: { severity: 'critical', source: 'aftercare/demo', component: 'demo', group: 'resolution', class: 'sla.breached' },
    });
    // A warning is not a page.
    await deliver()(record(notification('t-pager', { id: 't-pager:resolution:warning', kind: 'warning', metric: 'resolution', escalationTier: 3 })));
    expect(receivedFor('t-pager:resolution:warning').map((request) => request.path).sort()).toEqual(['/ops', '/slack']);
  });

  it('retries only the failed channel after a growing delay, audits each failure, then parks it in the dead-letter queue', async () => {
    await openTicket('t-retry');
    metrics = metricRecorder();
    failures.set('/slack', [503]);
    const first = notification('t-retry');
    await deliver()(record(first));

    expect(receivedFor('t-retry').map((request) => request.path).sort()).toEqual(['/ops', '/slack']);
    const retryQueued = await queueDepth(sqsLocal.queues.notifications!.url);
    expect(retryQueued).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1' });
    expect(metrics.counted()).toEqual({});
    const [listed] = (await store.recent('demo', 10)).notifications.filter((candidate) => candidate.id === first.id);
    expect(listed).toMatchObject({
      state: 'retrying',
      deliveries: [
        { channel: 'ops', type: 'webhook', state: 'sent', attempts: 1 },
        { channel: 'supervisors', type: 'slack', state: 'retrying', attempts: 1, lastError: 'answered 503', nextAttemptAt: '2099-03-01T08:15:30.000Z' },
      ],
    });
    expect((await actions('t-retry')).slice(1)).toEqual([
      ['notification.sent', 'on-call told via ops: firstResponse breach'],
      ['notification.failed', 'delivery via supervisors failed (attempt 1: answered 503); next attempt at 2099-03-01T08:15:30.000Z'],
    ]);

    // The last attempt fails too: the notification waits in the dead-letter queue.
    failures.set('/slack', [500]);
    await deliver()(record({ ...first, retry: { attempt: 8, channels: ['supervisors'] } }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sqsLocal.queues.notifications!.deadLetterUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((message) => JSON.parse(message.Body ?? '{}') as unknown)).toEqual([first]);
    expect((await actions('t-retry')).at(-1)).toEqual([
      'notification.failed',
      'delivery via supervisors failed (attempt 8: answered 500); gave up after 8 attempts; parked in the dead-letter queue',
    ]);
    expect(metrics.counted()).toEqual({ NotificationsGivenUp: 1 });
    const [parked] = (await store.recent('demo', 10)).notifications.filter((candidate) => candidate.id === first.id);
    expect(parked).toMatchObject({ state: 'failed', deliveries: [{ state: 'sent' }, { state: 'failed', attempts: 8 }] });

    // A redrive from the dead-letter queue tries again the channel that never got it, and only that one.
    const before = receivedFor('t-retry').length;
    await deliver()(record(first));
    expect(receivedFor('t-retry').slice(before).map((request) => request.path)).toEqual(['/slack']);
    expect((await tickets.get('t-retry')).notificationsSent).toEqual(['t-retry:firstResponse:breach@ops', 't-retry:firstResponse:breach@supervisors']);
  });

  it('is posted by the recording step at once, then recorded by the notifier without a second post', async () => {
    await openTicket('t-at-once');
    failures.set('/slack', [503]);
    const told = notification('t-at-once');
    const onCall = { registry: async () => registry(), fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init), clock, sqs, notificationsQueueUrl: sqsLocal.queues.notifications!.url };
    await tellOnCall(onCall, await tickets.get('t-at-once'), told);
    expect(receivedFor('t-at-once').map((request) => request.path).sort()).toEqual(['/ops', '/slack']);

    // Queued with the channel that accepted it; Slack answered 503 and is the notifier's to deliver.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sqsLocal.queues.notifications!.url, MaxNumberOfMessages: 10 }));
    const queued = (Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>).filter((body) => body.ticketId === 't-at-once');
    expect(queued).toEqual([{ ...told, postedTo: ['ops'] }]);

    await deliver()(record(queued[0]));
    expect(receivedFor('t-at-once').map((request) => request.path).sort()).toEqual(['/ops', '/slack', '/slack']);
    expect((await tickets.get('t-at-once')).notificationsSent).toEqual(['t-at-once:firstResponse:breach@ops', 't-at-once:firstResponse:breach@supervisors']);
    expect((await actions('t-at-once')).slice(1)).toEqual([
      ['notification.sent', 'on-call told via ops: firstResponse breach'],
      ['notification.sent', 'on-call told via supervisors: firstResponse breach'],
    ]);

    // Told again (the recording step ran again): the notifier has it, so nothing is posted or queued.
    await tellOnCall(onCall, await tickets.get('t-at-once'), told);
    expect(receivedFor('t-at-once')).toHaveLength(3);
  });

  it('records a notification no channel covers, and sends nothing', async () => {
    await openTicket('t-quiet', 'quiet');
    await deliver()(record(notification('t-quiet', { marketplace: 'quiet' })));
    expect(receivedFor('t-quiet')).toHaveLength(0);
    expect((await store.recent('quiet', 10)).notifications).toEqual([expect.objectContaining({ id: 't-quiet:firstResponse:breach', state: 'no_channel', deliveries: [] })]);
  });

  it('lists a marketplace\'s notifications newest first, page by page', async () => {
    for (const minute of [1, 2, 3]) {
      await openTicket(`t-list-${minute}`, 'listed');
      await store.recordUnroutable(notification(`t-list-${minute}`, { marketplace: 'listed', at: `2099-03-02T00:0${minute}:00.000Z` }));
    }
    const first = await store.recent('listed', 2);
    const second = await store.recent('listed', 2, first.cursor);
    expect([...first.notifications, ...second.notifications].map((listed) => listed.ticketId)).toEqual(['t-list-3', 't-list-2', 't-list-1']);
    expect(second.cursor).toBeUndefined();
  });
});
