import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isPending } from '@shared/callbacks/outbox';
import { MAX_DELIVERIES_PER_MESSAGE, type QueuedCallback } from '@shared/callbacks/queued-callback';
import { logger } from '@shared/logger';
import type { Inbox } from '@shared/webhooks/inbox';
import type { TicketStepDeps } from '@shared/workflows/step-input';

export interface RelayCallbacksDeps extends TicketStepDeps {
  readonly sqs: SQSClient;
  readonly callbacksQueueUrl: string;
  /** Rejected events keep their `event.rejected` callback on their inbox item. */
  readonly inbox: Pick<Inbox, 'callbacksDue'>;
}

/**
 * Scheduled every minute: queues each callback whose attempt is due (the first one, or a
 * retry whose pause has passed), found with one Query on the sparse `callbacks-due` index of
 * the tickets and one on that of the inbox (`event.rejected`, kept on the event). A ticket's
 * callbacks due together go in one message, so their attempts are recorded in one write of
 * the ticket rather than in as many writes racing for it.
 * The schedule lives on the ticket as absolute times on the shared clock, so retries spread
 * over hours need no message delays or visibility changes, and work the same in AWS and on
 * the local manual clock. A callback queued twice (the consumer was slower than a minute) is
 * one attempt: the message names the attempt, and the consumer drops one already made.
 */
export function createRelayCallbacks(deps: RelayCallbacksDeps) {
  return async function relayCallbacks(): Promise<{ queued: number }> {
    const now = deps.clock.now().toISOString();
    const messages: QueuedCallback[] = [];
    for (const ticketId of await deps.tickets.ticketsWithCallbacksDue(now)) {
      const ticket = await deps.tickets.find(ticketId);
      const due = (ticket?.callbacks ?? []).filter((callback) => isPending(callback) && callback.nextAttemptAt! <= now);
      for (let start = 0; start < due.length; start += MAX_DELIVERIES_PER_MESSAGE) {
        const deliveries = due.slice(start, start + MAX_DELIVERIES_PER_MESSAGE).map((callback) => ({ deliveryId: callback.id, attempt: callback.attempts + 1 }));
        messages.push({ ticketId, deliveries });
      }
    }
    for (const { marketplace, eventId, callback } of await deps.inbox.callbacksDue(now)) {
      if (callback && isPending(callback)) messages.push({ marketplace, eventId, deliveryId: callback.id, attempt: callback.attempts + 1 });
    }
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const result = await deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.callbacksQueueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
        }),
      );
      // Not queued now, queued on the next run: the callback stays due on its ticket.
      if (result.Failed?.length) logger.warn('some callbacks were not queued', { failed: result.Failed.length });
    }
    return { queued: messages.length };
  };
}
