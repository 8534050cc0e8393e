import type { AuditEvent, FieldChange } from '@shared/audit/audit-event';
import type { BusinessCalendar } from '@shared/calendar/business-calendar';
import { businessTimeBetween } from '@shared/calendar/business-time';
import { bucketOf } from './histogram';

/** What a report row can be grouped by. Every delta falls in exactly one group of each. */
export const DIMENSIONS = ['agent', 'tier', 'category', 'priority', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Groups = Readonly<Record<Dimension, string>>;

/**
 * The dimension the marketplace's totals are summed from: with every delta in one of its
 * groups, its groups add up to the whole. Agents have a family of their own (see
 * COUNTER_FAMILIES in kpi-store.ts), one item per agent and period, where the other dimensions
 * share items by their combinations, so the totals read the fewest items. Totals kept apart
 * would be more counter items to write with every event.
 */
export const TOTALS_DIMENSION: Dimension = 'agent';

/** The group of a ticket without a value for a dimension (a return has no channel, an untouched ticket no agent). */
export const NO_GROUP = 'none';
export const UNASSIGNED = 'unassigned';

interface DeadlineView {
  readonly dueAt: string;
  readonly metAt?: string | null;
  readonly breachedAt?: string | null;
}

/**
 * What the aggregator remembers of a ticket between its audit events: the fields the
 * figures depend on, as the trail has built them up to `lastSeq`. Kept next to the
 * counters; the aggregator applies event `lastSeq + 1` and nothing else, which makes it
 * exactly once.
 */
export interface KpiTicket {
  readonly ticketId: string;
  readonly marketplace: string;
  readonly kind: string;
  readonly openedAt: string;
  readonly lastSeq: number;
  readonly category: string;
  readonly priority: string;
  readonly channel: string;
  readonly openingTier: number;
  readonly tier: number;
  /** The ticket's agent: see {@link agentAfter}. */
  readonly agent: string;
  readonly stage: string;
  readonly deadlines: Readonly<Record<string, DeadlineView>>;
  readonly breaches: number;
  readonly reopened: boolean;
  readonly escalated: boolean;
  readonly resolvedOnce: boolean;
  readonly surveyCounted: boolean;
  readonly decisionCounted: boolean;
  readonly outcomeCounted: boolean;
  readonly refundCounted: boolean;
  readonly reviewCounted: boolean;
  /** When the complaint closed (its closing is recorded once, for the quality draw). */
  readonly closedAt?: string;
  /** The business calendar recorded on the complaint when it opened: durations are also measured in its working time. */
  readonly calendar?: BusinessCalendar;
}

/**
 * Counter changes one audit event makes. `basis` says which period they land in:
 * `activity` at the event's own time, `cohort` at the ticket's opening (ticket-based rates).
 */
export interface CounterDelta {
  readonly at: string;
  readonly groups: Groups;
  readonly counters: Readonly<Record<string, number>>;
}

/** Actor types that are people working the ticket (their stage-moving actions make them its agent). */
const PEOPLE = new Set(['agent', 'merchant', 'manager', 'admin']);
/** Stages a complaint is in once resolved. */
const RESOLVED_STAGES = new Set(['resolved', 'awaiting_survey', 'closed']);

/**
 * Applies one audit event (the ticket's next) to what is known of the ticket, and says what
 * it changes in the counters. Pure: the aggregator and the tests run the same function.
 * Returns `undefined` for the first event when it is not a ticket's opening.
 */
export function reduceAuditEvent(before: KpiTicket | undefined, event: AuditEvent): { ticket: KpiTicket; deltas: CounterDelta[] } | undefined {
  const change = changeReader(event.changes);
  if (!before) {
    if (event.seq !== 1) return undefined;
    const ticket = openingState(event, change);
    return { ticket, deltas: [...cohortDeltas(undefined, ticket), ...openingActivity(ticket, change)] };
  }
  const ticket = nextState(before, event, change);
  const activity = activityCounters(before, ticket, change);
  const groups = { ...groupsOf(ticket), tier: String(before.tier) };
  const deltas = [...cohortDeltas(before, ticket)];
  if (Object.keys(activity).length) deltas.push({ at: event.at, groups, counters: activity });
  return { ticket, deltas };
}

function changeReader(changes: readonly FieldChange[]) {
  const byField = new Map(changes.map((change) => [change.field, change]));
  return {
    has: (field: string) => byField.has(field),
    to: <T>(field: string): T | undefined => (byField.get(field)?.to ?? undefined) as T | undefined,
    from: <T>(field: string): T | undefined => (byField.get(field)?.from ?? undefined) as T | undefined,
  };
}
type ChangeReader = ReturnType<typeof changeReader>;

function openingState(event: AuditEvent, change: ChangeReader): KpiTicket {
  const tier = Number(change.to<number>('escalationTier') ?? 0);
  const decided = change.to<{ outcome: string }>('returnDecision') !== undefined;
  return {
    ticketId: event.ticketId,
    marketplace: event.marketplace,
    kind: change.to<string>('kind') ?? 'complaint',
    openedAt: change.to<string>('createdAt') ?? event.at,
    lastSeq: event.seq,
    category: change.to<string>('category') ?? NO_GROUP,
    priority: change.to<string>('priority') ?? NO_GROUP,
    channel: change.to<string>('channel') ?? NO_GROUP,
    openingTier: tier,
    tier,
    agent: UNASSIGNED,
    stage: change.to<string>('stage') ?? '',
    deadlines: change.to<Record<string, DeadlineView>>('deadlines') ?? {},
    breaches: (change.to<unknown[]>('breaches') ?? []).length,
    reopened: false,
    escalated: false,
    resolvedOnce: false,
    surveyCounted: false,
    decisionCounted: decided,
    outcomeCounted: change.to('outcome') !== undefined,
    refundCounted: false,
    reviewCounted: false,
    ...(change.to<BusinessCalendar>('calendar') ? { calendar: change.to<BusinessCalendar>('calendar') } : {}),
  };
}

/** What is known of the ticket after `event`. */
function nextState(before: KpiTicket, event: AuditEvent, change: ChangeReader): KpiTicket {
  const stage = change.has('stage') ? (change.to<string>('stage') ?? before.stage) : before.stage;
  const tier = change.has('escalationTier') ? Number(change.to<number>('escalationTier') ?? before.tier) : before.tier;
  const reopen = event.action === 'customer.reopened' && before.stage === 'resolved' && stage !== 'resolved';
  return {
    ...before,
    lastSeq: event.seq,
    stage,
    tier,
    agent: agentAfter(before, event, change, stage),
    deadlines: change.has('deadlines') ? (change.to<Record<string, DeadlineView>>('deadlines') ?? {}) : before.deadlines,
    breaches: change.has('breaches') ? (change.to<unknown[]>('breaches') ?? []).length : before.breaches,
    reopened: before.reopened || reopen,
    escalated: before.escalated || tier > before.openingTier,
    resolvedOnce: before.resolvedOnce || (before.kind === 'complaint' && RESOLVED_STAGES.has(stage)),
    surveyCounted: before.surveyCounted || surveyOf(change) !== undefined,
    decisionCounted: before.decisionCounted || change.to('returnDecision') !== undefined,
    outcomeCounted: before.outcomeCounted || change.to('outcome') !== undefined,
    refundCounted: before.refundCounted || refundOf(change) !== undefined,
    reviewCounted: before.reviewCounted || change.to('qualityReview') !== undefined,
    ...(before.closedAt || before.kind !== 'complaint' || stage !== 'closed' ? {} : { closedAt: event.at }),
  };
}

/**
 * A ticket's agent: the person who last moved its stage (responded, handled, resolved,
 * decided a return) or whom it was last assigned to by name (`ticket.assigned`);
 * `unassigned` until either happens. Pools the classifier names at opening are not agents.
 */
function agentAfter(before: KpiTicket, event: AuditEvent, change: ChangeReader, stage: string): string {
  if (event.action === 'ticket.assigned') return change.to<string>('assignee') ?? before.agent;
  if (PEOPLE.has(event.actor.type) && stage !== before.stage) return event.actor.id;
  return before.agent;
}

function groupsOf(ticket: KpiTicket): Groups {
  return { agent: ticket.agent, tier: String(ticket.tier), category: ticket.category, priority: ticket.priority, channel: ticket.channel };
}

const metOnTime = (deadline: DeadlineView | undefined) =>
  Boolean(deadline?.metAt && !deadline.breachedAt && deadline.metAt <= deadline.dueAt);

/**
 * Ticket-based figures, counted in the period of the ticket's opening, for its current
 * agent and its tier at opening: whether it was opened (complaints), handled and resolved
 * on time, resolved and never reopened, escalated, reopened.
 */
export function cohortCounters(ticket: KpiTicket): Record<string, number> {
  if (ticket.kind !== 'complaint') return {};
  return {
    opened: 1,
    handledOnTime: metOnTime(ticket.deadlines.initialHandling) ? 1 : 0,
    resolvedOnTime: metOnTime(ticket.deadlines.resolution) ? 1 : 0,
    resolvedNotReopened: ticket.resolvedOnce && !ticket.reopened ? 1 : 0,
    escalated: ticket.escalated ? 1 : 0,
    reopened: ticket.reopened ? 1 : 0,
  };
}

/** The cohort counters as they were taken back and put again: moves a ticket's contribution when its agent or flags change. */
function cohortDeltas(before: KpiTicket | undefined, after: KpiTicket): CounterDelta[] {
  const cohortGroups = (ticket: KpiTicket): Groups => ({ ...groupsOf(ticket), tier: String(ticket.openingTier) });
  const deltas: CounterDelta[] = [];
  if (before) {
    const old = cohortCounters(before);
    const negated = Object.fromEntries(Object.entries(old).map(([name, value]) => [name, -value]));
    deltas.push({ at: before.openedAt, groups: cohortGroups(before), counters: negated });
  }
  deltas.push({ at: after.openedAt, groups: cohortGroups(after), counters: cohortCounters(after) });
  return deltas;
}

/** A return's opening counts in its own period, by request type. */
function openingActivity(ticket: KpiTicket, change: ChangeReader): CounterDelta[] {
  if (ticket.kind !== 'return') return [];
  const type = change.to<{ requestType: string }>('returnRequest')?.requestType ?? NO_GROUP;
  const counters: Record<string, number> = { returnsOpened: 1, [`returnsOpened_${type}`]: 1 };
  const decision = change.to<{ outcome: string }>('returnDecision');
  // Ineligible requests are rejected by the policy as they open.
  if (decision) counters[decision.outcome === 'approved' ? 'returnsApproved' : 'returnsRejected'] = 1;
  const outcome = change.to<string>('outcome');
  if (outcome) counters[`outcome_${outcome}`] = 1;
  return [{ at: ticket.openedAt, groups: groupsOf(ticket), counters }];
}

function surveyOf(change: ChangeReader): { csat: number; nps?: number | null } | undefined {
  if (!change.has('facts')) return undefined;
  const before = change.from<{ survey?: unknown }>('facts')?.survey;
  const after = change.to<{ survey?: { csat: number; nps?: number | null } }>('facts')?.survey;
  return before === undefined && after !== undefined ? after : undefined;
}

/**
 * The next replies an event met: records appended to `nextReplies` (the public reply's own
 * event carries them, in the transaction that met the deadline).
 */
function nextRepliesOf(change: ChangeReader): { repliedAfterSeconds: number; onTime: boolean }[] {
  if (!change.has('nextReplies')) return [];
  const before = change.from<unknown[]>('nextReplies') ?? [];
  return (change.to<{ repliedAfterSeconds: number; onTime: boolean }[]>('nextReplies') ?? []).slice(before.length);
}

function refundOf(change: ChangeReader): { completedAt: string } | undefined {
  if (!change.has('facts')) return undefined;
  const before = change.from<{ refund?: unknown }>('facts')?.refund;
  const after = change.to<{ refund?: { completedAt: string } }>('facts')?.refund;
  return before === undefined && after !== undefined ? after : undefined;
}

/** Counts in the event's own period: what happened then, whenever the ticket opened. */
function activityCounters(before: KpiTicket, after: KpiTicket, change: ChangeReader): Record<string, number> {
  const counters: Record<string, number> = {};
  const add = (name: string, by = 1) => (counters[name] = (counters[name] ?? 0) + by);
  const complaint = before.kind === 'complaint';

  const firstResponse = after.deadlines.firstResponse;
  if (complaint && firstResponse?.metAt && !before.deadlines.firstResponse?.metAt) {
    const ms = Math.max(0, Date.parse(firstResponse.metAt) - Date.parse(before.openedAt));
    add('frCount');
    add('frOnTime', metOnTime(firstResponse) ? 1 : 0);
    add('frTotalMs', ms);
    add(`frBucket${bucketOf(ms / 1000)}`);
    if (before.calendar) {
      // The same wait in the desk's working time: a complaint received at night waits from the next opening.
      const businessMs = businessTimeBetween(before.calendar, Date.parse(before.openedAt), Date.parse(firstResponse.metAt));
      add('frBusinessCount');
      add('frBusinessTotalMs', businessMs);
      add(`frBusinessBucket${bucketOf(businessMs / 1000)}`);
    }
  }
  for (const reply of complaint ? nextRepliesOf(change) : []) {
    add('nrCount');
    add('nrOnTime', reply.onTime ? 1 : 0);
    add('nrTotalSeconds', reply.repliedAfterSeconds);
    add(`nrBucket${bucketOf(reply.repliedAfterSeconds)}`);
  }
  if (complaint && after.stage !== before.stage) {
    if (after.stage === 'resolved') add('resolved');
    if (after.stage === 'closed') add('closed');
    if (before.stage === 'resolved' && after.stage === 'awaiting_resolution') add('reopenings');
  }
  if (after.tier > before.tier) add('escalations');
  for (const breach of (change.to<{ metric: string }[]>('breaches') ?? []).slice(before.breaches)) {
    add('breaches');
    add(`breach_${breach.metric}`);
  }
  const survey = before.surveyCounted ? undefined : surveyOf(change);
  if (survey) {
    add('csatAnswers');
    add('csatTotal', survey.csat);
    add('csatSatisfied', survey.csat >= 4 ? 1 : 0);
    if (typeof survey.nps === 'number') {
      add('npsAnswers');
      add('npsPromoters', survey.nps >= 9 ? 1 : 0);
      add('npsDetractors', survey.nps <= 6 ? 1 : 0);
    }
  }
  const decision = before.decisionCounted ? undefined : change.to<{ outcome: string; by: string }>('returnDecision');
  if (decision) {
    add(decision.outcome === 'approved' ? 'returnsApproved' : 'returnsRejected');
    if (decision.by === 'merchant' || decision.by === 'deadline') add('merchantDecisions');
    if (decision.by === 'deadline') add('autoApproved');
  }
  const outcome = before.outcomeCounted ? undefined : change.to<string>('outcome');
  if (outcome) add(`outcome_${outcome}`);
  const refund = before.refundCounted ? undefined : refundOf(change);
  if (refund) {
    const due = after.deadlines.refund;
    add('refundsPaid');
    add('refundsOnTime', !due || (!due.breachedAt && refund.completedAt <= due.dueAt) ? 1 : 0);
  }
  const review = before.reviewCounted ? undefined : change.to<{ courtesy: number; accuracy: number; process: number }>('qualityReview');
  if (review) {
    add('reviews');
    add('reviewCourtesy', review.courtesy);
    add('reviewAccuracy', review.accuracy);
    add('reviewProcess', review.process);
  }
  return Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0));
}
