import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseWith } from '@shared/http/parse';
import { notificationId, type Notification } from '@shared/notifications/notification';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket } from '@shared/tickets/ticket';
import { deadlineName, ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

const inputSchema = ticketStepInput.extend({ deadline: deadlineName.nullable() });

/** Escalation goes up one tier per missed deadline, to at most this tier. */
export const MAX_ESCALATION_TIER = 4;

export interface RecordBreachDeps extends TicketStepDeps {
  readonly sqs: SQSClient;
  readonly notificationsQueueUrl: string;
}

/**
 * Workflow step after a wait timed out at a deadline: records the breach (due time, how
 * late), raises the escalation tier, clears the stale task token, and queues the on-call
 * notification. Safe to run again: a breach is recorded once, and the notification is
 * queued again only until it was delivered (its id makes it one notification). If the
 * deadline was met in the meantime (the action raced the timeout), nothing happens.
 */
export function createRecordBreach(deps: RecordBreachDeps) {
  return async function recordBreach(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
    const metric = input.deadline;
    if (!metric) return { ticketId: input.ticketId, breached: false }; // a re-planning wait, not a deadline
    const ticket = await retryOnConflict(async () => {
      const current = await deps.tickets.get(input.ticketId);
      const deadline = current.deadlines[metric];
      if (!deadline || deadline.metAt || deadline.breachedAt) return current;
      const now = deps.clock.now().toISOString();
      const lateBySeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(deadline.dueAt)) / 1000));
      return deps.tickets.update(
        current,
        {
          deadlines: { ...current.deadlines, [metric]: { ...deadline, breachedAt: now } },
          breaches: [...current.breaches, { metric, dueAt: deadline.dueAt, recordedAt: now, lateBySeconds }],
          escalationTier: Math.min(MAX_ESCALATION_TIER, current.escalationTier + 1),
          awaiting: undefined,
        },
        {
          actor: { type: 'system', id: 'workflow' },
          via: 'workflow',
          action: 'sla.breached',
          reason: `${metric} was due at ${deadline.dueAt}; ${lateBySeconds} s late`,
        },
      );
    });
    const notification = breachNotification(ticket, metric);
    if (notification && !ticket.notificationsSent?.includes(notification.id)) {
      await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.notificationsQueueUrl, MessageBody: JSON.stringify(notification) }));
    }
    return { ticketId: ticket.id, breached: notification !== undefined };
  };
}

function breachNotification(ticket: Ticket, metric: Notification['metric']): Notification | undefined {
  const deadline = ticket.deadlines[metric];
  const breach = ticket.breaches.find((candidate) => candidate.metric === metric);
  if (!deadline?.breachedAt || !breach) return undefined;
  return {
    id: notificationId(ticket.id, metric, 'breach'),
    kind: 'breach',
    ticketId: ticket.id,
    marketplace: ticket.marketplace,
    metric,
    dueAt: deadline.dueAt,
    breachedAt: deadline.breachedAt,
    lateBySeconds: breach.lateBySeconds,
    escalationTier: ticket.escalationTier,
  };
}
