import type { ReturnPolicy } from '@shared/returns/policy';
import { followFacts, openReturnCase } from '@shared/returns/return-flow';
import { calendarFrom, type BusinessCalendar } from '@shared/calendar/business-calendar';
import { localDate } from '@shared/calendar/business-time';
import { afterPause } from '@shared/sla/deadline-clock';
import { complaintDeadlines, type SlaPolicy } from '@shared/sla/policy';
import type { WebhookEvent } from '@shared/webhooks/events';
import { startNextReply } from '@shared/complaints/next-reply';
import { classifyComplaint } from './classify';
import type { CaseFacts, Priority, Ticket, TicketKind } from './ticket';

/** Fields of a ticket that an opening event sets; the repository adds the bookkeeping. */
export type NewTicket = Omit<Ticket, 'version' | 'auditSeq' | 'auditHead' | 'createdAt' | 'updatedAt'>;

/** What applying a marketplace event to its ticket comes to. */
export type EventDecision =
  | { readonly kind: 'open'; readonly ticket: NewTicket; readonly action: string }
  | {
      readonly kind: 'update';
      readonly change: Partial<Ticket>;
      readonly action: string;
      /** The workflow step this event completes, if the ticket is waiting on it. */
      readonly completesStep: string;
      /** Whether events held for this ticket may apply now (only what they wait for can release them). */
      readonly releasesHeld: boolean;
    }
  /** The event depends on one that has not arrived yet; keep it and apply it when that arrives. */
  | { readonly kind: 'hold'; readonly reason: string }
  /** The event can never apply to this ticket; it is kept with the reason, never lost. */
  | { readonly kind: 'reject'; readonly reason: string };

export interface EventContext {
  readonly marketplace: string;
  readonly ticketId: string;
  /** When the inbox stored the event: deadlines run from the moment a ticket is received. */
  readonly receivedAt: string;
  /** The marketplace's SLA policy for a priority. */
  readonly slaPolicy: (priority: Priority) => SlaPolicy;
  /** The marketplace's business calendar, if it has one: recorded on a complaint as it opens. */
  readonly calendar?: BusinessCalendar;
  /** The marketplace's return policy, recorded on a return ticket when it opens. */
  readonly returnPolicy: ReturnPolicy;
  /** Complaints the same customer filed with this marketplace in the last 30 days. */
  readonly recentComplaints: number;
}

/**
 * Decides what a marketplace event does to its ticket. Pure. Events record facts stamped with
 * the time they happened at the marketplace, and sets and "latest" values are ordered by
 * that time, so a stream applied in any order ends in the same ticket.
 */
export function decideEvent(event: WebhookEvent, ticket: Ticket | undefined, context: EventContext): EventDecision {
  const decision = decideFacts(event, ticket, context);
  if (decision.kind !== 'update' || ticket?.kind !== 'return') return decision;
  // A return's facts move its stage as far as they allow (an early shipment waits for the approval).
  const moved = followFacts({ ...ticket, ...decision.change }, context.receivedAt);
  const stageMoved = (moved.stage ?? decision.change.stage ?? ticket.stage) !== ticket.stage;
  // A moved stage leaves the step the workflow waited on; the workflow stores its next one.
  return { ...decision, change: { ...decision.change, ...moved, ...(stageMoved ? { awaiting: undefined } : {}) } };
}

