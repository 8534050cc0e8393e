import { isOpen } from '@shared/calendar/business-time';
import { businessCalendarOf } from '@shared/calendar/calendar-schema';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { channelRequest } from './channel-requests';
import { channelsFor, type OnCallChannel } from './channels';
import type { Notification } from './notification';
import { ticketLink } from './ticket-context';

/** What posting a notification needs. */
export interface ChannelDeliveryDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

/**
 * The channels that cover a notification: its marketplace's (or the global) on-call routing
 * for its tier and kind, in or out of working hours by the marketplace's calendar at the
 * moment the warning or breach was recorded, so every attempt goes the same way.
 */
export function coveringChannels(registry: MarketplaceRegistry, notification: Notification): OnCallChannel[] {
  const marketplace = registry.marketplaces[notification.marketplace];
  const calendar = marketplace?.calendar && businessCalendarOf(marketplace.calendar);
  const inWorkingHours = calendar ? isOpen(calendar, Date.parse(notification.at)) : true;
  return channelsFor(notification, marketplace?.onCall, registry.onCall, inWorkingHours);
}

/**
 * Posts the notification to one channel, giving it `timeoutMs` to answer: the failure's
 * description, or undefined when the channel accepted it.
 */
export async function postToChannel(
  deps: ChannelDeliveryDeps,
  registry: MarketplaceRegistry,
  channel: OnCallChannel,
  notification: Notification,
  timeoutMs: number,
): Promise<string | undefined> {
  const link = ticketLink(registry.consoleUrl, notification.ticketId);
  const request = channelRequest(channel, notification, Math.floor(deps.clock.nowMs() / 1000), link);
  try {
    const response = await deps.fetch(request.url, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `answered ${response.status}`;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
