import { z } from 'zod';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';
import { PRIORITIES } from '@shared/webhooks/events';

export const NOTIFICATION_KINDS = ['warning', 'breach', 'escalated'] as const;

/**
 * An on-call notification, as queued and as delivered. Its id — ticket, metric and kind (for
 * an escalation: ticket and tier) — makes it one notification however often it is queued,
 * and lets receivers dedupe. It carries what a manager needs to act without opening
 * anything: the ticket's subject, priority, category, tier, assignee and stage, the due
 * time and how late (the link to the console is added as it is delivered).
 */
export const notificationSchema = z.object({
  id: z.string().min(1),
  /** `escalated`: the ticket moved up to `escalationTier`'s pool (by an agent or a breach). */
  kind: z.enum(NOTIFICATION_KINDS),
  ticketId: z.string().min(1),
  marketplace: z.string().min(1),
  /** The deadline at stake (for an escalation, the earliest running one, if any). */
  metric: z.enum(DEADLINE_NAMES).optional(),
  dueAt: z.string().optional(),
  /** When the warning, the breach or the escalation was recorded. */
  at: z.string(),
  /** For a breach: how late; for an escalation: how late its deadline is by now; for a warning: 0. */
  lateBySeconds: z.number().int().nonnegative(),
  escalationTier: z.number().int().min(0),
  subject: z.string().nullable().optional(),
  priority: z.enum(PRIORITIES).optional(),
  category: z.string().nullable().optional(),
  assignee: z.string().nullable().optional(),
  stage: z.string().optional(),
  /** For an escalation: why (the agent's message, or the breach). */
  reason: z.string().optional(),
});

export type Notification = z.infer<typeof notificationSchema>;

export function notificationId(ticketId: string, metric: string, kind: Notification['kind']): string {
  return `${ticketId}:${metric}:${kind}`;
}

/** An escalation is one notification per tier a ticket reaches (tiers only go up). */
export function escalationNotificationId(ticketId: string, tier: number): string {
  return `${ticketId}:tier${tier}:escalated`;
}

/**
 * A notification as it sits on the notifications queue. A retry carries its attempt number
 * and the channels still to deliver to; a first delivery goes to every channel that covers it.
 * `postedTo`: the channels that accepted it when the workflow's recording step posted it
 * straight away (see record-deadline); the notifier records those and posts to the others.
 */
export const queuedNotificationSchema = notificationSchema.extend({
  retry: z
    .object({
      attempt: z.number().int().min(2),
      channels: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  postedTo: z.array(z.string().min(1)).optional(),
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
