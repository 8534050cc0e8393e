import { businessTimeBetween } from '@shared/calendar/business-time';
import { metricDue } from '@shared/sla/deadline-clock';
import { DEFAULT_SLA_POLICY } from '@shared/sla/policy';
import type { Deadline, NextReplyRecord, Ticket, TicketStage } from '@shared/tickets/ticket';

/**
 * The next-reply deadline, pure. After each customer message the agent owes a public reply
 * within `nextReplySeconds` (15 min by default), on the `nextReply` clock:
 * - it starts when the message is received at a stage where the agent works the case after
 *   the first response (awaiting handling or resolution, also when the message ends a pause
 *   on the customer). Before the first response the first-response deadline covers the
 *   customer; after the resolution the confirmation window runs (a customer who is not
 *   satisfied reopens the complaint);
 * - while a next reply is owed (running, or breached and not yet met), another message
 *   keeps it: the earlier due time stands;
 * - any public reply meets it (respond, handle, resolve, await_customer, reply; a note is
 *   internal and does not); each one met is kept in `nextReplies` with how long it took and
 *   how late it was.
 */

/** Stages at which a customer's message starts a next-reply deadline. */
export const NEXT_REPLY_STAGES: readonly TicketStage[] = ['awaiting_handling', 'awaiting_resolution'];

/** Whether the ticket owes the customer a reply: a next reply started and not met yet (in time or late). */
export function owesNextReply(ticket: Pick<Ticket, 'deadlines'>): boolean {
  const deadline = ticket.deadlines.nextReply;
  return deadline !== undefined && !deadline.metAt;
}

/**
 * The deadlines after a customer's message received at `receivedAt`, read on the ticket as the
 * message leaves it (a pause it ends already closed), or undefined when it starts no next reply.
 */
export function startNextReply(ticket: Ticket, receivedAt: string): Ticket['deadlines'] | undefined {
  if (ticket.kind !== 'complaint' || !NEXT_REPLY_STAGES.includes(ticket.stage) || owesNextReply(ticket)) return undefined;
  const seconds = ticket.slaPolicy?.nextReplySeconds ?? DEFAULT_SLA_POLICY.nextReplySeconds;
  const { dueAt, clock } = metricDue(ticket, 'nextReply', receivedAt, seconds);
  return { ...ticket.deadlines, nextReply: { dueAt, clock, startedAt: receivedAt } };
}

/** What a next reply met at `metAt` records (the deadline as it stands, a breach already recorded on it). */
export function nextReplyRecord(ticket: Pick<Ticket, 'calendar' | 'createdAt'>, deadline: Deadline, metAt: string): NextReplyRecord {
  const startedAt = deadline.startedAt ?? ticket.createdAt;
  const startMs = Date.parse(startedAt);
  const metMs = Date.parse(metAt);
  const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
  const onBusinessClock = deadline.clock === 'business' && ticket.calendar;
  return {
    startedAt,
    dueAt: deadline.dueAt,
    ...(deadline.clock ? { clock: deadline.clock } : {}),
    metAt,
    repliedAfterSeconds: seconds(metMs - startMs),
    ...(onBusinessClock ? { repliedAfterBusinessSeconds: seconds(businessTimeBetween(ticket.calendar!, startMs, metMs)) } : {}),
    onTime: deadline.breachedAt === undefined,
    lateBySeconds: deadline.breachedAt === undefined ? 0 : seconds(metMs - Date.parse(deadline.dueAt)),
    ...(deadline.warnedAt ? { warnedAt: deadline.warnedAt } : {}),
    ...(deadline.breachedAt ? { breachedAt: deadline.breachedAt } : {}),
  };
}

/** How the audit trail words a next reply met. */
export function nextReplyReason(record: NextReplyRecord): string {
  const timing = record.onTime ? 'on time' : `${record.lateBySeconds} s late`;
  return `next reply met ${record.repliedAfterSeconds} s after the customer's message, ${timing}`;
}

/**
 * The ordinal of a next-reply deadline on its ticket (1 for the first customer message
 * answered): its notifications are named by it (`<ticket id>:nextReply<n>:<kind>`), one
 * warning and one breach per next reply.
 */
export function nextReplyNumber(ticket: Pick<Ticket, 'nextReplies' | 'createdAt'>, deadline: Deadline): number {
  const history = ticket.nextReplies ?? [];
  const index = history.findIndex((record) => record.startedAt === (deadline.startedAt ?? ticket.createdAt));
  return index >= 0 ? index + 1 : history.length + 1;
}
