import type { Ticket } from './ticket';

/**
 * The attributes that put a ticket in the work queues (`GET /tickets`). Every queue index of
 * the tickets table sorts by `queueKey`:
 * - an open ticket: `open#<next running due time>` (soonest first when read forward);
 * - a closed one: `closed#<closedAt>` (newest first when read backward).
 * So "open or closed", "due before T" and both orders are key conditions on any queue index.
 * The partition keys are sparse: a ticket carries each only when it belongs to that queue.
 */
export interface QueueAttributes {
  readonly queueKey: string;
  /** Every ticket of the marketplace. */
  readonly queueMarketplace: string;
  /** `<marketplace>#<subject>` while assigned. */
  readonly queueAssignee?: string;
  /** The marketplace, while nobody is assigned. */
  readonly queueUnassigned?: string;
  /** The marketplace, once a deadline was breached. */
  readonly queueBreached?: string;
  /** The marketplace, while a running deadline has had its warning. */
  readonly queueWarned?: string;
  /** `<marketplace>#<orderId>`. */
  readonly queueOrder: string;
  /** `<marketplace>#<customerRef>`. */
  readonly queueCustomer: string;
  /**
   * The ticket's line in a queue, kept whole on the item so the queue indexes project only
   * it and the filters' attributes: an index entry then stays under 1 KB, one write unit,
   * and the ticket's facts and callback outbox are never copied into the indexes.
   */
  readonly queueItem: QueueItem;
}

/** One line of a work queue: what an agent needs to pick a ticket. */
export interface QueueItem {
  readonly id: string;
  readonly kind: Ticket['kind'];
  readonly marketplace: string;
  readonly reference: string;
  readonly subject: string | null;
  readonly stage: Ticket['stage'];
  readonly tier: number;
  readonly assignee: string | null;
  readonly priority: Ticket['priority'];
  readonly category: string | null;
  /** The earliest running deadline, with `warnedAt` once its warning was recorded. */
  readonly nextDeadline: { readonly name: string; readonly dueAt: string; readonly warnedAt?: string } | null;
  readonly breaches: Ticket['breaches'];
  readonly updatedAt: string;
}

/** The names of the queue attributes, so readers can strip them from a stored ticket. */
export const QUEUE_ATTRIBUTE_NAMES = [
  'queueKey',
  'queueMarketplace',
  'queueAssignee',
  'queueUnassigned',
  'queueBreached',
  'queueWarned',
  'queueOrder',
  'queueCustomer',
  'queueItem',
] as const;

/** Stages after which a ticket is no longer worked on. */
export const CLOSED_STAGES: ReadonlySet<string> = new Set(['closed']);

/** The due time of an open ticket with no deadline left running: after any real time. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

export const OPEN_PREFIX = 'open#';
export const CLOSED_PREFIX = 'closed#';

export const isOpen = (ticket: Pick<Ticket, 'stage'>) => !CLOSED_STAGES.has(ticket.stage);

/** Deadlines still running (neither met nor breached), soonest first. */
export function runningDeadlines(ticket: Pick<Ticket, 'deadlines'>): { name: string; dueAt: string; warnedAt?: string }[] {
  return Object.entries(ticket.deadlines)
    .filter(([, deadline]) => deadline && !deadline.metAt && !deadline.breachedAt)
    .map(([name, deadline]) => ({ name, dueAt: deadline!.dueAt, ...(deadline!.warnedAt ? { warnedAt: deadline!.warnedAt } : {}) }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.name.localeCompare(b.name));
}

/** The ticket's earliest running deadline, or `undefined` when none runs. */
export function nextDeadline(ticket: Pick<Ticket, 'deadlines'>): { name: string; dueAt: string } | undefined {
  const [first] = runningDeadlines(ticket);
  return first ? { name: first.name, dueAt: first.dueAt } : undefined;
}

export function queueAttributes(ticket: Ticket): QueueAttributes {
  const { marketplace } = ticket;
  const open = isOpen(ticket);
  const running = runningDeadlines(ticket);
  return {
    queueKey: open ? `${OPEN_PREFIX}${running[0]?.dueAt ?? NO_DEADLINE}` : `${CLOSED_PREFIX}${ticket.closedAt ?? ticket.updatedAt}`,
    queueMarketplace: marketplace,
    ...(ticket.assignee ? { queueAssignee: `${marketplace}#${ticket.assignee}` } : { queueUnassigned: marketplace }),
    ...(ticket.breaches.length > 0 ? { queueBreached: marketplace } : {}),
    ...(open && running.some((deadline) => deadline.warnedAt) ? { queueWarned: marketplace } : {}),
    queueOrder: `${marketplace}#${ticket.orderId}`,
    queueCustomer: `${marketplace}#${ticket.customerRef}`,
    queueItem: queueItem(ticket),
  };
}

export function queueItem(ticket: Ticket): QueueItem {
  return {
    id: ticket.id,
    kind: ticket.kind,
    marketplace: ticket.marketplace,
    reference: ticket.externalRef,
    subject: ticket.subject ?? null,
    stage: ticket.stage,
    tier: ticket.escalationTier,
    assignee: ticket.assignee ?? null,
    priority: ticket.priority,
    category: ticket.category ?? null,
    nextDeadline: runningDeadlines(ticket)[0] ?? null,
    breaches: ticket.breaches,
    updatedAt: ticket.updatedAt,
  };
}
