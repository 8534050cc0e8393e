import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, canSeeMarketplace } from '@shared/auth/caller';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { ForbiddenError, NotFoundError } from '@shared/errors';
import { notificationIdParam } from '@shared/http/identifiers';
import { jsonResponse } from '@shared/http/responses';
import { pagerDutyAcknowledge } from '@shared/notifications/channel-requests';
import { channelsOf } from '@shared/notifications/channels';
import type { NotificationStore } from '@shared/notifications/notification-store';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { LinkedWriteConflictError, type TicketRepository } from '@shared/tickets/ticket-repository';

/** A PagerDuty endpoint that does not answer within this counts as failed (the acknowledgement may be repeated). */
const ACKNOWLEDGE_TIMEOUT_MS = 5_000;

export interface AcknowledgeNotificationDeps {
  readonly tickets: TicketRepository;
  readonly store: Pick<NotificationStore, 'find' | 'acknowledgeWrite' | 'recordAcknowledgementDelivery'>;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

/**
 * `POST /notifications/{id}/ack` (manager, admin): someone took the notification in hand.
 * The acknowledgement is recorded on the notification and audited on its ticket
 * (`notification.acknowledged`) in one transaction, then passed on as a PagerDuty
 * `acknowledge` (same dedup key) to every PagerDuty channel that delivered it. Acknowledging
 * again changes nothing recorded (the first acknowledgement stands) and passes it on again
 * to channels where that failed.
 */
export function createAcknowledgeNotification(deps: AcknowledgeNotificationDeps) {
  return async function acknowledgeNotification(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const id = notificationIdParam(event);
    const notification = await deps.store.find(id);
    // A notification of another marketplace gets the same answer as a missing one.
    if (!notification || !canSeeMarketplace(caller, notification.marketplace)) {
      if (!notification && caller.marketplaces.includes('*')) throw new NotFoundError(`notification ${id} not found`);
      throw new ForbiddenError('no notification with this id is within your marketplace grant');
    }
    const by = { type: caller.role, id: caller.subject };
    const now = deps.clock.now().toISOString();
    if (!notification.acknowledged) {
      try {
        await retryOnConflict(async () => {
          const ticket = await deps.tickets.get(notification.ticketId);
          await deps.tickets.update(ticket, {}, { actor: by, via: 'api', action: 'notification.acknowledged', reason: `notification ${id}` }, [
            deps.store.acknowledgeWrite(id, now, by),
          ]);
        });
      } catch (error) {
        // Acknowledged meanwhile by someone else: theirs stands.
        if (!(error instanceof LinkedWriteConflictError)) throw error;
      }
    }
    await passOnToPagerDuty(deps, notification, now);
    return jsonResponse(200, { notification: await deps.store.find(id) });
  };
}

/** Sends `acknowledge` to each PagerDuty channel that delivered the notification and has not had it yet. */
async function passOnToPagerDuty(deps: AcknowledgeNotificationDeps, notification: NonNullable<Awaited<ReturnType<NotificationStore['find']>>>, now: string) {
  const registry = await deps.registry();
  const own = channelsOf(registry.marketplaces[notification.marketplace]?.onCall);
  const channels = own.length > 0 ? own : channelsOf(registry.onCall);
  const done = new Set(notification.acknowledgementDeliveries.filter((delivery) => delivery.state === 'sent').map((delivery) => delivery.channel));
  const delivered = new Set(notification.deliveries.filter((delivery) => delivery.type === 'pagerduty' && delivery.state === 'sent').map((delivery) => delivery.channel));
  for (const channel of channels) {
    if (channel.type !== 'pagerduty' || !delivered.has(channel.name) || done.has(channel.name)) continue;
    const request = pagerDutyAcknowledge(channel, notification.id);
    let error: string | undefined;
    try {
      const response = await deps.fetch(request.url, { method: 'POST', body: request.body, headers: request.headers, signal: AbortSignal.timeout(ACKNOWLEDGE_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (!response.ok) error = `answered ${response.status}`;
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    }
    await deps.store.recordAcknowledgementDelivery(notification.id, { channel: channel.name, state: error ? 'failed' : 'sent', at: now, ...(error ? { error } : {}) });
  }
}
