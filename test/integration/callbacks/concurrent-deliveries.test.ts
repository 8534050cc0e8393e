import type { SQSRecord } from 'aws-lambda';
import { consumers } from '@infra/resources';
import { verifyChain } from '@shared/audit/verify-chain';
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
 * get through, or a delivery made but not recorded is made again when SQS retries it. The
 * relay puts a ticket's callbacks due together in one message: their attempts are one write.
 */
describe('callbacks of one ticket delivered together, on DynamoDB Local', () => {
  let dynamo: DynamoFixture;
  const clock = new ManualClock(Date.parse(RECEIVED));
  const batchSize = consumers.find((consumer) => consumer.function === 'deliver-callback')!.batchSize;

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
  }, 90_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  /** A ticket with `count` callbacks due, and a consumer that posts to a marketplace answering 204. */
  async function ticketWithCallbacksDue(ticketId: string, count: number) {
    const tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    const callbacks: OutboundCallback[] = Array.from({ length: count }, (_, n) => {
      const id = `${ticketId}:${ticketId}.m${n + 2}:ticket.message`;
      const body: CallbackBody = {
        deliveryId: id,
        type: 'ticket.message',
        occurredAt: RECEIVED,
        marketplace: 'demo',
        ticketId,
        reference: 'C-1',
        orderId: 'O-1',
        stage: 'awaiting_handling',
      };
      return { id, body, attempts: 0, nextAttemptAt: RECEIVED };
    });
    await tickets.create(complaintTicket({ id: ticketId, callbacksEnabled: true, callbacks }), {
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
    return { tickets, callbacks, posted, deliver };
  }

  it('records every delivery, each once', async () => {
    const { tickets, callbacks, posted, deliver } = await ticketWithCallbacksDue('t-batch', batchSize);
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

  it('posts the callbacks of one message at once and records them in one write of the ticket, each audited', async () => {
    const { tickets, callbacks, posted, deliver } = await ticketWithCallbacksDue('t-grouped', 3);
    const before = await tickets.get('t-grouped');
    const deliveries = callbacks.map((callback) => ({ deliveryId: callback.id, attempt: 1 }));

    await deliver({ messageId: 'grouped', body: JSON.stringify({ ticketId: 't-grouped', deliveries }) } as SQSRecord);

    expect(posted.sort()).toEqual(callbacks.map((callback) => callback.id).sort());
    const stored = await tickets.get('t-grouped');
    expect(stored.version).toBe(before.version + 1);
    expect(stored.auditSeq).toBe(before.auditSeq + 3);
    // Delivered, each keeps its record on the ticket without its body.
    expect(stored.callbacks!.map((callback) => Object.keys(callback).sort())).toEqual(callbacks.map(() => ['attempts', 'deliveredAt', 'id']));
    const history = await tickets.history('t-grouped');
    expect(verifyChain(history, { seq: stored.auditSeq, hash: stored.auditHead })).toEqual({ valid: true, events: stored.auditSeq, headHash: stored.auditHead });
    const delivered = history.filter((event) => event.action === 'callback.delivered');
    expect(delivered.map((event) => event.seq)).toEqual([before.auditSeq + 1, before.auditSeq + 2, before.auditSeq + 3]);
    // Each event records its own callback, in the order of the message.
    expect(delivered.map((event) => (event.changes[0]!.to as { id: string }[]).map((callback) => callback.id))).toEqual(callbacks.map((callback) => [callback.id]));

    // The same message again (SQS delivers at least once): nothing is posted or recorded twice.
    await deliver({ messageId: 'grouped-again', body: JSON.stringify({ ticketId: 't-grouped', deliveries }) } as SQSRecord);
    expect(posted).toHaveLength(3);
    expect((await tickets.get('t-grouped')).version).toBe(before.version + 1);
  });
});
