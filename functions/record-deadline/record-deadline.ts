import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { waitUntil, type Clock } from '@shared/clock';
import { parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { notificationId, wasDelivered, type Notification } from '@shared/notifications/notification';
import { BREACH_LOG_MESSAGE } from '@shared/sla/breach-log';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import type { ChangeContext } from '@shared/tickets/ticket-repository';
import { onMerchantBreach, onWindowEnd } from '@shared/returns/return-flow';
import { tierAfterBreach } from '@shared/sla/policy';
import { deadlineName, ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

const inputSchema = ticketStepInput.extend({
  deadline: deadlineName.nullable(),
  phase: z.enum(['warning', 'deadline', 'autoConfirm', 'close', 'windowEnd']),
  /** The exact moment the wait was about (absent from executions planned before it was passed). */
  until: z.iso.datetime().optional(),
});

/**
 * The timeout before this step ends on a whole second at or just before the moment it is
 * about (Step Functions counts in seconds); the rest is waited out here, so a breach is
 * recorded at its due time to the millisecond. Anything earlier than this is not a
 * rounding and is not waited for.
 */
const MAX_WAIT_MS = 2_000;

async function waitForTheMoment(source: Clock, until: string | undefined): Promise<void> {
  if (!until) return;
  const early = Date.parse(until) - source.nowMs();
  if (early > 0 && early <= MAX_WAIT_MS) await waitUntil(source, Date.parse(until));
}

export interface RecordDeadlineDeps extends TicketStepDeps {
  readonly sqs: SQSClient;
  readonly notificationsQueueUrl: string;
}

const workflowChange = (action: string, reason: string): ChangeContext => ({
  actor: { type: 'system', id: 'workflow' },
  via: 'workflow',
  action,
  reason,
});

/**
 * Workflow step after a wait timed out, run at the exact moment the wait was about (the
 * timeout ends on the whole second before it). At a deadline's warning time: records the warning
 * and queues it for on-call. At the deadline: records the breach (due time, how late),
 * escalates as the SLA policy says, clears the stale task token and queues the on-call notification.
 * Safe to run again: each is recorded once, and a notification is queued again only until
 * it was delivered (its id makes it one notification). If the deadline was met in the
 * meantime (the action raced the timeout), nothing happens.
 */
export function createRecordDeadline(deps: RecordDeadlineDeps) {
  return async function recordDeadline(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
    await waitForTheMoment(deps.clock, input.until);
    if (input.phase === 'autoConfirm' || input.phase === 'close') return endWindow(deps, input.ticketId, input.phase);
    const metric = input.deadline;
    if (!metric) return { ticketId: input.ticketId, recorded: false }; // a re-planning wait, not a deadline
    if (input.phase === 'windowEnd') return endBuyerWindow(deps, input.ticketId, metric);
    let breachRecorded = false;
    const ticket = await retryOnConflict(async () => {
      const current = await deps.tickets.get(input.ticketId);
      const deadline = current.deadlines[metric];
      if (!deadline || deadline.metAt || deadline.breachedAt) return current;
      const now = deps.clock.now().toISOString();
      if (input.phase === 'warning') {
        if (deadline.warnedAt) return current;
        return deps.tickets.update(
          current,
          { deadlines: { ...current.deadlines, [metric]: { ...deadline, warnedAt: now } } },
          workflowChange('sla.warning', `${metric} is due at ${deadline.dueAt}`),
        );
      }
      const lateBySeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(deadline.dueAt)) / 1000));
      const breached: Partial<Ticket> = {
        deadlines: { ...current.deadlines, [metric]: { ...deadline, breachedAt: now } },
        breaches: [...current.breaches, { metric, dueAt: deadline.dueAt, recordedAt: now, lateBySeconds }],
        escalationTier: tierAfterBreach(current.escalationTier, metric, current.slaPolicy),
        awaiting: undefined,
      };
      // A return's missed merchant limit also moves the case: silence approves, no receipt makes the refund due.
      const consequence = current.kind === 'return' ? onMerchantBreach({ ...current, ...breached }, metric, now) : {};
      const recorded = await deps.tickets.update(
        current,
        { ...breached, ...consequence },
        workflowChange('sla.breached', `${metric} was due at ${deadline.dueAt}; ${lateBySeconds} s late${consequenceNote(consequence)}`),
      );
      breachRecorded = true;
      return recorded;
    });
    // One line per recorded breach: the stack counts these lines (a log metric filter) and alarms on a surge.
    if (breachRecorded) logger.info(BREACH_LOG_MESSAGE, { ticketId: ticket.id, marketplace: ticket.marketplace, deadline: metric });
    const notification = notificationFor(ticket, metric, input.phase === 'warning' ? 'warning' : 'breach');
    if (notification && !wasDelivered(ticket.notificationsSent, notification.id)) {
      await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.notificationsQueueUrl, MessageBody: JSON.stringify(notification) }));
    }
    return { ticketId: ticket.id, recorded: notification !== undefined };
  };
}

