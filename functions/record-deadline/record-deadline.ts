import { z } from 'zod';
import { waitUntil, type Clock } from '@shared/clock';
import { closeAfterSurveyWindow, confirmBySilence, recordComplaintBreach, recordWarning } from '@shared/complaints/complaint-flow';
import { parseWith } from '@shared/http/parse';
import { METRIC_NAMES, type Counter } from '@shared/observability/metrics';
import { notificationId, type Notification } from '@shared/notifications/notification';
import { tellOnCall, type TellOnCallDeps } from '@shared/notifications/tell-on-call';
import { nextReplyNumber } from '@shared/complaints/next-reply';
import { closeBuyerWindow, recordReturnBreach } from '@shared/returns/return-flow';
import { escalationNotification, ticketContext } from '@shared/notifications/ticket-context';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import type { ChangeContext } from '@shared/tickets/ticket-repository';
import { planFor } from '@shared/workflows/plan';
import { deadlineName, ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

/** What the end of a wait means (the plan's phase); `replan` is a wait with no deadline left to watch, which only plans again. */
const PHASES = ['warning', 'deadline', 'notify', 'autoConfirm', 'close', 'windowEnd', 'replan'] as const;
type Phase = (typeof PHASES)[number];

const inputSchema = ticketStepInput.extend({
  deadline: deadlineName.nullable(),
  phase: z.enum(PHASES),
  /** The exact moment the wait was about (absent from executions planned before it was passed). */
  until: z.iso.datetime().optional(),
});
type Input = z.infer<typeof inputSchema>;

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

export interface RecordDeadlineDeps extends TicketStepDeps, TellOnCallDeps {
  /** Counts breaches and warnings (the stack alarms on a surge of breaches). */
  readonly metrics: Counter;
}

const workflowChange = (action: string, reason?: string): ChangeContext => ({
  actor: { type: 'system', id: 'workflow' },
  via: 'workflow',
  action,
  ...(reason ? { reason } : {}),
});

/** What the end of a wait changes on the ticket, by the rules of its kind; undefined when nothing is left to do. */
function moveFor(ticket: Ticket, input: Input, now: string) {
  const metric = input.deadline;
  switch (input.phase) {
    case 'warning':
      return metric ? recordWarning(ticket, metric, now) : undefined;
    case 'deadline':
      if (!metric) return undefined;
      return ticket.kind === 'return' ? recordReturnBreach(ticket, metric, now) : recordComplaintBreach(ticket, metric, now);
    case 'windowEnd':
      return metric ? closeBuyerWindow(ticket, metric, now) : undefined;
    case 'autoConfirm':
      return confirmBySilence(ticket, now);
    case 'close':
      return closeAfterSurveyWindow(ticket, now);
    case 'notify':
    case 'replan':
      return undefined;
  }
}

/**
 * Workflow step after a wait timed out (the RecordDeadline state), run at the exact moment the
 * wait was about: the timeout ends on the whole second before it. The rules are the ticket
 * kind's (shared/complaints/complaint-flow.ts, shared/returns/return-flow.ts); this step writes
 * the move, clears the timed-out task token and tells on-call of a warning or breach at once
 * (shared/notifications/tell-on-call.ts: posted, then queued for the notifier to record and
 * retry). Also tells on-call of a breach a late action recorded (`notify`): it only tells the
 * notification owed. A wait that ended with nothing to record (`replan`) only plans again.
 * Safe to run again: each move is recorded once, and a notification is told again only
 * until the notifier delivered it (its id makes it one notification). If the step was done
 * in the meantime (the action raced the timeout), nothing changes.
 */
export function createRecordDeadline(deps: RecordDeadlineDeps) {
  return async function recordDeadline(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
    await waitForTheMoment(deps.clock, input.until);
    const { ticket, recorded } = await retryOnConflict(async () => {
      const current = await deps.tickets.get(input.ticketId);
      const move = moveFor(current, input, deps.clock.now().toISOString());
      if (!move) return { ticket: current, recorded: false };
      const clearToken = input.phase === 'warning' ? {} : { awaiting: undefined };
      return { ticket: await deps.tickets.update(current, { ...move.change, ...clearToken }, workflowChange(move.audit, move.reason)), recorded: true };
    });
    // The workflow goes from here straight to its next wait, on this plan of the ticket as this step left it.
    const planned = (latest: Ticket, recordedAny: boolean) => ({ ticketId: latest.id, recorded: recordedAny, next: planFor(latest, deps.clock.nowMs()) });
    const metric = input.deadline;
    if (!metric || !['warning', 'deadline', 'notify'].includes(input.phase)) return planned(ticket, recorded);
    // Counted once each: when the workflow records it, or (for a breach a late action recorded) when its notice is owed.
    if (recorded && input.phase === 'warning') deps.metrics.count(METRIC_NAMES.slaWarnings);
    if ((recorded && input.phase === 'deadline') || (input.phase === 'notify' && ticket.breachesToNotify?.includes(metric))) {
      deps.metrics.count(METRIC_NAMES.slaBreaches);
    }
    const kind = input.phase === 'warning' ? 'warning' : 'breach';
    const notification = notificationFor(ticket, metric, kind);
    if (notification) await tellOnCall(deps, ticket, notification);
    // A breach that raised the tier also tells the new tier's channel (kind escalated).
    const escalated = kind === 'breach' ? escalationByBreach(ticket, metric) : undefined;
    if (escalated) await tellOnCall(deps, ticket, escalated);
    // Only a breach a late action recorded is owed; the ticket in hand says so (were a notice made
    // owed since it was read, this step's own write of the breach would have met a conflict and read again).
    const latest = kind === 'breach' && ticket.breachesToNotify?.includes(metric) ? await settleOwedNotice(deps, ticket.id, metric) : ticket;
    return planned(latest, recorded || notification !== undefined);
  };
}

/**
 * A breach a late action recorded: its notification is queued now, so it is owed no more.
 * Returns the ticket as it stands after, read afresh.
 */
async function settleOwedNotice(deps: RecordDeadlineDeps, ticketId: string, metric: DeadlineName): Promise<Ticket> {
  return retryOnConflict(async () => {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket.breachesToNotify?.includes(metric)) return ticket;
    const remaining = ticket.breachesToNotify.filter((name) => name !== metric);
    return deps.tickets.update(
      ticket,
      { breachesToNotify: remaining.length ? remaining : undefined },
      workflowChange('sla.breach_notice_queued', `on-call is told of the ${metric} breach a late action recorded`),
    );
  });
}

