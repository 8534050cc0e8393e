import { signPayload } from '@shared/webhooks/signature';
import type { OnCallChannel } from './channels';
import type { Notification } from './notification';

/** An HTTP POST to one channel: what to send and with which headers. */
export interface ChannelRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** `firstResponse` → `first response`: metric names as people read them. */
export function metricLabel(metric: string): string {
  return metric.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

/** The event type a notification has in Aftercare's own webhook payload. */
export const notificationType = (notification: Notification) => (notification.kind === 'breach' ? 'sla.breached' : 'sla.warning');

/** One line a person reads first: what happened to which ticket, and where it stands now. */
export function notificationSummary(notification: Notification): string {
  const metric = metricLabel(notification.metric);
  return notification.kind === 'breach'
    ? `SLA breached: ${metric} on ticket ${notification.ticketId} (${notification.marketplace}) was due at ${notification.dueAt}, ${notification.lateBySeconds} s late; escalated to tier ${notification.escalationTier}`
    : `SLA warning: ${metric} on ticket ${notification.ticketId} (${notification.marketplace}) is due at ${notification.dueAt}; tier ${notification.escalationTier}`;
}

/**
 * The request that delivers `notification` to `channel`, in the shape that channel expects.
 * Every request carries `X-Aftercare-Delivery` (the notification id) so receivers can dedupe.
 */
export function channelRequest(channel: OnCallChannel, notification: Notification, timestampSeconds: number): ChannelRequest {
  const common = { 'content-type': 'application/json', 'x-aftercare-delivery': notification.id };
  switch (channel.type) {
    case 'webhook': {
      // Signed like inbound webhooks: HMAC-SHA256 over "<timestamp>.<body>".
      const body = JSON.stringify({ type: notificationType(notification), ...notification });
      const timestamp = String(timestampSeconds);
      const headers: Record<string, string> = { ...common, 'x-aftercare-timestamp': timestamp };
      if (channel.signingSecret) headers['x-aftercare-signature'] = signPayload(channel.signingSecret, timestamp, body);
      return { url: channel.url, body, headers };
    }
    case 'slack':
      return { url: channel.url, body: JSON.stringify(slackMessage(notification)), headers: common };
    case 'pagerduty':
      return { url: channel.url, body: JSON.stringify(pagerDutyEvent(channel.routingKey, notification)), headers: common };
  }
}

/** A Slack incoming-webhook message: `text` for notifications and clients without blocks, blocks for the rest. */
function slackMessage(notification: Notification) {
  const icon = notification.kind === 'breach' ? ':rotating_light:' : ':warning:';
  const text = `${icon} ${notificationSummary(notification)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `notification \`${notification.id}\` · recorded ${notification.at}` }],
      },
    ],
  };
}

/**
 * A PagerDuty Events API v2 `trigger`. The notification id is the dedup key, so a repeated
 * delivery updates the same alert instead of paging twice; breaches at the manager tiers
 * are critical.
 */
function pagerDutyEvent(routingKey: string, notification: Notification) {
  const severity = notification.kind === 'warning' ? 'warning' : notification.escalationTier >= 3 ? 'critical' : 'error';
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: notification.id,
    payload: {
      summary: notificationSummary(notification).slice(0, 1024),
      source: `aftercare/${notification.marketplace}`,
      severity,
      timestamp: notification.at,
      component: notification.marketplace,
      group: notification.metric,
      class: notificationType(notification),
      custom_details: notification,
    },
  };
}
