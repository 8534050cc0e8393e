import type { SQSRecord } from 'aws-lambda';
import { consumers } from '@infra/resources';
import type { CallbackBody, OutboundCallback } from '@shared/callbacks/outbox';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { Inbox } from '@shared/webhooks/inbox';
import { createDeliverCallback } from '../../../functions/deliver-callback/deliver-callback';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { complaintTicket, RECEIVED } from '../../support/complaint-ticket';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';
import { metricRecorder } from '../../support/metric-recorder';

/**
 * The callbacks consumer handles a batch's records at once. When every record is a callback of
 * the same ticket, each records its attempt on that ticket at the same moment: all of them must
 * get through, or a delivery made but not recorded is made again when SQS retries it.
 */
describe('a full batch of callbacks for one ticket, on DynamoDB Local', () => {
  let dynamo: DynamoFixture;
  const clock = new ManualClock(Date.parse(RECEIVED));
  const batchSize = consumers.find((consumer) => consumer.function === 'deliver-callback')!.batchSize;

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
  }, 90_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('records every delivery, each once', async () => {
    const tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    const callbacks: OutboundCallback[] = Array.from({ length: batchSize }, (_, n) => {
      const id = `t-batch:t-batch.m${n + 2}:ticket.message`;
      const body: CallbackBody = {
        deliveryId: id,
        type: 'ticket.message',
        occurredAt: RECEIVED,
        marketplace: 'demo',
        ticketId: 't-batch',
        reference: 'C-1',
        orderId: 'O-1',
        stage: 'awaiting_handling',
      };
      return { id, body, attempts: 0, nextAttemptAt: RECEIVED };
    });
    await tickets.create(complaintTicket({ id: 't-batch', callbacksEnabled: true, callbacks }), {
      actor: { type: 'system', id: 'test' },
      via: 'workflow',
      action: 'ticket.created',
    });
    const registry = {
      marketplaces: { demo: { webhookSecrets: ['demo-webhook-secret-0001'], callbackUrl: 'https://shop.example/callbacks', callbackSecret: 'demo-callback-secret-01' } },
    } as unknown as MarketplaceRegistry;
    const posted: string[] = [];
    const deliver = createDeliverCallback({
      tickets,
      registry: async () => registry,
      fetch: async (_url, init) => {
        posted.push(String(new Headers(init?.headers).get('X-Aftercare-Delivery')));
        return new Response(null, { status: 204 });
      },
      messages: { findById: async () => undefined },
      inbox: new Inbox(dynamo.client, dynamo.tableNames.inbox),
      clock,
      metrics: metricRecorder(),
    });
    const record = (callback: OutboundCallback) => ({ messageId: callback.id, body: JSON.stringify({ ticketId: 't-batch', deliveryId: callback.id, attempt: 1 }) }) as SQSRecord;

    const outcomes = await Promise.allSettled(callbacks.map((callback) => deliver(record(callback))));

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(posted.sort()).toEqual(callbacks.map((callback) => callback.id).sort());
    const stored = await tickets.get('t-batch');
    expect(stored.callbacks!.map((callback) => ({ attempts: callback.attempts, delivered: callback.deliveredAt !== undefined }))).toEqual(
      callbacks.map(() => ({ attempts: 1, delivered: true })),
    );
    const history = await tickets.history('t-batch');
    expect(history.filter((event) => event.action === 'callback.delivered')).toHaveLength(batchSize);
  });
});
