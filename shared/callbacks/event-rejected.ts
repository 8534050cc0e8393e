import type { MarketplaceConfig } from '@shared/config/marketplaces';
import type { InboxItem } from '@shared/webhooks/inbox';
import { callbackDueNow, type OutboundCallback } from './outbox';

/**
 * What the marketplace receives when one of its events can never apply (`event.rejected`).
 * The event may belong to no ticket (an unknown reference), so this callback lives on the
 * event's inbox item, not in a ticket's outbox, and is delivered by the same code.
 */
export interface EventRejectedBody {
  readonly deliveryId: string;
  readonly type: 'event.rejected';
  readonly occurredAt: string;
  readonly marketplace: string;
  /** The event as the marketplace sent it: its id, type and case reference. */
  readonly eventId: string;
  readonly eventType: string;
  readonly reference: string;
  readonly reason: string;
}

export type EventRejectedCallback = OutboundCallback<EventRejectedBody>;

/**
 * The `event.rejected` callback for an event rejected `now` for `reason`, when the
 * marketplace has a `callbackUrl` at that moment (else none: nobody to tell). The delivery id
 * is derived from the event, so rejecting twice could never make two.
 */
export function eventRejectedCallback(
  marketplace: Pick<MarketplaceConfig, 'callbackUrl'> | undefined,
  item: InboxItem,
  reason: string,
  now: string,
): EventRejectedCallback | undefined {
  if (!marketplace?.callbackUrl) return undefined;
  const id = `${item.marketplace}:${item.eventId}:event.rejected`;
  return callbackDueNow<EventRejectedBody>(id, now, {
    type: 'event.rejected',
    marketplace: item.marketplace,
    eventId: item.eventId,
    eventType: item.event.type,
    reference: item.event.data.reference,
    reason,
  });
}
