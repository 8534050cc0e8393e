import { createServer, type Server } from 'node:http';
import type { SQSRecord } from 'aws-lambda';
import { complaintDeadlines } from '@shared/sla/policy';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { signPayload } from '@shared/webhooks/signature';
import { createDeliverNotification } from '../../../functions/deliver-notification/deliver-notification';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

const SECRET = 'on-call-secret-0000001';

/** The notifier against DynamoDB Local and a local on-call receiver that fails, then recovers. */
describe('deliver-notification', () => {
  let dynamo: DynamoFixture;
  let tickets: TicketRepository;
  let server: Server;
  let url: string;
  const answers: number[] = [];
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  const clock = new ManualClock(Date.parse('2026-03-01T08:15:00.000Z'));

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/on-call`;
  }, 90_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await dynamo?.stop();
  });

  const deliver = () =>
    createDeliverNotification({
      tickets,
      clock,
      fetch: (input, init) => fetch(input, init),
      registry: async () => ({ marketplaces: {}, onCall: { webhookUrl: url, signingSecret: SECRET } }),
    });

  const record = (ticketId: string) =>
    ({
      body: JSON.stringify({
        id: `${ticketId}:firstResponse:breach`,
        kind: 'breach',
        ticketId,
        marketplace: 'demo',
        metric: 'firstResponse',
        dueAt: '2026-03-01T08:15:00.000Z',
        at: '2026-03-01T08:15:00.000Z',
        lateBySeconds: 0,
        escalationTier: 1,
      }),
    }) as SQSRecord;

  it('fails while the receiver fails (so SQS retries), then delivers once, signed, and audits it', async () => {
    await tickets.create(
      {
        id: 't-notify',
        kind: 'complaint',
        marketplace: 'demo',
        externalRef: 'C-1',
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
    answers.push(503);

    await expect(deliver()(record('t-notify'))).rejects.toThrow('on-call webhook answered 503');
    expect((await tickets.get('t-notify')).notificationsSent).toBeUndefined();

    await deliver()(record('t-notify')); // the retry
    await deliver()(record('t-notify')); // queued again: not sent again

    expect(received).toHaveLength(2);
    const delivered = received[1]!;
    expect(delivered.headers['x-aftercare-delivery']).toBe('t-notify:firstResponse:breach');
    expect(delivered.headers['x-aftercare-signature']).toBe(signPayload(SECRET, String(delivered.headers['x-aftercare-timestamp']), delivered.body));
    expect(JSON.parse(delivered.body)).toMatchObject({ type: 'sla.breached', metric: 'firstResponse', escalationTier: 1 });
    expect((await tickets.get('t-notify')).notificationsSent).toEqual(['t-notify:firstResponse:breach']);
    expect((await tickets.history('t-notify')).map((event) => event.action)).toEqual(['ticket.created', 'notification.sent']);
  });
});
