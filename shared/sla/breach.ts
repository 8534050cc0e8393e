import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import { tierAfterBreach } from './policy';

/** The fields a recorded breach changes on a ticket. */
export type BreachChange = Pick<Ticket, 'deadlines' | 'breaches' | 'escalationTier'> & Partial<Pick<Ticket, 'assignee'>>;

/**
 * A missed deadline recorded at `now`: marked breached, listed with its due time and how late,
 * and the ticket escalated as its SLA policy says: a raised tier is noted on the breach
 * (`escalatedTo`, which the new tier's `escalated` notification is built from) and moves the
 * ticket into that tier's pool, unassigned. Undefined when the deadline is not running
 * (absent, met, or already breached). Pure; shared by the workflow's RecordDeadline and by
 * actions taken late, before the workflow recorded the miss.
 */
export function breachOf(ticket: Ticket, metric: DeadlineName, now: string): { change: BreachChange; lateBySeconds: number } | undefined {
  const deadline = ticket.deadlines[metric];
  if (!deadline || deadline.metAt || deadline.breachedAt) return undefined;
  const lateBySeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(deadline.dueAt)) / 1000));
  const escalationTier = tierAfterBreach(ticket.escalationTier, metric, ticket.slaPolicy);
  const escalated = escalationTier > ticket.escalationTier;
  return {
    lateBySeconds,
    change: {
      deadlines: { ...ticket.deadlines, [metric]: { ...deadline, breachedAt: now } },
      breaches: [...ticket.breaches, { metric, dueAt: deadline.dueAt, recordedAt: now, lateBySeconds, ...(escalated ? { escalatedTo: escalationTier } : {}) }],
      escalationTier,
      ...(escalated ? { assignee: undefined } : {}),
    },
  };
}
