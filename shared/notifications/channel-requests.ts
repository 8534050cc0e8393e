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
export const notificationType = (notification: Notification) =>
  notification.kind === 'breach' ? 'sla.breached' : notification.kind === 'escalated' ? 'ticket.escalated' : 'sla.warning';

/** The ticket's context in a few words: subject, priority, category, stage, assignee. */
function contextLine(notification: Notification): string {
  const parts = [
    notification.subject ? `"${notification.subject}"` : undefined,
    notification.priority ? `priority ${notification.priority}` : undefined,
    notification.category ?? undefined,
    notification.stage ? `stage ${notification.stage}` : undefined,
    notification.assignee === undefined ? undefined : notification.assignee ? `assigned to ${notification.assignee}` : 'unassigned',
  ].filter(Boolean);
  return parts.length ? ` — ${parts.join(', ')}` : '';
}

/** One line a person reads first: what happened to which ticket, and where it stands now. */
export function notificationSummary(notification: Notification): string {
  const metric = notification.metric ? metricLabel(notification.metric) : 'no running deadline';
  const where = `ticket ${notification.ticketId} (${notification.marketplace})`;
  const context = contextLine(notification);
  switch (notification.kind) {
    case 'breach':
      return `SLA breached: ${metric} on ${where} was due at ${notification.dueAt}, ${notification.lateBySeconds} s late; escalated to tier ${notification.escalationTier}${context}`;
    case 'escalated': {
      const due = notification.dueAt ? `; ${metric} due at ${notification.dueAt}${notification.lateBySeconds ? `, ${notification.lateBySeconds} s late` : ''}` : '';
      return `Escalated to tier ${notification.escalationTier}: ${where} is in the tier's pool${due}${notification.reason ? ` (${notification.reason})` : ''}${context}`;
    }
    default:
      return `SLA warning: ${metric} on ${where} is due at ${notification.dueAt}; tier ${notification.escalationTier}${context}`;
  }
}

/**
 * The request that delivers `notification` to `channel`, in the shape that channel expects.
 * Every request carries `X-Aftercare-Delivery` (the notification id) so receivers can dedupe.
 * `link` is the ticket in the console, when the registry names the console.
 */
export function channelRequest(channel: OnCallChannel, notification: Notification, timestampSeconds: number, link?: string): ChannelRequest {
  const common = { 'content-type': 'application/json', 'x-aftercare-delivery': notification.id };
  switch (channel.type) {
    case 'webhook': {
      // Signed like inbound webhooks: HMAC-SHA256 over "<timestamp>.<body>".
      const body = JSON.stringify({ type: notificationType(notification), ...notification, link: link ?? null });
      const timestamp = String(timestampSeconds);
      const headers: Record<string, string> = { ...common, 'x-aftercare-timestamp': timestamp };
      if (channel.signingSecret) headers['x-aftercare-signature'] = signPayload(channel.signingSecret, timestamp, body);
      return { url: channel.url, body, headers };
    }
    case 'slack':
      return { url: channel.url, body: JSON.stringify(slackMessage(notification, link)), headers: common };
    case 'pagerduty':
      return { url: channel.url, body: JSON.stringify(pagerDutyEvent(channel.routingKey, notification, link)), headers: common };
  }
}

/** A Slack incoming-webhook message: `text` for notifications and clients without blocks, blocks for the rest. */
function slackMessage(notification: Notification, link?: string) {
  const icon = notification.kind === 'breach' ? ':rotating_light:' : notification.kind === 'escalated' ? ':arrow_double_up:' : ':warning:';
  const text = `${icon} ${notificationSummary(notification)}${link ? ` <${link}|open the ticket>` : ''}`;
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
function pagerDutyEvent(routingKey: string, notification: Notification, link?: string) {
  const severity = notification.kind === 'warning' ? 'warning' : notification.escalationTier >= 3 ? 'critical' : 'error';
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: notification.id,
    ...(link ? { links: [{ href: link, text: 'the ticket in Aftercare' }] } : {}),
    payload: {
      summary: notificationSummary(notification).slice(0, 1024),
      source: `aftercare/${notification.marketplace}`,
      severity,
      timestamp: notification.at,
      component: notification.marketplace,
      group: notification.metric ?? 'escalation',
      class: notificationType(notification),
      custom_details: { ...notification, link: link ?? null },
    },
  };
}

/**
 * A PagerDuty Events API v2 `acknowledge` for a notification it was sent: same routing key
 * and dedup key, so the alert it opened is marked acknowledged.
 */
export function pagerDutyAcknowledge(channel: Extract<OnCallChannel, { type: 'pagerduty' }>, notificationId: string): ChannelRequest {
  return {
    url: channel.url,
    body: JSON.stringify({ routing_key: channel.routingKey, event_action: 'acknowledge', dedup_key: notificationId }),
    headers: { 'content-type': 'application/json', 'x-aftercare-delivery': `${notificationId}:ack` },
  };
}
