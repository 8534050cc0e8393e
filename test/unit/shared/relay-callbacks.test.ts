import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundCallback } from '@shared/callbacks/outbox';
import { MAX_DELIVERIES_PER_MESSAGE, queuedCallbackSchema } from '@shared/callbacks/queued-callback';
import type { Ticket } from '@shared/tickets/ticket';
import type { TicketRepository } from '@shared/tickets/ticket-repository';
import { createRelayCallbacks } from '../../../functions/relay-callbacks/relay-callbacks';
import { ManualClock } from '../../../infra/local/clock/manual-clock';

const NOW = '2026-03-02T08:00:00.000Z';
const callback = (id: string, state: Partial<OutboundCallback>): OutboundCallback =>
  ({ id, body: { type: 'ticket.message' }, attempts: 0, ...state }) as unknown as OutboundCallback;

describe('the callbacks relay', () => {
  it("queues a ticket's callbacks due together in one message, no more in each than one write records", async () => {
    const outboxes: Record<string, OutboundCallback[]> = {
      't-1': [
        callback('a', { nextAttemptAt: '2026-03-02T07:59:00.000Z' }),
        callback('b', { attempts: 2, nextAttemptAt: NOW }),
        callback('later', { nextAttemptAt: '2026-03-02T08:01:00.000Z' }),
        callback('done', { attempts: 1, deliveredAt: '2026-03-02T07:00:00.000Z' }),
      ],
      't-2': Array.from({ length: MAX_DELIVERIES_PER_MESSAGE + 2 }, (_, n) => callback(`c${n}`, { nextAttemptAt: NOW })),
    };
    const tickets = {
      ticketsWithCallbacksDue: async () => Object.keys(outboxes),
      find: async (id: string) => ({ id, callbacks: outboxes[id] }) as unknown as Ticket,
    } as unknown as TicketRepository;
    const sent: unknown[] = [];
    const sqs = {
      send: async (command: SendMessageBatchCommand) => {
        sent.push(...(command.input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody!)));
        return {};
      },
    } as unknown as SQSClient;
    const relay = createRelayCallbacks({ tickets, clock: new ManualClock(Date.parse(NOW)), sqs, callbacksQueueUrl: 'queue', inbox: { callbacksDue: async () => [] } });

    expect(await relay()).toEqual({ queued: 3 });
    expect(sent).toEqual([
      { ticketId: 't-1', deliveries: [{ deliveryId: 'a', attempt: 1 }, { deliveryId: 'b', attempt: 3 }] },
      { ticketId: 't-2', deliveries: outboxes['t-2']!.slice(0, MAX_DELIVERIES_PER_MESSAGE).map((due) => ({ deliveryId: due.id, attempt: 1 })) },
      { ticketId: 't-2', deliveries: outboxes['t-2']!.slice(MAX_DELIVERIES_PER_MESSAGE).map((due) => ({ deliveryId: due.id, attempt: 1 })) },
    ]);
    // Each message is one the consumer reads.
    for (const message of sent) expect(queuedCallbackSchema.safeParse(message).success).toBe(true);
  });
});
