import { parseWith } from '@shared/http/parse';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { deadlineStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

/** Escalation goes up one tier per missed deadline, to at most this tier. */
export const MAX_ESCALATION_TIER = 4;

/**
 * Workflow step after a human step timed out: records the breach (how late, at what time),
 * raises the escalation tier and clears the stale task token. If the step was met in the
 * meantime (the action raced the timeout), there is no breach and nothing changes.
 */
export function createRecordBreach(deps: TicketStepDeps) {
  return async function recordBreach(event: unknown) {
    const input = parseWith(deadlineStepInput, event, 'task input');
    return retryOnConflict(async () => {
      const ticket = await deps.tickets.get(input.ticketId);
      const deadline = ticket.deadlines[input.deadline];
      if (!deadline || deadline.metAt || deadline.breachedAt) return { ticketId: ticket.id, breached: false };
      const now = deps.clock.now().toISOString();
      const lateBySeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(deadline.dueAt)) / 1000));
      await deps.tickets.update(
        ticket,
        {
          deadlines: { ...ticket.deadlines, [input.deadline]: { ...deadline, breachedAt: now } },
          breaches: [...ticket.breaches, { metric: input.deadline, dueAt: deadline.dueAt, recordedAt: now, lateBySeconds }],
          escalationTier: Math.min(MAX_ESCALATION_TIER, ticket.escalationTier + 1),
          awaiting: undefined,
        },
        {
          actor: { type: 'system', id: 'workflow' },
          via: 'workflow',
          action: 'sla.breached',
          reason: `${input.deadline} was due at ${deadline.dueAt}; ${lateBySeconds} s late`,
        },
      );
      return { ticketId: ticket.id, breached: true };
    });
  };
}
