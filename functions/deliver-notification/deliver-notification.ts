import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { parseJson, parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { coveringChannels, postToChannel } from '@shared/notifications/channel-delivery';
import { deliveryKey, queuedNotificationSchema, type Notification, type QueuedNotification } from '@shared/notifications/notification';
import type { NotificationStore } from '@shared/notifications/notification-store';
import { METRIC_NAMES, type Counter } from '@shared/observability/metrics';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket } from '@shared/tickets/ticket';
import type { ChangeContext } from '@shared/tickets/ticket-repository';
import type { TicketStepDeps } from '@shared/workflows/step-input';
import { retryDelaySeconds, MAX_DELIVERY_ATTEMPTS } from './retry-schedule';

/** A receiver that does not answer within this is treated as failed (and retried). */
export const DELIVERY_TIMEOUT_MS = 5_000;

export interface DeliverNotificationDeps extends TicketStepDeps {
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
  readonly store: NotificationStore;
  readonly sqs: SQSClient;
  /** Where retries go (the notifications queue itself, with a delay). */
  readonly queueUrl: string;
  /** Where a notification goes once every attempt failed, for an operator to redrive. */
  readonly deadLetterQueueUrl: string;
  /** Counts notifications given up (parked in the dead-letter queue, which the stack also alarms on). */
  readonly metrics: Counter;
}

const notifier = (action: string, reason: string): ChangeContext => ({ actor: { type: 'system', id: 'notifier' }, via: 'workflow', action, reason, bookkeeping: true });

/**
 * Notifications queue consumer. Delivers an on-call notification to every channel configured
 * for its marketplace, tier and kind (signed JSON webhook, Slack, PagerDuty), each at most once:
 * a delivery is recorded on the ticket (`notification.sent`) and a channel that has it is
 * skipped. A failed channel is audited (`notification.failed`) and retried alone, with a
 * growing delay (30 s doubling to 15 min, 8 attempts), by queuing the notification again with
 * `DelaySeconds`; after the last attempt it is parked in the dead-letter queue. The retry is
 * queued before anything is recorded, so a crash can repeat an attempt but never lose one.
 * A warning or breach the workflow recorded was posted by its recording step already (its
 * `postedTo`): those channels are recorded here as sent, without posting again.
 */
export function createDeliverNotification(deps: DeliverNotificationDeps) {
  return async function deliverNotification(record: SQSRecord): Promise<void> {
    const message = parseWith(queuedNotificationSchema, parseJson(record.body), 'notification');
    const { retry, postedTo: _posted, ...notification } = message;
    const attempt = retry?.attempt ?? 1;
    let ticket = await deps.tickets.get(notification.ticketId);

    const registry = await deps.registry();
    const covering = coveringChannels(registry, notification);
    if (covering.length === 0) {
      logger.warn('no on-call channel covers this notification; not delivered', { notificationId: notification.id });
      await deps.store.recordUnroutable(notification);
      return;
    }
    const due = covering.filter(
      (channel) => (!retry || retry.channels.includes(channel.name)) && !ticket.notificationsSent?.includes(deliveryKey(notification.id, channel.name)),
    );

    // Channels the recording step reached already are recorded as sent, not posted again.
    const posted = new Set(message.postedTo ?? []);
    const outcomes = await Promise.all(
      due.map(async (channel) => ({ channel, error: posted.has(channel.name) ? undefined : await postToChannel(deps, registry, channel, notification, DELIVERY_TIMEOUT_MS) })),
    );
    const failed = outcomes.filter((outcome) => outcome.error !== undefined);
    const nextAttemptAt = failed.length ? await queueRetry(deps, message, attempt, failed.map((outcome) => outcome.channel.name)) : undefined;

    const now = deps.clock.now().toISOString();
    for (const { channel, error } of outcomes) {
      const base = { channel: channel.name, type: channel.type, attempts: attempt, lastAttemptAt: now };
      if (error === undefined) {
        ticket = await recordOnTicket(deps, ticket, notification, channel.name, 'notification.sent', `on-call told via ${channel.name}: ${notification.metric ?? `tier ${notification.escalationTier}`} ${notification.kind}`);
        await deps.store.recordDelivery(notification, { ...base, state: 'sent', sentAt: now });
      } else {
        const outlook = nextAttemptAt ? `next attempt at ${nextAttemptAt}` : `gave up after ${attempt} attempts; parked in the dead-letter queue`;
        ticket = await recordOnTicket(deps, ticket, notification, channel.name, 'notification.failed', `delivery via ${channel.name} failed (attempt ${attempt}: ${error}); ${outlook}`);
        await deps.store.recordDelivery(notification, {
          ...base,
          state: nextAttemptAt ? 'retrying' : 'failed',
          lastError: error,
          ...(nextAttemptAt ? { nextAttemptAt } : {}),
        });
      }
    }
  };
}

/**
 * Queues the next attempt for the failed channels, after the backoff delay, or parks the
 * notification in the dead-letter queue after the last attempt. Returns when the next attempt
 * is due, or undefined when there is none. A redrive from the dead-letter queue starts afresh.
 */
async function queueRetry(deps: DeliverNotificationDeps, message: QueuedNotification, attempt: number, channels: string[]): Promise<string | undefined> {
  const { retry: _retry, postedTo: _posted, ...notification } = message;
  if (attempt >= MAX_DELIVERY_ATTEMPTS) {
    await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.deadLetterQueueUrl, MessageBody: JSON.stringify(notification) }));
    deps.metrics.count(METRIC_NAMES.notificationsGivenUp);
    return undefined;
  }
  const delaySeconds = retryDelaySeconds(attempt);
  const next: QueuedNotification = { ...notification, retry: { attempt: attempt + 1, channels } };
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.queueUrl, MessageBody: JSON.stringify(next), DelaySeconds: delaySeconds }));
  return new Date(deps.clock.nowMs() + delaySeconds * 1000).toISOString();
}

/** Audits one channel's delivery on the ticket; a success also marks the channel done, so it is never sent twice. */
async function recordOnTicket(
  deps: DeliverNotificationDeps,
  ticket: Ticket,
  notification: Notification,
  channel: string,
  action: 'notification.sent' | 'notification.failed',
  reason: string,
): Promise<Ticket> {
  const key = deliveryKey(notification.id, channel);
  // The ticket read before the delivery is usually still current; re-read only after a conflict.
  let attempt = 0;
  return retryOnConflict(async () => {
    const current = attempt++ === 0 ? ticket : await deps.tickets.get(ticket.id);
    if (current.notificationsSent?.includes(key)) return current;
    const change: Partial<Ticket> = action === 'notification.sent' ? { notificationsSent: [...(current.notificationsSent ?? []), key] } : {};
    return deps.tickets.update(current, change, notifier(action, reason));
  });
}
