import { z } from 'zod';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';

/**
 * An on-call notification, as queued and as delivered. Its id — ticket, metric and kind —
 * makes it one notification however often it is queued, and lets receivers dedupe.
 */
export const notificationSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['warning', 'breach']),
  ticketId: z.string().min(1),
  marketplace: z.string().min(1),
  metric: z.enum(DEADLINE_NAMES),
  dueAt: z.string(),
  /** When the warning or the breach was recorded. */
  at: z.string(),
  /** For a breach: how late; for a warning: 0. */
  lateBySeconds: z.number().int().nonnegative(),
  escalationTier: z.number().int().min(0),
});

export type Notification = z.infer<typeof notificationSchema>;

export function notificationId(ticketId: string, metric: string, kind: Notification['kind']): string {
  return `${ticketId}:${metric}:${kind}`;
}

/**
 * A notification as it sits on the notifications queue. A retry carries its attempt number
 * and the channels still to deliver to; a first delivery goes to every channel that covers it.
 */
export const queuedNotificationSchema = notificationSchema.extend({
  retry: z
    .object({
      attempt: z.number().int().min(2),
      channels: z.array(z.string().min(1)).min(1),
    })
    .optional(),
});

export type QueuedNotification = z.infer<typeof queuedNotificationSchema>;

/** What a ticket's `notificationsSent` records: this notification reached this channel. */
export function deliveryKey(notificationId: string, channel: string): string {
  return `${notificationId}@${channel}`;
}

/** Whether the notifier has delivered the notification to any channel (it then owns the rest of its delivery). */
export function wasDelivered(notificationsSent: readonly string[] | undefined, notificationId: string): boolean {
  return (notificationsSent ?? []).some((key) => key.startsWith(`${notificationId}@`));
}