/** The notification for a recorded warning or breach, or undefined when none was recorded. */
function notificationFor(ticket: Ticket, metric: DeadlineName, kind: Notification['kind']): Notification | undefined {
  const deadline = ticket.deadlines[metric];
  const breach = deadline && breachOfDeadline(ticket, metric, deadline.dueAt);
  const at = kind === 'warning' ? deadline?.warnedAt : deadline?.breachedAt;
  if (!deadline || !at || (kind === 'breach' && !breach)) return undefined;
  // A ticket has a next reply per customer message answered: each has its own warning and breach.
  const named = metric === 'nextReply' ? `nextReply${nextReplyNumber(ticket, deadline)}` : metric;
  return {
    id: notificationId(ticket.id, named, kind),
    kind,
    ticketId: ticket.id,
    marketplace: ticket.marketplace,
    metric,
    dueAt: deadline.dueAt,
    at,
    lateBySeconds: kind === 'breach' ? breach!.lateBySeconds : 0,
    escalationTier: ticket.escalationTier,
    ...ticketContext(ticket),
  };
}

/** The breach recorded for this deadline: the latest of its metric (a next reply can be missed more than once), due when it is. */
function breachOfDeadline(ticket: Ticket, metric: DeadlineName, dueAt: string | undefined) {
  return ticket.breaches.findLast((candidate) => candidate.metric === metric && (dueAt === undefined || candidate.dueAt === dueAt));
}

/** The `escalated` notification when this deadline's breach raised the ticket's tier. */
function escalationByBreach(ticket: Ticket, metric: DeadlineName): Notification | undefined {
  const event = breachOfDeadline(ticket, metric, ticket.deadlines[metric]?.dueAt);
  if (event?.escalatedTo === undefined) return undefined;
  return escalationNotification({ ...ticket, escalationTier: event.escalatedTo }, event.recordedAt, `${metric} breached`, metric);
}