/** The notification for a recorded warning or breach, or undefined when none was recorded. */
function notificationFor(ticket: Ticket, metric: DeadlineName, kind: Notification['kind']): Notification | undefined {
  const deadline = ticket.deadlines[metric];
  const breach = ticket.breaches.find((candidate) => candidate.metric === metric);
  const at = kind === 'warning' ? deadline?.warnedAt : deadline?.breachedAt;
  if (!deadline || !at || (kind === 'breach' && !breach)) return undefined;
  return {
    id: notificationId(ticket.id, metric, kind),
    kind,
    ticketId: ticket.id,
    marketplace: ticket.marketplace,
    metric,
    dueAt: deadline.dueAt,
    at,
    lateBySeconds: kind === 'breach' ? breach!.lateBySeconds : 0,
    escalationTier: ticket.escalationTier,
  };
}

/**
 * The end of a customer window: silence after resolution counts as confirmation (and the
 * survey goes out); the end of the survey window closes the ticket. Nothing happens if the
 * customer's event moved the ticket on first.
 */
async function endWindow(deps: RecordDeadlineDeps, ticketId: string, phase: 'autoConfirm' | 'close') {
  return retryOnConflict(async () => {
    const ticket = await deps.tickets.get(ticketId);
    const now = deps.clock.now().toISOString();
    if (phase === 'autoConfirm' && ticket.stage === 'resolved') {
      await deps.tickets.update(
        ticket,
        { stage: 'awaiting_survey', confirmedAt: now, surveySentAt: now, awaiting: undefined },
        workflowChange('ticket.confirmed', 'no answer from the customer within the confirmation window counts as confirmed; survey sent'),
      );
      return { ticketId, recorded: true };
    }
    if (phase === 'close' && ticket.stage === 'awaiting_survey') {
      await deps.tickets.update(
        ticket,
        { stage: 'closed', closedAt: now, awaiting: undefined },
        workflowChange('ticket.closed', 'the survey window ended'),
      );
      return { ticketId, recorded: true };
    }
    return { ticketId, recorded: false };
  });
}

const consequenceNote = (change: Partial<Ticket>) =>
  change.returnDecision?.by === 'deadline' ? '; the request is approved by silence' : change.stage === 'refund_due' ? '; the refund is due now' : '';

/**
 * The end of a return buyer's window: no shipment within it abandons the request; no
 * intervention request after a rejection makes the rejection final. No breach: the buyer
 * owes the platform nothing. Nothing happens if the buyer's event moved the ticket on first.
 */
async function endBuyerWindow(deps: RecordDeadlineDeps, ticketId: string, window: DeadlineName) {
  return retryOnConflict(async () => {
    const ticket = await deps.tickets.get(ticketId);
    const change = onWindowEnd(ticket, window, deps.clock.now().toISOString());
    if (!change.stage) return { ticketId, recorded: false };
    const [action, reason] =
      change.outcome === 'abandoned'
        ? ['return.abandoned', 'the buyer did not ship the return within the shipment window']
        : ['return.rejection_final', 'the buyer did not ask for platform intervention within the window'];
    await deps.tickets.update(ticket, { ...change, awaiting: undefined }, workflowChange(action, reason));
    return { ticketId, recorded: true };
  });
}
