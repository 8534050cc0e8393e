import { nextDeadline } from '@shared/tickets/queue-keys';
import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import { escalationNotificationId, type Notification } from './notification';

/** What an on-call notification tells about its ticket, so a manager can act without opening it. */
export function ticketContext(ticket: Ticket): Pick<Notification, 'subject' | 'priority' | 'category' | 'assignee' | 'stage'> {
  return {
    subject: ticket.subject ?? null,
    priority: ticket.priority,
    category: ticket.category ?? null,
    assignee: ticket.assignee ?? null,
    stage: ticket.stage,
  };
}

/**
 * The `escalated` notification of a ticket that reached its current tier (and that tier's
 * pool): to the channels covering that tier. `metric` is the breached deadline that moved it,
 * or else its earliest running deadline.
 */
export function escalationNotification(ticket: Ticket, at: string, reason: string, metric?: DeadlineName): Notification {
  const deadline = metric ? { name: metric, dueAt: ticket.deadlines[metric]?.dueAt } : nextDeadline(ticket);
  const dueAt = deadline?.dueAt;
  return {
    id: escalationNotificationId(ticket.id, ticket.escalationTier),
    kind: 'escalated',
    ticketId: ticket.id,
    marketplace: ticket.marketplace,
    ...(deadline && dueAt ? { metric: deadline.name as DeadlineName, dueAt } : {}),
    at,
    lateBySeconds: dueAt ? Math.max(0, Math.round((Date.parse(at) - Date.parse(dueAt)) / 1000)) : 0,
    escalationTier: ticket.escalationTier,
    reason,
    ...ticketContext(ticket),
  };
}

/** The ticket in the console, when the registry names the console's address. */
export function ticketLink(consoleUrl: string | undefined, ticketId: string): string | undefined {
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/tickets/${encodeURIComponent(ticketId)}` : undefined;
}
