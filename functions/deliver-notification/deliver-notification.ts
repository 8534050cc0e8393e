import type { SQSRecord } from 'aws-lambda';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { parseJson, parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { notificationSchema, type Notification } from '@shared/notifications/notification';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { signPayload } from '@shared/webhooks/signature';
import type { TicketStepDeps } from '@shared/workflows/step-input';

/** A receiver that does not answer within this is treated as failed (the message is retried). */
export const DELIVERY_TIMEOUT_MS = 5_000;

export interface DeliverNotificationDeps extends TicketStepDeps {
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
}

/**
 * Notifications queue consumer: delivers an on-call notification to the configured webhook
 * as signed JSON (`X-Aftercare-Delivery` carries its id, so receivers can dedupe), then
 * records it on the ticket, audited as `notification.sent`. A failed delivery throws, so
 * SQS retries it after the queue's visibility timeout and dead-letters it in the end; a
 * notification already delivered is not sent again.
 */
export function createDeliverNotification(deps: DeliverNotificationDeps) {
  return async function deliverNotification(record: SQSRecord): Promise<void> {
    const notification = parseWith(notificationSchema, parseJson(record.body), 'notification');
    const ticket = await deps.tickets.get(notification.ticketId);
    if (ticket.notificationsSent?.includes(notification.id)) return;

    const { onCall } = await deps.registry();
    if (!onCall.webhookUrl) {
      logger.warn('no on-call webhook configured; notification not delivered', { notificationId: notification.id });
      return;
    }
    await post(deps, onCall.webhookUrl, onCall.signingSecret, notification);

    // The ticket read before the delivery is usually still current; re-read only after a conflict.
    let attempt = 0;
    await retryOnConflict(async () => {
      const current = attempt++ === 0 ? ticket : await deps.tickets.get(notification.ticketId);
      if (current.notificationsSent?.includes(notification.id)) return;
      await deps.tickets.update(
        current,
        { notificationsSent: [...(current.notificationsSent ?? []), notification.id] },
        { actor: { type: 'system', id: 'notifier' }, via: 'workflow', action: 'notification.sent', reason: `on-call told: ${notification.metric} ${notification.kind}` },
      );
    });
  };
}

async function post(deps: DeliverNotificationDeps, url: string, secret: string | undefined, notification: Notification): Promise<void> {
  const body = JSON.stringify({ type: notification.kind === 'breach' ? 'sla.breached' : 'sla.warning', ...notification });
  const timestamp = String(Math.floor(deps.clock.nowMs() / 1000));
  const response = await deps.fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-aftercare-delivery': notification.id,
      'x-aftercare-timestamp': timestamp,
      ...(secret ? { 'x-aftercare-signature': signPayload(secret, timestamp, body) } : {}),
    },
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`on-call webhook answered ${response.status}`);
}