function decideFacts(event: WebhookEvent, ticket: Ticket | undefined, context: EventContext): EventDecision {
  if (event.type === 'complaint.created' || event.type === 'return.requested') {
    if (ticket) return { kind: 'reject', reason: `ticket ${ticket.id} for reference ${ticket.externalRef} is already open` };
    return { kind: 'open', ticket: openingTicket(event, context), action: 'ticket.created' };
  }
  if (!ticket) return { kind: 'hold', reason: `waiting for the event that opens case ${event.data.reference}` };

  // Normalised to UTC so that facts order correctly whatever offset the marketplace used.
  const at = new Date(event.occurredAt).toISOString();
  const facts = ticket.facts;
  const update = (completesStep: string, action: string, next: CaseFacts, releasesHeld = false): EventDecision => ({
    kind: 'update',
    change: { facts: { ...facts, ...next } },
    action,
    completesStep,
    releasesHeld,
  });

  switch (event.type) {
    case 'complaint.customer_replied': {
      const wrongKind = requireKind(ticket, 'complaint', event.type);
      if (wrongKind) return wrongKind;
      const replied = update('customerReply', 'customer.replied', { lastCustomerReplyAt: latest(facts.lastCustomerReplyAt, at) });
      if (replied.kind !== 'update') return replied;
      const resumed = ticket.stage === 'awaiting_customer' ? resumeFromPause(ticket, context.receivedAt) : {};
      // The agent owes an answer: a next reply starts, on the ticket as the message leaves it.
      const deadlines = startNextReply({ ...ticket, ...resumed }, context.receivedAt);
      return { ...replied, change: { ...replied.change, ...resumed, ...(deadlines ? { deadlines } : {}) } };
    }
    case 'complaint.customer_confirmed': {
      const confirmed = requireKind(ticket, 'complaint', event.type) ??
        update('customerConfirmation', 'customer.confirmed', { customerConfirmedAt: earliest(facts.customerConfirmedAt, at) });
      if (confirmed.kind !== 'update' || ticket.stage !== 'resolved') return confirmed;
      // Confirmed: the survey goes out at once (the handbook allows up to 24 h).
      const now = context.receivedAt;
      return { ...confirmed, change: { ...confirmed.change, stage: 'awaiting_survey', confirmedAt: now, surveySentAt: now } };
    }
    case 'complaint.reopened': {
      const reopened = requireKind(ticket, 'complaint', event.type) ??
        update('customerConfirmation', 'customer.reopened', {
          reopenings: [...(facts.reopenings ?? []), { at, reason: event.data.reason }].sort((a, b) => a.at.localeCompare(b.at)),
        });
      if (reopened.kind !== 'update' || ticket.stage !== 'resolved') return reopened;
      // Back to handling, with the resolution deadline it already had (if that has passed, the breach follows at once).
      const resolution = ticket.deadlines.resolution;
      const deadlines = resolution ? { ...ticket.deadlines, resolution: { ...resolution, metAt: undefined } } : ticket.deadlines;
      return { ...reopened, change: { ...reopened.change, stage: 'awaiting_resolution', deadlines } };
    }
    case 'survey.answered': {
      const answer = { csat: event.data.csat, nps: event.data.nps, comment: event.data.comment, answeredAt: at };
      const keep = facts.survey && facts.survey.answeredAt > at ? facts.survey : answer;
      const answered = update('survey', 'survey.answered', { survey: keep });
      if (answered.kind !== 'update' || ticket.stage !== 'awaiting_survey') return answered;
      return { ...answered, change: { ...answered.change, stage: 'closed', closedAt: context.receivedAt } };
    }
    case 'return.shipped': {
      const shipment = { trackingNumber: event.data.trackingNumber, carrier: event.data.carrier, shippedAt: at };
      const keep = facts.shipment && facts.shipment.shippedAt > at ? facts.shipment : shipment;
      return requireKind(ticket, 'return', event.type) ?? update('buyerShipment', 'return.shipped', { shipment: keep }, true);
    }
    case 'return.received':
      if (ticket.returnRequest?.requestType === 'refund_only') {
        return { kind: 'reject', reason: 'a refund-only request has no parcel to receive' };
      }
      if (!facts.shipment) return requireKind(ticket, 'return', event.type) ?? { kind: 'hold', reason: 'waiting for return.shipped' };
      return update('merchantReceipt', 'return.received', { receivedAt: earliest(facts.receivedAt, at) }, true);
    case 'return.inspected': {
      if (!facts.receivedAt) return requireKind(ticket, 'return', event.type) ?? { kind: 'hold', reason: 'waiting for return.received' };
      const inspection = { passed: event.data.passed, reason: event.data.reason, evidenceRef: event.data.evidenceRef, at };
      const keep = facts.inspection && facts.inspection.at > at ? facts.inspection : inspection;
      return update('inspection', 'return.inspected', { inspection: keep });
    }
    case 'refund.completed': {
      const refund = { refundId: event.data.refundId, amount: event.data.amount, currency: event.data.currency, completedAt: at };
      return requireKind(ticket, 'return', event.type) ?? update('refund', 'refund.completed', { refund: facts.refund ?? refund });
    }
    case 'platform.intervention_requested':
      return requireKind(ticket, 'return', event.type) ??
        update('intervention', 'platform.intervention_requested', {
          intervention: facts.intervention ?? { requestedAt: at, reason: event.data.reason },
        });
    case 'return.item_delivered':
      return requireKind(ticket, 'return', event.type) ??
        update('delivery', 'return.item_delivered', { deliveredToBuyerAt: earliest(facts.deliveredToBuyerAt, at) });
  }
}

