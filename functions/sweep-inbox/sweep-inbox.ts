import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { eventRejectedCallback } from '@shared/callbacks/event-rejected';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { logger } from '@shared/logger';
import type { QueuedEvent } from '@shared/webhooks/events';
import { HOLD_LIMIT_SECONDS } from '@shared/webhooks/hold-limit';
import type { Inbox } from '@shared/webhooks/inbox';

/** An event still `received` this long after it arrived is queued again (its queuing failed or was lost). */
export const STALE_AFTER_SECONDS = 5 * 60;
/** After this many re-queues the event is left for operators (its messages sit in the DLQ, which is alarmed). */
export const MAX_REQUEUES = 5;

export interface SweepInboxDeps {
  readonly inbox: Inbox;
  readonly sqs: SQSClient;
  readonly eventsQueueUrl: string;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
}

/**
 * Scheduled: makes sure no acknowledged event is lost. Events left `received` for more than
 * a few minutes are queued again (at most {@link MAX_REQUEUES} times, no more than once per
 * {@link STALE_AFTER_SECONDS}); events held past {@link HOLD_LIMIT_SECONDS} are rejected
 * with the reason they were held (and called back, `event.rejected`, when the marketplace has
 * a callback URL). Reads only the sparse `pending` index.
 */
export function createSweepInbox(deps: SweepInboxDeps) {
  return async function sweepInbox(event?: unknown) {
    const nowMs = deps.clock.nowMs();
    const now = new Date(nowMs).toISOString();
    // The local runtime sweeps once as it starts on kept data (`{"afterRestart": true}`): its queues
    // start empty, so every event still `received` is queued again at once, not after minutes.
    const restarted = typeof event === 'object' && event !== null && (event as { afterRestart?: unknown }).afterRestart === true;
    const staleBefore = new Date(nowMs - (restarted ? 0 : STALE_AFTER_SECONDS) * 1000).toISOString();
    const holdExpiredBefore = new Date(nowMs - HOLD_LIMIT_SECONDS * 1000).toISOString();
    let requeued = 0;
    let rejected = 0;

    for (const item of await deps.inbox.pendingBefore(staleBefore)) {
      if (item.status === 'held') {
        if (item.receivedAt >= holdExpiredBefore) continue;
        const reason = `held for more than ${HOLD_LIMIT_SECONDS / 3600} h: ${item.reason ?? 'dependency missing'}`;
        const { marketplaces } = await deps.registry();
        await deps.inbox.reject(item, reason, now, eventRejectedCallback(marketplaces[item.marketplace], item, reason, now));
        rejected += 1;
      } else if ((item.requeues ?? 0) < MAX_REQUEUES && (await deps.inbox.noteRequeue(item, now, staleBefore))) {
        const message: QueuedEvent = { marketplace: item.marketplace, eventId: item.eventId };
        await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.eventsQueueUrl, MessageBody: JSON.stringify(message) }));
        requeued += 1;
      }
    }
    if (requeued || rejected) logger.info('inbox swept', { requeued, rejected });
    return { requeued, rejected };
  };
}