function openingTicket(event: Extract<WebhookEvent, { type: 'complaint.created' | 'return.requested' }>, context: EventContext): NewTicket {
  const common = {
    id: context.ticketId,
    marketplace: context.marketplace,
    externalRef: event.data.reference,
    orderId: event.data.orderId,
    customerRef: event.data.customerRef,
    escalationTier: 0,
    breaches: [],
    facts: {},
  };
  if (event.type === 'complaint.created') {
    const { category, priority, escalationTier, repeat } = classifyComplaint({ ...event.data, recentComplaints: context.recentComplaints });
    const slaPolicy = context.slaPolicy(priority);
    const calendar = context.calendar && calendarFrom(context.calendar, localDate(context.calendar, Date.parse(context.receivedAt)));
    return {
      ...common,
      kind: 'complaint',
      channel: event.data.channel,
      subject: event.data.subject,
      category,
      priority,
      repeat,
      escalationTier,
      stage: 'awaiting_first_response',
      deadlines: complaintDeadlines(context.receivedAt, slaPolicy, calendar),
      slaPolicy,
      ...(calendar ? { calendar } : {}),
    };
  }
  const { reference: _reference, orderId: _orderId, customerRef: _customerRef, ...request } = event.data;
  // Eligibility is checked, and the policy recorded, as the request arrives.
  return { ...common, kind: 'return', priority: 'normal', returnRequest: request, ...openReturnCase(request, context.returnPolicy, context.receivedAt) };
}

/**
 * The customer replied while the ticket waited on them: back to the stage it paused from,
 * the pause closed, and the resolution deadline moved by the time its clock stood still.
 */
function resumeFromPause(ticket: Ticket, resumedAt: string): Partial<Ticket> {
  const intervals = [...(ticket.pausedIntervals ?? [])];
  const open = intervals.at(-1);
  const pausedFrom = open && !open.to ? open.from : resumedAt;
  if (open && !open.to) intervals[intervals.length - 1] = { ...open, to: resumedAt };
  const resolution = ticket.deadlines.resolution;
  const moved = resolution && !resolution.metAt && !resolution.breachedAt ? { resolution: afterPause(ticket, resolution, pausedFrom, resumedAt) } : {};
  return { stage: ticket.pausedFrom ?? 'awaiting_resolution', pausedFrom: undefined, pausedIntervals: intervals, deadlines: { ...ticket.deadlines, ...moved } };
}

function requireKind(ticket: Ticket, kind: TicketKind, type: string): EventDecision | undefined {
  return ticket.kind === kind ? undefined : { kind: 'reject', reason: `${type} applies to ${kind} tickets; ${ticket.id} is a ${ticket.kind}` };
}

const latest = (current: string | undefined, at: string) => (current && current > at ? current : at);
const earliest = (current: string | undefined, at: string) => (current && current < at ? current : at);
